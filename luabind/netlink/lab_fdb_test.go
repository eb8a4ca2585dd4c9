package netlink

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// bridgeFDB is an entry of bridge -j fdb show.
type bridgeFDB struct {
	MAC    string   `json:"mac"`
	Ifname string   `json:"ifname"`
	Master string   `json:"master"`
	VLAN   int      `json:"vlan"`
	State  string   `json:"state"`
	Flags  []string `json:"flags"`
}

// bridgeStates maps bridge fdb's states to ip neigh's, which netlua uses.
var bridgeStates = map[string]string{"": "REACHABLE", "permanent": "PERMANENT", "static": "NOARP", "stale": "STALE"}

// run runs argv inside ns and returns its output; a failure fails the test.
func run(t *testing.T, ns string, argv ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := inNS(ctx, ns, argv...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return string(out)
}

// The forwarding database netlink.fdb lists is bridge fdb show's, with
// the entry a bridge learnt from a frame of b among them.
func TestFDBMatchesBridge(t *testing.T) {
	tl := newTestLab(t)
	ip(t, tl.nsA, "link", "add", "br0", "type", "bridge")
	ip(t, tl.nsA, "link", "set", "veth0", "master", "br0")
	ip(t, tl.nsA, "link", "set", "br0", "up")
	// b's ARP request for a's address (no longer answered: veth0 is a
	// port now) teaches br0 b's MAC
	inNS(context.Background(), tl.nsB, "ping", "-c", "1", "-W", "1", tl.a.Addr.Addr().String()).Run()

	out := tl.lua(t, `for _, e in ipairs(nl.fdb{ netns = A }) do
		print(e.mac, e.ifname, e.master or "-", e.vlan or 0, e.state, e.self)
	end
	local only = nl.fdb("veth0", { netns = A })
	for _, e in ipairs(only) do assert(e.ifname == "veth0", e.ifname) end
	print("veth0 only", #only > 0)`)
	var entries []bridgeFDB
	if err := json.Unmarshal([]byte(run(t, tl.nsA, "bridge", "-j", "fdb", "show")), &entries); err != nil {
		t.Fatal(err)
	}
	want := []string{"veth0 only\ttrue"}
	learnt := false
	for _, e := range entries {
		master := e.Master
		if master == "" {
			master = "-"
		}
		self := strings.Contains(strings.Join(e.Flags, " "), "self")
		want = append(want, fmt.Sprintf("%s\t%s\t%s\t%d\t%s\t%v", e.MAC, e.Ifname, master, e.VLAN, bridgeStates[e.State], self))
		learnt = learnt || (e.MAC == tl.b.MAC.String() && e.Master == "br0" && e.Ifname == "veth0")
	}
	if !learnt {
		t.Errorf("bridge fdb show has no entry for b's %s behind veth0:\n%s", tl.b.MAC, run(t, tl.nsA, "bridge", "fdb", "show"))
	}
	sameLines(t, "forwarding database", linesOf(out), want)
}

// A bridge learning an address tells the neigh group: an event of family
// 0 (AF_BRIDGE) with the port and the MAC, and no IP address.
func TestFDBWatch(t *testing.T) {
	tl := newTestLab(t)
	ip(t, tl.nsA, "link", "add", "br0", "type", "bridge")
	ip(t, tl.nsA, "link", "set", "veth0", "master", "br0")
	ip(t, tl.nsA, "link", "set", "br0", "up")
	out := tl.lua(t, sh+fmt.Sprintf(`local w, timeout
	w = nl.watch("neigh", function(ev)
		if ev.type == "RTM_NEWNEIGH" and ev.family == 0 and ev.mac == %q then
			print(ev.type, ev.ifname, ev.dst, ev.state)
			w:close()
			timeout:cancel()
		end
	end, { netns = A })
	-- b's first frames (IPv6 link-local chatter) may have taught the
	-- bridge its MAC before the watch began: forget it, then ping.
	loop.after(0.05, function()
		run(A, "bridge fdb del %s dev veth0 master 2>/dev/null")
		run(B, "ping -c 1 -W 1 %s >/dev/null")
	end)
	timeout = loop.after(3, function() w:close() end)
	loop.run()`, tl.b.MAC, tl.b.MAC, tl.a.Addr.Addr()))
	if want := "RTM_NEWNEIGH\tveth0\tnil\tREACHABLE\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
