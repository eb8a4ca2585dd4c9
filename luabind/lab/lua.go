package lab

import (
	"fmt"
	"os"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/caps"
	lua "github.com/yuin/gopher-lua"
)

// Module returns the Lua module "lab", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	m := &luabind.Module{
		Name: "lab",
		Doc:  "throwaway network namespaces joined by veth pairs, switches and routers, addressed from 198.18.0.0/15 and 2001:2::/48, with topology builders",
		Funcs: []luabind.Func{
			{Name: "pair", Sig: "pair([opts]) -> a, b", Fn: pair,
				Types: luabind.Types{"opts": "table", "a": "lab.end", "b": "lab.end"},
				Doc:   "two new namespaces a and b joined by a veth pair, up and addressed in IPv4 and IPv6 (opts: pin, ipv6 = false to leave IPv6 out, private as lab.new's)"},
			{Name: "new", Sig: "new([opts]) -> lab", Fn: newLab,
				Types: luabind.Types{"opts": "table", "lab": "lab.lab"},
				Doc:   "an empty lab to build bigger topologies with lab:host, lab:switch, lab:router and lab:link (opts: pin, ipv6 = false to leave IPv6 out; private = true gives each host its own /etc/hosts with the lab's names, /etc/resolv.conf, /run, /var/lib/misc and /var/log, a tmpfs at host.dir that goes with the host)"},
		},
		Types: []*luabind.Type{labType, hostType, endType, linkType},
	}
	m.Funcs = append(m.Funcs, builderFuncs...)
	return m
}

// needLinks is the capability lab calls need once namespaces can be made
// (CheckPrivilege, and setns or unshare failing, name CAP_SYS_ADMIN
// themselves): setting links up, making veths, writing /proc/sys/net.
const needLinks = caps.NetAdmin

// state is the lab module's per-runtime state.
type state struct {
	subnets Subnets                // shared by every lab of the runtime
	objects map[any]*lua.LUserData // one userdata per lab, host and end
}

func stateOf(L *lua.LState) *state {
	return luabind.RuntimeOf(L).State("lab", func() any {
		return &state{objects: map[any]*lua.LUserData{}}
	}).(*state)
}

// pair implements lab.pair([opts]).
func pair(L *lua.LState) int {
	l := openLab(L, "lab.pair", luabind.CheckOptions(L, 1, "pin", "ipv6", "private"))
	ea, eb, err := l.Pair()
	if err != nil {
		l.Close()
		luabind.Raise(L, &luabind.OpError{Op: "lab.pair", Err: err, Need: needLinks})
	}
	L.Push(object(L, ea))
	L.Push(object(L, eb))
	return 2
}

// newLab implements lab.new([opts]); a func new would hide Go's builtin.
func newLab(L *lua.LState) int {
	l := openLab(L, "lab.new", luabind.CheckOptions(L, 1, "pin", "ipv6", "private"))
	L.Push(object(L, l))
	return 1
}

// openLab makes a lab on the runtime's ledger and subnets, after checking
// that the process may make namespaces at all.
func openLab(L *lua.LState, op string, o luabind.Options) *Lab {
	pin, ipv6 := o.Bool("pin", false), o.Bool("ipv6", true)
	if err := CheckPrivilege(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err})
	}
	return New(Config{
		Ledger:    luabind.RuntimeOf(L).Ledger,
		Subnets:   &stateOf(L).subnets,
		Pin:       pin,
		PinPrefix: fmt.Sprintf("netlua-%d-", os.Getpid()),
		NoIPv6:    !ipv6,
		Private:   o.Bool("private", false),
	})
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
	case *Link:
		t = linkType
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

// optString is s, or nil when s is empty.
func optString(s string) lua.LValue {
	if s == "" {
		return lua.LNil
	}
	return lua.LString(s)
}
