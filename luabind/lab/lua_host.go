package lab

import (
	"maps"
	"slices"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/childbind"
	lua "github.com/yuin/gopher-lua"
)

// init gives the host type its methods and field getter, which refer back
// to the type and so cannot sit in its declaration.
func init() {
	hostType.Methods = hostMethods("host")
	hostType.Get = getHost
}

// hostMethods are the methods of hosts, which ends have too (acting on
// their host), with signatures written for self: "host" or "end".
func hostMethods(self string) []luabind.Func {
	of := ""
	if self != "host" {
		of = " (of the end's host)"
	}
	return []luabind.Func{
		{Name: "exec", Sig: self + ":exec(argv [, opts]) -> output, status", Fn: hostExec,
			Types: luabind.Types{"argv": "string[]", "opts": "table", "output": "string", "status": "integer"},
			Doc:   "runs argv inside the host" + of + " (its network and PID namespaces, a /proc and /sys of the host) and waits, blocking the loop meanwhile (timers, on() callbacks, watchers and nfqueue verdicts wait until it ends; spawn does not block); output is stdout+stderr, status 124 after opts.timeout (default 30 s); what it leaves in the background runs until the host is torn down; under setcap the program has no capabilities; opts: timeout, stdin"},
		{Name: "spawn", Sig: self + ":spawn(argv [, opts]) -> process", Fn: hostSpawn, Types: childbind.SpawnTypes,
			Doc: "starts argv inside the host" + of + " as exec does, but returns at once: the loop keeps running while it does; it is killed, with everything it started in the host, by the host's end at the latest (lab:close(), the script's end, however netlua ends); " + childbind.SpawnOptions},
		{Name: "sysctl", Sig: self + ":sysctl(name | settings [, value]) -> value | values", Fn: hostSysctl,
			Types: luabind.Types{"name": "string", "value": "string|number", "settings": "table<string, string|number>", "values": "table<string, string>"},
			Doc: "reads, or sets then reads, a net.* sysctl of the host" + of + ": net.ipv4.ip_forward (or net/ipv4/conf/veth0.100/rp_filter when a part holds dots); " +
				"a table { [name] = value, ... } sets each (in name order) and returns the values read back; runs no program, so it works under setcap"},
		{Name: "forward", Sig: self + ":forward([on])", Fn: hostForward,
			Types: luabind.Types{"on": "boolean"},
			Doc:   "turns IPv4 and IPv6 forwarding of the host" + of + " on (or off with false): net.ipv4.ip_forward and net.ipv6.conf.all.forwarding"},
	}
}

var hostType = &luabind.Type{
	Name: "lab.host",
	Doc:  "a network namespace of a lab; pass it as netns to other modules",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "the host's name in its lab: a, b, r1"},
		{Name: "netns", Type: "string", Doc: "its name under /run/netns for ip netns exec, or nil unless pinned"},
		{Name: "ifaces", Type: "table", Doc: "its link ends in link order (veth0, veth1, ...)"},
		{Name: "kind", Type: "string", Doc: "host, switch (made by lab:switch or lab:lan) or router (made by lab:router)"},
		{Name: "dir", Type: "string", Doc: "its private directories as netlua reaches them (dir .. \"/etc/resolv.conf\" is what its programs read at /etc/resolv.conf; run, var/lib/misc, var/log likewise), or nil unless the lab is private"},
	},
}

// hostExec implements host:exec(argv [, opts]) and end:exec.
func hostExec(L *lua.LState) int {
	h := checkHost(L, 1)
	c := Cmd{Argv: childbind.CheckArgv(L, 2)}
	o := luabind.CheckOptions(L, 3, "timeout", "stdin")
	c.Stdin = o.String("stdin", "")
	secs := o.Number("timeout", DefaultTimeout.Seconds())
	if secs <= 0 {
		o.Error("timeout", "must be positive")
	}
	c.Timeout = time.Duration(secs * float64(time.Second))
	res, err := h.Exec(luabind.RuntimeOf(L).Context(), c)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.exec", Object: h.Name(), Err: err})
	}
	L.Push(lua.LString(res.Output))
	L.Push(lua.LNumber(res.Status))
	return 2
}

// hostSpawn implements host:spawn(argv [, opts]) and end:spawn.
func hostSpawn(L *lua.LState) int {
	h := checkHost(L, 1)
	return childbind.Spawn(L, 2, "lab.spawn", h.Name(), h.Start)
}

// hostSysctl implements host:sysctl(name [, value]), host:sysctl{...}
// and end:sysctl.
func hostSysctl(L *lua.LState) int {
	if settings, ok := L.Get(2).(*lua.LTable); ok {
		return hostSysctls(L, checkHost(L, 1), settings)
	}
	h, name := checkHost(L, 1), luabind.CheckString(L, 2)
	var err error
	switch v := L.Get(3).(type) {
	case *lua.LNilType:
	case lua.LString, lua.LNumber:
		err = h.SetSysctl(name, v.String())
	default:
		luabind.TypeError(L, 3, "string or number")
	}
	var value string
	if err == nil {
		value, err = h.Sysctl(name)
	}
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.sysctl", Object: h.Name() + " " + name, Err: err})
	}
	L.Push(lua.LString(value))
	return 1
}

// hostSysctls implements host:sysctl{ [name] = value, ... }: each set in
// name order, so that a script's settings apply the same way each run,
// and all read back.
func hostSysctls(L *lua.LState, h *Host, settings *lua.LTable) int {
	values := map[string]string{}
	settings.ForEach(func(k, v lua.LValue) {
		name, isName := k.(lua.LString)
		switch v.(type) {
		case lua.LString, lua.LNumber:
		default:
			isName = false
		}
		if !isName {
			luabind.ArgError(L, 2, "settings are { [name] = value }, names strings and values strings or numbers: got "+k.Type().String()+" = "+v.Type().String())
		}
		values[string(name)] = v.String()
	})
	out := L.CreateTable(0, len(values))
	for _, name := range slices.Sorted(maps.Keys(values)) {
		err := h.SetSysctl(name, values[name])
		var value string
		if err == nil {
			value, err = h.Sysctl(name)
		}
		if err != nil {
			luabind.Raise(L, &luabind.OpError{Op: "lab.sysctl", Object: h.Name() + " " + name, Err: err})
		}
		out.RawSetString(name, lua.LString(value))
	}
	L.Push(out)
	return 1
}

// hostForward implements host:forward([on]) and end:forward.
func hostForward(L *lua.LState) int {
	h := checkHost(L, 1)
	on := true
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case lua.LBool:
		on = bool(v)
	default:
		luabind.TypeError(L, 2, "boolean")
	}
	if err := h.Forward(on); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.forward", Object: h.Name(), Err: err})
	}
	return 0
}

// checkHost returns argument n as a host: a lab host, or the host of a
// lab end.
func checkHost(L *lua.LState, n int) *Host {
	if h := hostOf(L.Get(n)); h != nil {
		return h
	}
	luabind.TypeError(L, n, "lab host or end")
	return nil
}

// hostOf is the host v stands for, or nil.
func hostOf(v lua.LValue) *Host {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil
	}
	switch x := ud.Value.(type) {
	case *Host:
		return x
	case *End:
		return x.Host
	}
	return nil
}

// getHost serves the fields of a host.
func getHost(L *lua.LState, v any, key string) lua.LValue {
	h := v.(*Host)
	switch key {
	case "name":
		return lua.LString(h.Name())
	case "netns":
		return optString(h.Pinned())
	case "ifaces":
		return list(L, h.Ends())
	case "kind":
		return lua.LString(h.Kind())
	case "dir":
		return optString(h.Dir())
	}
	return lua.LNil
}
