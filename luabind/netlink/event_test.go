package netlink

import (
	"net/netip"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// notification is a kernel notification of type typ about m, as a
// request with seq from port pid caused it.
func notification(typ uint16, m rtnetlink.Message, seq, pid uint32) netlink.Message {
	msg := encode(typ, m)
	msg.Header.Sequence, msg.Header.PID = seq, pid
	return msg
}

func TestDecode(t *testing.T) {
	k := newFakeKernel()
	tests := []struct {
		msg   netlink.Message
		check func(ev Event) bool
	}{
		{notification(unix.RTM_NEWLINK, &k.links[1], 7, 4242), func(ev Event) bool {
			return ev.Type == "RTM_NEWLINK" && ev.Kind == "link" && ev.Action == "new" && ev.Seq == 7 &&
				ev.PID == 4242 && ev.Link.Name == "veth0" && ev.Link.MTU == 1500 && ev.Link.Kind == "veth"
		}},
		{notification(unix.RTM_DELADDR, &k.addrs[1], 0, 0), func(ev Event) bool {
			return ev.Type == "RTM_DELADDR" && ev.Action == "del" && ev.Addr.Prefix == mustPrefix("198.18.0.1/24") &&
				ev.Addr.Family() == 4 && ev.Addr.Index == 2
		}},
		{notification(unix.RTM_NEWROUTE, &k.routes[0], 0, 0), func(ev Event) bool {
			return ev.Kind == "route" && ev.Route.Dst == mustPrefix("198.18.0.0/24") && ev.Route.Family == 4 &&
				ev.Route.Table == unix.RT_TABLE_MAIN && ev.Route.Index == 2
		}},
		{notification(unix.RTM_NEWNEIGH, &k.neighs[0], 0, 0), func(ev Event) bool {
			return ev.Kind == "neigh" && ev.Neigh.Dst == netip.MustParseAddr("198.18.0.2") && ev.Neigh.Family == 4
		}},
	}
	for _, tt := range tests {
		ev, ok := Decode(tt.msg)
		if !ok || ev.Err != nil || !tt.check(ev) {
			t.Errorf("%v: got %+v (ok %v)", tt.msg.Header.Type, ev, ok)
		}
	}
}

func TestDecodeDefaultRoute(t *testing.T) {
	m := RouteSpec{Dst: mustPrefix("::/0"), Gateway: netip.MustParseAddr("fd00::1"), Metric: 1024}
	ev, _ := Decode(encode(unix.RTM_NEWROUTE, m.message(true)))
	if r := ev.Route; r.Dst != mustPrefix("::/0") || dstString(r.Dst) != "default" || r.Family != 6 || r.Metric != 1024 {
		t.Errorf("got %+v", r)
	}
}

func TestDecodeSkipsOtherMessages(t *testing.T) {
	for _, typ := range []netlink.HeaderType{netlink.Noop, netlink.Done, unix.RTM_NEWRULE, unix.RTM_NEWNETCONF} {
		if _, ok := Decode(netlink.Message{Header: netlink.Header{Type: typ}}); ok {
			t.Errorf("%v decodes", typ)
		}
	}
}

func TestDecodeKeepsAMalformedNotification(t *testing.T) {
	ev, ok := Decode(netlink.Message{Header: netlink.Header{Type: unix.RTM_NEWROUTE}, Data: []byte{2, 24}})
	if !ok || ev.Err == nil || ev.Route != nil || ev.Type != "RTM_NEWROUTE" {
		t.Errorf("got %+v, %v; want the event with its error", ev, ok)
	}
}

func TestNames(t *testing.T) {
	if got := neighState(unix.NUD_REACHABLE); got != "REACHABLE" {
		t.Errorf("neighState = %q", got)
	}
	if got := neighState(unix.NUD_STALE | unix.NUD_PERMANENT); got != "STALE,PERMANENT" {
		t.Errorf("neighState = %q", got)
	}
	if got := protocols.name(200); got != "200" {
		t.Errorf("unnamed protocol = %q", got)
	}
	if v, err := tables.parse("local", 1<<31); err != nil || v != 255 {
		t.Errorf("parse local = %d, %v", v, err)
	}
	if _, err := routeTypes.parse("blackhol", 255); err == nil {
		t.Error("a typo parses")
	}
	if got := operState(9); got != "9" {
		t.Errorf("operState(9) = %q", got)
	}
}

func TestGroups(t *testing.T) {
	g, err := ParseGroup("route")
	if err != nil || g != GroupRoute4|GroupRoute6 {
		t.Fatalf("route = %v, %v", g, err)
	}
	if s := (g | GroupAddr4 | GroupLink).String(); s != "link,addr4,route" {
		t.Errorf("String() = %q", s)
	}
	if m := GroupAddr6.mask(); m != unix.RTMGRP_LINK|unix.RTMGRP_IPV6_IFADDR {
		t.Errorf("mask = %#x", m)
	}
	_, err = ParseGroup("routes")
	if want := "unknown group 'routes', have: addr, addr4, addr6, link, neigh, route, route4, route6"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}
