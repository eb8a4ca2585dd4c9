package netlink

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"strings"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/netns"
	lua "github.com/yuin/gopher-lua"
)

// raise raises a failure of op on object; permission errors get the
// CAP_NET_ADMIN hint.
func raise(L *lua.LState, op, object string, err error) {
	luabind.Raise(L, &luabind.OpError{Op: op, Object: object, Err: err, Need: "CAP_NET_ADMIN"})
}

// dial opens a client in the namespace of the option netns, raising a
// failure as op's. The caller closes it (defer: Lua errors unwind).
func dial(L *lua.LState, op string, o luabind.Options) (*Client, *netns.NS) {
	ns := luabind.NetNSOption(o, op)
	c, err := Dial(ns)
	if err != nil {
		raise(L, op, "", err)
	}
	return c, ns
}

// checkIface checks that argument n names an interface (a name or an
// index), before anything is asked of the kernel.
func checkIface(L *lua.LState, n int) lua.LValue {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return v
	case lua.LNumber:
		// The kernel's interface indexes are positive int32s; the request
		// field is a uint32, which a larger number would wrap to another
		// interface's.
		if i := luabind.CheckInt(L, n); i < 1 || i > math.MaxInt32 {
			luabind.ArgError(L, n, fmt.Sprintf("%d is not an interface index (1 to %d)", i, math.MaxInt32))
		}
		return v
	}
	luabind.TypeError(L, n, "interface name or index")
	return nil
}

// findLink resolves iface, a value checkIface accepted, raising op's
// error (which lists the interfaces there are) when there is no such one.
func findLink(L *lua.LState, op string, c *Client, iface lua.LValue) *Link {
	var l *Link
	var err error
	if name, ok := iface.(lua.LString); ok {
		l, err = c.Link(string(name))
	} else {
		l, err = c.LinkByIndex(int(iface.(lua.LNumber)))
	}
	if err != nil {
		raise(L, op, iface.String(), err)
	}
	return l
}

// optIfaceAndOptions reads the arguments ([iface] [, opts]): a table
// first is the options. iface is nil when absent.
func optIfaceAndOptions(L *lua.LState, names ...string) (lua.LValue, luabind.Options) {
	if _, ok := L.Get(1).(*lua.LTable); ok {
		return nil, luabind.CheckOptions(L, 1, names...)
	}
	if L.Get(1) == lua.LNil {
		return nil, luabind.CheckOptions(L, 2, names...)
	}
	return checkIface(L, 1), luabind.CheckOptions(L, 2, names...)
}

// familyOption reads the option family: 4, 6, or absent (0).
func familyOption(o luabind.Options, name string) int {
	f := o.Int(name, 0)
	if f != 0 && f != 4 && f != 6 {
		o.Error(name, fmt.Sprintf("expects 4 or 6, got %d", f))
	}
	return f
}

// tableOption reads the option table: a number or main, local, default,
// or all (TableAll).
func tableOption(o luabind.Options, def uint32) uint32 {
	switch v := o.Value("table").(type) {
	case *lua.LNilType:
		return def
	case lua.LString:
		if v == "all" {
			return TableAll
		}
		t, err := tables.parse(string(v), 1<<32-2)
		if err != nil || t == 0 {
			o.Error("table", fmt.Sprintf("expects a table number or one of all, default, local, main, got '%s'", v))
		}
		return t
	}
	return uint32(intOption(o, "table", "a table number", 1, math.MaxUint32-1))
}

// intOption reads option key, which is given, as what, an integer from
// lo to hi: the kernel's fields are narrower than a Lua number, and a
// value beyond them would be cut short, not refused.
func intOption(o luabind.Options, key, what string, lo, hi int) int {
	n := o.Int(key, 0)
	if n < lo || n > hi {
		o.Error(key, fmt.Sprintf("expects %s from %d to %d, got %d", what, lo, hi, n))
	}
	return n
}

// nameOption reads an option naming a value of names (a route type, a
// protocol): a name or a number up to max.
func nameOption(o luabind.Options, key string, names nameTable, max uint32) uint8 {
	v := o.Value(key)
	if v == lua.LNil {
		return 0
	}
	if _, ok := v.(lua.LNumber); ok {
		return uint8(intOption(o, key, "a name or a number", 0, int(max)))
	}
	s, ok := v.(lua.LString)
	if !ok {
		o.Error(key, "expects a name or a number, got "+v.Type().String())
	}
	n, err := names.parse(string(s), max)
	if err != nil {
		o.Error(key, err.Error())
	}
	return uint8(n)
}

// parsePrefix reads "198.18.0.1/24"; a bare address is a host prefix.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// checkPrefix reads argument n as an address with its prefix length.
func checkPrefix(L *lua.LState, n int) netip.Prefix {
	s := luabind.CheckString(L, n)
	p, err := parsePrefix(s)
	if err != nil || p.Addr().Zone() != "" {
		luabind.ArgError(L, n, fmt.Sprintf("'%s' is not an address such as 198.18.0.1/24", s))
	}
	return p
}

// addrOption reads option key as an IP address, zero when absent.
func addrOption(o luabind.Options, key string) netip.Addr {
	s := o.String(key, "")
	if s == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		o.Error(key, fmt.Sprintf("expects an IP address, got '%s'", s))
	}
	return a
}

// linkChange reads the changes of set_link's options.
func linkChange(o luabind.Options) LinkChange {
	ch := LinkChange{Name: o.String("name", "")}
	if o.Has("up") {
		up := o.Bool("up", false)
		ch.Up = &up
	}
	if o.Has("mtu") {
		ch.MTU = uint32(intOption(o, "mtu", "an MTU in bytes", 1, math.MaxUint32))
	}
	if len(ch.Name) > 15 || (o.Has("name") && ch.Name == "") {
		o.Error("name", fmt.Sprintf("'%s' is not an interface name (1 to 15 characters)", ch.Name))
	}
	if s := o.String("mac", ""); s != "" || o.Has("mac") {
		mac, err := net.ParseMAC(s)
		if err != nil {
			o.Error("mac", fmt.Sprintf("expects a MAC address such as 02:00:00:00:00:01, got '%s'", s))
		}
		ch.MAC = mac
	}
	return ch
}

// routeOptions are the keys of the table add_route and del_route take.
var routeOptions = []string{"dst", "via", "dev", "src", "table", "metric", "type", "proto", "family", "netns", "undo"}

// checkRoute reads the route table, argument 1: everything but dev,
// which needs the namespace's interfaces.
func checkRoute(L *lua.LState) (RouteSpec, luabind.Options) {
	luabind.CheckTable(L, 1)
	o := luabind.CheckOptions(L, 1, routeOptions...)
	s := RouteSpec{
		Gateway: addrOption(o, "via"),
		Src:     addrOption(o, "src"),
		Table:   tableOption(o, 0),
		Type:    nameOption(o, "type", routeTypes, 255),
		Proto:   nameOption(o, "proto", protocols, 255),
	}
	if s.Table == TableAll {
		o.Error("table", "cannot be all for one route")
	}
	if o.Has("metric") {
		s.Metric = uint32(intOption(o, "metric", "a metric", 0, math.MaxUint32))
	}
	s.Dst = dstOption(o, s.Gateway)
	return s, o
}

// dstOption reads the route's destination: a prefix, or default (of the
// family of the gateway or the option family, IPv4 if neither says).
func dstOption(o luabind.Options, via netip.Addr) netip.Prefix {
	d := o.String("dst", "")
	fam := familyOption(o, "family")
	switch d {
	case "":
		o.Error("dst", "is required: a prefix such as 198.18.1.0/24, or default")
	case "default":
		if fam == 0 {
			fam = max(ipVersion(via), 4)
		}
		return netip.PrefixFrom(unspecified(fam), 0)
	}
	p, err := parsePrefix(d)
	if err != nil || p.Addr().Zone() != "" {
		o.Error("dst", fmt.Sprintf("expects a prefix such as 198.18.1.0/24 or default, got '%s'", d))
	}
	if p != p.Masked() {
		o.Error("dst", fmt.Sprintf("%s has host bits set (%s?)", p, p.Masked()))
	}
	return p
}
