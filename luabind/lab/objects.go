package lab

import (
	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

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
			Doc:   "runs argv inside the host" + of + " (its network and PID namespaces, a /proc and /sys of the host) and waits; output is stdout+stderr, status 124 after opts.timeout (default 30 s); what it leaves in the background runs until the host is torn down; under setcap the program has no capabilities; opts: timeout, stdin"},
		{Name: "sysctl", Sig: self + ":sysctl(name [, value]) -> value", Fn: hostSysctl,
			Types: luabind.Types{"name": "string", "value": "string|number"},
			Doc:   "reads, or sets then reads, a net.* sysctl of the host" + of + ": net.ipv4.ip_forward (or net/ipv4/conf/veth0.100/rp_filter when a part holds dots); runs no program, so it works under setcap"},
		{Name: "forward", Sig: self + ":forward([on])", Fn: hostForward,
			Types: luabind.Types{"on": "boolean"},
			Doc:   "turns IPv4 and IPv6 forwarding of the host" + of + " on (or off with false): net.ipv4.ip_forward and net.ipv6.conf.all.forwarding"},
	}
}

var labType = &luabind.Type{
	Name: "lab.lab",
	Doc:  "a set of namespaces (hosts) and veth links between them, torn down at exit",
	Fields: []luabind.Field{
		{Name: "hosts", Type: "table", Doc: "the lab's hosts, in the order they were made"},
		{Name: "pin", Type: "boolean", Doc: "whether hosts are named under /run/netns"},
	},
}

var hostType = &luabind.Type{
	Name: "lab.host",
	Doc:  "a network namespace of a lab; pass it as netns to other modules",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "the host's name in its lab: a, b, r1"},
		{Name: "netns", Type: "string", Doc: "its name under /run/netns for ip netns exec, or nil unless pinned"},
		{Name: "ifaces", Type: "table", Doc: "its link ends in link order (veth0, veth1, ...)"},
	},
}

var endType = &luabind.Type{
	Name: "lab.end",
	Doc:  "one side of a lab link: a veth inside a host; pass it as netns to other modules",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "the name of its host: a, b, r1"},
		{Name: "ifname", Type: "string", Doc: "the interface inside the host: veth0"},
		{Name: "mac", Type: "string", Doc: "its locally administered MAC: 02:00:c6:12:00:01"},
		{Name: "ip", Type: "string", Doc: "its IPv4 address: 198.18.0.1"},
		{Name: "prefix", Type: "integer", Doc: "the prefix length of its subnet: 24"},
		{Name: "cidr", Type: "string", Doc: "address and prefix: 198.18.0.1/24"},
		{Name: "ifindex", Type: "integer", Doc: "the interface index inside the host"},
		{Name: "host", Type: "lab.host", Doc: "the host it belongs to"},
		{Name: "peer", Type: "lab.end", Doc: "the other side of the link"},
		{Name: "netns", Type: "string", Doc: "its host's name under /run/netns, or nil unless pinned"},
	},
}

// completeTypes gives the types their methods and field getters, which
// refer back to the types and so cannot sit in their declarations.
func completeTypes() {
	labType.Methods = []luabind.Func{
		{Name: "host", Sig: "lab:host([name]) -> host", Fn: labHost,
			Types: luabind.Types{"name": "string", "host": "lab.host"},
			Doc:   "a new namespace with lo up; name defaults to h1, h2, ..."},
		{Name: "link", Sig: "lab:link(x, y) -> ex, ey", Fn: labLink,
			Types: luabind.Types{"x": "lab.host|lab.end", "y": "lab.host|lab.end", "ex": "lab.end", "ey": "lab.end"},
			Doc:   "joins hosts (or the hosts of ends) x and y with a veth pair on a fresh /24: x gets .1, y .2"},
		{Name: "close", Sig: "lab:close()", Fn: labClose,
			Doc: "tears the lab down now instead of at exit, with every process its hosts run"},
	}
	hostType.Methods = hostMethods("host")
	endType.Methods = hostMethods("end")
	labType.Get, hostType.Get, endType.Get = getLab, getHost, getEnd
}

// object returns the one userdata that stands for v (a *Lab, *Host or
// *End) in L, so that a == b.peer.peer holds.
func object(L *lua.LState, v any) *lua.LUserData {
	st := stateOf(L)
	if ud, ok := st.objects[v]; ok {
		return ud
	}
	var t *luabind.Type
	switch v.(type) {
	case *Lab:
		t = labType
	case *Host:
		t = hostType
	default:
		t = endType
	}
	ud := luabind.NewObject(L, t, v)
	st.objects[v] = ud
	return ud
}

// list is an array of the userdata of objs.
func list[T any](L *lua.LState, objs []T) *lua.LTable {
	t := L.CreateTable(len(objs), 0)
	for _, o := range objs {
		t.Append(object(L, o))
	}
	return t
}

func getLab(L *lua.LState, v any, key string) lua.LValue {
	l := v.(*Lab)
	switch key {
	case "hosts":
		return list(L, l.Hosts())
	case "pin":
		return lua.LBool(l.Pinned())
	}
	return lua.LNil
}

func getHost(L *lua.LState, v any, key string) lua.LValue {
	h := v.(*Host)
	switch key {
	case "name":
		return lua.LString(h.Name())
	case "netns":
		return optString(h.Pinned())
	case "ifaces":
		return list(L, h.Ends())
	}
	return lua.LNil
}

func getEnd(L *lua.LState, v any, key string) lua.LValue {
	e := v.(*End)
	switch key {
	case "name":
		return lua.LString(e.Host.Name())
	case "ifname":
		return lua.LString(e.Ifname)
	case "mac":
		return lua.LString(e.MAC.String())
	case "ip":
		return lua.LString(e.Addr.Addr().String())
	case "prefix":
		return lua.LNumber(e.Addr.Bits())
	case "cidr":
		return lua.LString(e.Addr.String())
	case "ifindex":
		return lua.LNumber(e.Ifindex)
	case "host":
		return object(L, e.Host)
	case "peer":
		return object(L, e.Peer)
	case "netns":
		return optString(e.Host.Pinned())
	}
	return lua.LNil
}

// optString is s, or nil when s is empty.
func optString(s string) lua.LValue {
	if s == "" {
		return lua.LNil
	}
	return lua.LString(s)
}
