package lab

import (
	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// topoMethods are the lab's methods that build switches and routers and
// route between them.
var topoMethods = []luabind.Func{
	{Name: "switch", Sig: "lab:switch([name] [, opts]) -> switch", Fn: labSwitch,
		Types: luabind.Types{"name": "string", "opts": "table", "switch": "lab.host"},
		Doc:   "a switch: a host (sw1, sw2, ... by default) whose bridge br0 joins the hosts linked to it, on one subnet; opts: stp (the kernel's spanning tree, forward delay 2 s, for loops of switches), vlan_filtering (where the kernel has bridge VLAN filtering; an error names what is missing otherwise)"},
	{Name: "router", Sig: "lab:router([name]) -> router", Fn: labRouter,
		Types: luabind.Types{"name": "string", "router": "lab.host"},
		Doc:   "a host (r1, r2, ... by default) with IPv4 and IPv6 forwarding on, for lab:route to send traffic through"},
	{Name: "route", Sig: "lab:route()", Fn: labRoute,
		Doc: "installs static routes (IPv4 and IPv6, with netlink) so that every host reaches every subnet along a shortest path through routers; a host with exactly one router beside it gets default routes to it instead; call it again after adding links"},
	{Name: "get", Sig: "lab:get(name) -> host", Fn: labGet,
		Types: luabind.Types{"name": "string", "host": "lab.host"},
		Doc:   "the host (or switch, or router) called name, or nil; lab.name is the same when no field or method has that name"},
}

// labSwitch implements lab:switch([name] [, opts]).
func labSwitch(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	name := luabind.OptString(L, 2, "")
	o := luabind.CheckOptions(L, 3, "stp", "vlan_filtering")
	sw, err := l.Switch(name, SwitchOptions{STP: o.Bool("stp", false), VLANFiltering: o.Bool("vlan_filtering", false)})
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.switch", Err: err, Need: needLinks})
	}
	L.Push(object(L, sw))
	return 1
}

// labRouter implements lab:router([name]).
func labRouter(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	r, err := l.Router(luabind.OptString(L, 2, ""))
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.router", Err: err, Need: needLinks})
	}
	L.Push(object(L, r))
	return 1
}

// labRoute implements lab:route().
func labRoute(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	if err := l.Route(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.route", Err: err, Need: needLinks})
	}
	return 0
}

// labGet implements lab:get(name).
func labGet(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	if h := l.Named(luabind.CheckString(L, 2)); h != nil {
		L.Push(object(L, h))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// checkVLAN reads lab:link's vlan and vlans options; ok is false when
// neither is given.
func checkVLAN(L *lua.LState, o luabind.Options) (v VLAN, ok bool) {
	v.Access = o.Int("vlan", 0)
	if t, isTable := o.Value("vlans").(*lua.LTable); isTable {
		for i := 1; i <= t.Len(); i++ {
			n, isNum := t.RawGetInt(i).(lua.LNumber)
			if !isNum {
				o.Error("vlans", "expects a list of VLAN ids")
			}
			v.Tagged = append(v.Tagged, int(n))
		}
	} else if o.Has("vlans") {
		o.Error("vlans", "expects a list of VLAN ids")
	}
	return v, o.Has("vlan") || o.Has("vlans")
}

// switchPorts are the ends of a link that are switch ports (both, on a
// link between switches), or ex (which SetVLAN then refuses) when
// neither is.
func switchPorts(ex, ey *End) []*End {
	var ports []*End
	for _, e := range []*End{ex, ey} {
		if e.Host.sw != nil {
			ports = append(ports, e)
		}
	}
	if len(ports) == 0 {
		return []*End{ex}
	}
	return ports
}

// setVLANs gives each of ports the VLANs v.
func setVLANs(l *Lab, ports []*End, v VLAN) error {
	for _, p := range ports {
		if err := l.SetVLAN(p, v); err != nil {
			return err
		}
	}
	return nil
}
