package netlink

import (
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// FuzzDecode feeds any bytes to Decode as the body of each notification
// type: what the kernel sends is parsed in Go, and no input may panic.
func FuzzDecode(f *testing.F) {
	k := newFakeKernel()
	f.Add(uint8(0), encode(unix.RTM_NEWLINK, &k.links[1]).Data)
	f.Add(uint8(2), encode(unix.RTM_NEWADDR, &k.addrs[1]).Data)
	f.Add(uint8(4), encode(unix.RTM_NEWROUTE, &k.routes[0]).Data)
	f.Add(uint8(6), encode(unix.RTM_NEWNEIGH, &k.neighs[0]).Data)
	f.Add(uint8(5), []byte{})
	types := []netlink.HeaderType{
		unix.RTM_NEWLINK, unix.RTM_DELLINK, unix.RTM_NEWADDR, unix.RTM_DELADDR,
		unix.RTM_NEWROUTE, unix.RTM_DELROUTE, unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH,
	}
	f.Fuzz(func(t *testing.T, typ uint8, data []byte) {
		msg := netlink.Message{Header: netlink.Header{Type: types[int(typ)%len(types)]}, Data: data}
		ev, ok := Decode(msg)
		if !ok {
			t.Fatal("a notification type does not decode")
		}
		if ev.Err == nil && ev.Link == nil && ev.Addr == nil && ev.Route == nil && ev.Neigh == nil {
			t.Fatal("no error and no object")
		}
		w := newWatcher(nil, k.client(), WatchConfig{Groups: GroupLink | GroupAddr4 | GroupRoute4 | GroupNeigh})
		w.names, w.routes = Names{}, routeCache{}
		w.note(ev, nil)
	})
}
