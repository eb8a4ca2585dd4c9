package netlink

import (
	"errors"
	"io/fs"
	"net/netip"
	"reflect"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
)

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func TestLinks(t *testing.T) {
	links, err := newFakeKernel().client().Links()
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 {
		t.Fatalf("got %d links, want 2", len(links))
	}
	l := links[1]
	if l.Name != "veth0" || l.Index != 2 || l.Kind != "veth" || l.MTU != 1500 || !l.Up() || !l.Running() ||
		l.OperState != "UP" || l.MAC.String() != "02:00:c6:12:00:01" {
		t.Errorf("veth0 reads %+v", l)
	}
}

func TestUnknownInterfaceListsThoseThereAre(t *testing.T) {
	c := newFakeKernel().client()
	for name, lookup := range map[string]func() (*Link, error){
		"by name":  func() (*Link, error) { return c.Link("eth9") },
		"by index": func() (*Link, error) { return c.LinkByIndex(9) },
	} {
		_, err := lookup()
		var nie *netns.NoInterfaceError
		if !errors.As(err, &nie) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s: got %v, want a NoInterfaceError", name, err)
		}
		if want := "no such interface (have: lo, veth0)"; err.Error() != want {
			t.Errorf("%s: got %q, want %q", name, err, want)
		}
	}
}

func TestAddrsAreNamedAndFiltered(t *testing.T) {
	c := newFakeKernel().client()
	addrs, err := c.Addrs(Filter{Index: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := &Addr{Index: 2, Ifname: "veth0", Prefix: mustPrefix("198.18.0.1/24"),
		Broadcast: netip.MustParseAddr("198.18.0.255")}
	if len(addrs) != 1 || !reflect.DeepEqual(addrs[0], want) {
		t.Errorf("got %+v, want [%+v]", addrs, want)
	}
	if addrs, _ := c.Addrs(Filter{Family: 6}); len(addrs) != 0 {
		t.Errorf("family 6 got %+v", addrs)
	}
}

func TestRoutesOfOneTable(t *testing.T) {
	c := newFakeKernel().client()
	main, err := c.Routes(Filter{Table: unix.RT_TABLE_MAIN})
	if err != nil {
		t.Fatal(err)
	}
	if len(main) != 1 || main[0].Dst != mustPrefix("198.18.0.0/24") || main[0].Ifname != "veth0" ||
		main[0].Scope != unix.RT_SCOPE_LINK || main[0].Proto != unix.RTPROT_KERNEL {
		t.Errorf("main table: %+v", main)
	}
	all, _ := c.Routes(Filter{Table: TableAll})
	if len(all) != 2 || all[1].Type != unix.RTN_LOCAL || all[1].Scope != unix.RT_SCOPE_HOST {
		t.Errorf("all tables: %+v", all)
	}
}

func TestNeighbors(t *testing.T) {
	ns, err := newFakeKernel().client().Neighbors(Filter{Index: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Dst.String() != "198.18.0.2" || ns[0].Ifname != "veth0" ||
		neighState(ns[0].State) != "REACHABLE" || ns[0].MAC.String() != "02:00:c6:12:00:02" {
		t.Errorf("got %+v", ns)
	}
}

func TestEmptyDump(t *testing.T) {
	k := newFakeKernel()
	k.neighs = nil
	ns, err := k.client().Neighbors(Filter{})
	if err != nil || len(ns) != 0 {
		t.Errorf("got %v, %v; want nothing", ns, err)
	}
}
