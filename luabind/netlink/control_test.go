package netlink

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"
)

func TestSetLinkSendsOneRequest(t *testing.T) {
	k := newFakeKernel()
	down := false
	ch := LinkChange{Up: &down, MTU: 1400, MAC: mac("02:00:00:00:00:09"), Name: "lan0"}
	if err := k.client().SetLink(2, ch); err != nil {
		t.Fatal(err)
	}
	reqs := asked[rtnetlink.LinkMessage](k, unix.RTM_NEWLINK)
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	m := reqs[0]
	a := m.Attributes
	if m.Index != 2 || m.Change != unix.IFF_UP || m.Flags != 0 || a.MTU != 1400 || a.Name != "lan0" ||
		a.Address.String() != "02:00:00:00:00:09" {
		t.Errorf("request %+v %+v", m, a)
	}
	if got := ch.String(); got != "down mtu 1400 address 02:00:00:00:00:09 name lan0" {
		t.Errorf("String() = %q", got)
	}
}

func TestSetLinkLeavesOutWhatItDoesNotChange(t *testing.T) {
	k := newFakeKernel()
	if err := k.client().SetLink(2, LinkChange{MTU: 9000}); err != nil {
		t.Fatal(err)
	}
	m := asked[rtnetlink.LinkMessage](k, unix.RTM_NEWLINK)[0]
	if m.Change != 0 || m.Attributes.Name != "" || m.Attributes.Address != nil {
		t.Errorf("request changes more than the MTU: %+v %+v", m, m.Attributes)
	}
}

func TestRevertTakesBackWhatChanged(t *testing.T) {
	up := false
	before := &Link{Name: "veth0", MTU: 1500, Flags: unix.IFF_UP, MAC: mac("02:00:00:00:00:01")}
	back := LinkChange{Up: &up, MTU: 1400}.Revert(before)
	if back.Up == nil || !*back.Up || back.MTU != 1500 || back.MAC != nil || back.Name != "" {
		t.Errorf("revert is %s", back)
	}
}

func TestKernelErrorsInWords(t *testing.T) {
	tests := []struct {
		errno unix.Errno
		do    func(c *Client) error
		want  string
	}{
		{unix.EEXIST, func(c *Client) error { return c.AddAddr(2, mustPrefix("198.18.0.1/24")) },
			"198.18.0.1/24 is already there (file exists)"},
		{unix.EADDRNOTAVAIL, func(c *Client) error { return c.DelAddr(2, mustPrefix("198.18.0.9/24")) },
			"198.18.0.9/24 is not there (cannot assign requested address)"},
		{unix.ESRCH, func(c *Client) error { return c.DelRoute(RouteSpec{Dst: mustPrefix("198.18.9.0/24")}) },
			"route 198.18.9.0/24 is not there (no such process)"},
		{unix.EEXIST, func(c *Client) error {
			return c.AddRoute(RouteSpec{Dst: mustPrefix("0.0.0.0/0"), Gateway: netip.MustParseAddr("198.18.0.2")})
		}, "route default via 198.18.0.2 is already there (file exists)"},
		{unix.EPERM, func(c *Client) error { return c.SetLink(2, LinkChange{MTU: 1400}) },
			"operation not permitted"},
	}
	for _, tt := range tests {
		k := newFakeKernel()
		k.errno = tt.errno
		err := tt.do(k.client())
		if err == nil || err.Error() != tt.want || !errors.Is(err, tt.errno) {
			t.Errorf("%v: got %v, want %q", tt.errno, err, tt.want)
		}
	}
}

func TestPermissionErrorIsErrPermission(t *testing.T) {
	k := newFakeKernel()
	k.errno = unix.EPERM
	if err := k.client().AddAddr(2, mustPrefix("198.18.0.5/24")); !errors.Is(err, os.ErrPermission) {
		t.Errorf("got %v, want os.ErrPermission", err)
	}
}

func TestAddAddrBroadcast(t *testing.T) {
	tests := []struct{ cidr, bcast string }{
		{"198.18.0.1/24", "198.18.0.255"},
		{"198.18.4.9/22", "198.18.7.255"},
		{"198.18.0.1/31", ""},
		{"198.18.0.1/32", ""},
		{"fd00::1/64", ""},
	}
	for _, tt := range tests {
		k := newFakeKernel()
		if err := k.client().AddAddr(2, mustPrefix(tt.cidr)); err != nil {
			t.Fatal(err)
		}
		m := asked[rtnetlink.AddressMessage](k, unix.RTM_NEWADDR)[0]
		got := ""
		if m.Attributes.Broadcast != nil {
			got = net.IP(m.Attributes.Broadcast).String()
		}
		if got != tt.bcast || m.PrefixLength != uint8(mustPrefix(tt.cidr).Bits()) {
			t.Errorf("%s: broadcast %q, prefix %d", tt.cidr, got, m.PrefixLength)
		}
	}
}

func TestRouteRequests(t *testing.T) {
	gw := netip.MustParseAddr("198.18.0.2")
	tests := []struct {
		name  string
		spec  RouteSpec
		add   bool
		check func(m *rtnetlink.RouteMessage) bool
	}{
		{"dev only is scope link", RouteSpec{Dst: mustPrefix("198.18.1.0/24"), Index: 2}, true,
			func(m *rtnetlink.RouteMessage) bool {
				return m.Scope == unix.RT_SCOPE_LINK && m.Protocol == unix.RTPROT_STATIC && m.Type == unix.RTN_UNICAST &&
					m.Table == unix.RT_TABLE_MAIN && m.Attributes.OutIface == 2
			}},
		{"via is scope global", RouteSpec{Dst: mustPrefix("198.18.1.0/24"), Gateway: gw}, true,
			func(m *rtnetlink.RouteMessage) bool {
				return m.Scope == unix.RT_SCOPE_UNIVERSE && net.IP(m.Attributes.Gateway).Equal(gw.AsSlice())
			}},
		{"blackhole", RouteSpec{Dst: mustPrefix("198.19.0.1/32"), Type: unix.RTN_BLACKHOLE}, true,
			func(m *rtnetlink.RouteMessage) bool {
				return m.Scope == unix.RT_SCOPE_UNIVERSE && m.DstLength == 32
			}},
		{"big table goes in RTA_TABLE", RouteSpec{Dst: mustPrefix("198.18.1.0/24"), Index: 2, Table: 1000}, true,
			func(m *rtnetlink.RouteMessage) bool { return m.Table == 0 && m.Attributes.Table == 1000 }},
		{"default has no RTA_DST", RouteSpec{Dst: mustPrefix("::/0"), Gateway: netip.MustParseAddr("fd00::1")}, true,
			func(m *rtnetlink.RouteMessage) bool {
				return m.Family == unix.AF_INET6 && m.Attributes.Dst == nil && m.DstLength == 0
			}},
		{"delete leaves wildcards", RouteSpec{Dst: mustPrefix("198.18.1.0/24")}, false,
			func(m *rtnetlink.RouteMessage) bool {
				return m.Scope == unix.RT_SCOPE_NOWHERE && m.Protocol == 0 && m.Type == 0 && m.Table == unix.RT_TABLE_MAIN
			}},
	}
	for _, tt := range tests {
		if m := tt.spec.message(tt.add); !tt.check(m) {
			t.Errorf("%s: %+v", tt.name, m)
		}
	}
}

func TestRouteSpecCheck(t *testing.T) {
	bad := []RouteSpec{
		{},
		{Dst: mustPrefix("198.18.1.0/24"), Gateway: netip.MustParseAddr("fd00::1")},
		{Dst: mustPrefix("fd01::/64"), Src: netip.MustParseAddr("198.18.0.1")},
	}
	for _, s := range bad {
		if err := s.Check(); err == nil {
			t.Errorf("%+v passes the check", s)
		}
	}
}

func TestFindRoute(t *testing.T) {
	c := newFakeKernel().client()
	r, err := c.FindRoute(RouteSpec{Dst: mustPrefix("198.18.0.0/24")})
	if err != nil || r.Ifname != "veth0" || r.Proto != unix.RTPROT_KERNEL {
		t.Fatalf("got %+v, %v", r, err)
	}
	if s := r.Spec(); !s.matches(r) || s.Index != 2 || s.Proto != unix.RTPROT_KERNEL {
		t.Errorf("spec %+v does not select its route", s)
	}
	_, err = c.FindRoute(RouteSpec{Dst: mustPrefix("198.18.0.0/24"), Index: 1})
	if !errors.Is(err, unix.ESRCH) {
		t.Errorf("a route of another device: got %v, want ESRCH", err)
	}
}

func TestGoneIsNothingToUndo(t *testing.T) {
	for _, err := range []error{unix.ENODEV, unix.ESRCH, unix.EEXIST, unix.EADDRNOTAVAIL} {
		if !gone(explain(err, "x", nil)) {
			t.Errorf("%v is not gone", err)
		}
	}
	if gone(unix.EPERM) {
		t.Error("EPERM counts as gone")
	}
}
