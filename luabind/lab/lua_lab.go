package lab

import (
	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// init gives the lab type its methods and field getter, which refer back
// to the type and so cannot sit in its declaration.
func init() {
	labType.Methods = []luabind.Func{
		{Name: "host", Sig: "lab:host([name]) -> host", Fn: labHost,
			Types: luabind.Types{"name": "string", "host": "lab.host"},
			Doc:   "a new namespace with lo up; name defaults to h1, h2, ..."},
		{Name: "link", Sig: "lab:link(x, y [, opts]) -> ex, ey, link", Fn: labLink,
			Types: luabind.Types{"x": "lab.host|lab.end", "y": "lab.host|lab.end", "opts": "table", "ex": "lab.end", "ey": "lab.end", "link": "lab.link"},
			Doc:   "joins hosts (or the hosts of ends) x and y with a veth pair on a fresh /24 (and /64 of 2001:2::/48): x gets .1, y .2; a host linked to a switch gets the switch's subnet, .1, .2, ... in link order, and two switches linked share one; opts: a shape for both directions, as link:shape takes it (delay, jitter, loss, rate, queue, ...), and for a switch port vlan (an access port's VLAN) or vlans (a trunk's tagged VLANs; both ends of a link between switches), where the kernel has bridge VLAN filtering"},
		{Name: "lan", Sig: "lab:lan(x, y, ...) -> ex, ey, ...", Fn: labLAN,
			Types: luabind.Types{"x": "lab.host|lab.end", "y": "lab.host|lab.end", "ex": "lab.end", "ey": "lab.end"},
			Doc:   "joins hosts (or the hosts of ends) on one Ethernet segment: a new switch host (sw1, ...) bridges a veth to each; their ends share a fresh /24, .1, .2, ... in order"},
		{Name: "close", Sig: "lab:close()", Fn: labClose,
			Doc: "tears the lab down now instead of at exit, with every process its hosts run"},
	}
	labType.Methods = append(labType.Methods, topoMethods...)
	labType.Methods = append(labType.Methods, toolMethods...)
	labType.Get = getLab
}

var labType = &luabind.Type{
	Name: "lab.lab",
	Doc:  "a set of namespaces (hosts) and veth links between them, torn down at exit",
	Fields: []luabind.Field{
		{Name: "hosts", Type: "table", Doc: "the lab's hosts, in the order they were made"},
		{Name: "pin", Type: "boolean", Doc: "whether hosts are named under /run/netns"},
	},
}

// labHost implements lab:host([name]).
func labHost(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	h, err := l.Host(luabind.OptString(L, 2, ""))
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.host", Err: err, Need: needLinks})
	}
	L.Push(object(L, h))
	return 1
}

// labLink implements lab:link(x, y [, opts]).
func labLink(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	x, y := checkHost(L, 2), checkHost(L, 3)
	o := luabind.CheckOptions(L, 4, append([]string{"vlan", "vlans"}, shapeOptions...)...)
	vlan, hasVLAN := checkVLAN(L, o)
	shape := shapeOf(L, 4, o)
	ex, ey, err := l.Link(x, y)
	if err == nil && hasVLAN {
		err = setVLANs(l, switchPorts(ex, ey), vlan)
	}
	if err == nil && !shape.IsZero() {
		_, err = ex.Link().Shape(shape)
	}
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.link", Err: err, Need: needLinks})
	}
	L.Push(object(L, ex))
	L.Push(object(L, ey))
	L.Push(object(L, ex.Link()))
	return 3
}

// labLAN implements lab:lan(x, y, ...).
func labLAN(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	hosts := make([]*Host, L.GetTop()-1)
	for i := range hosts {
		hosts[i] = checkHost(L, i+2)
	}
	ends, err := l.LAN(hosts)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.lan", Err: err, Need: needLinks})
	}
	for _, e := range ends {
		L.Push(object(L, e))
	}
	return len(ends)
}

// labClose implements lab:close().
func labClose(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	if err := l.Close(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.close", Err: err})
	}
	return 0
}

// getLab serves the fields of a lab.
func getLab(L *lua.LState, v any, key string) lua.LValue {
	l := v.(*Lab)
	switch key {
	case "hosts":
		return list(L, l.Hosts())
	case "pin":
		return lua.LBool(l.Pinned())
	}
	if h := l.Named(key); h != nil {
		return object(L, h)
	}
	return lua.LNil
}
