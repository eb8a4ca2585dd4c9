package netlink

import (
	"strings"
	"testing"
	"time"
)

// inOrder checks that out has lines starting with want, in this order,
// with any other lines between them.
func inOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for _, w := range want {
		for len(lines) > 0 && !strings.HasPrefix(lines[0], w) {
			lines = lines[1:]
		}
		if len(lines) == 0 {
			t.Errorf("output lacks %q after what came before:\n%s", w, out)
			return
		}
		lines = lines[1:]
	}
}

func TestWatchSeesWhatIPChanges(t *testing.T) {
	tl := newTestLab(t)
	gw := tl.b.Addr.Addr().String()
	out := tl.lua(t, sh+`
		local w
		w = nl.watch({ "link", "addr", "route" }, function(ev)
			if ev.kind == "link" then
				print(ev.type, ev.action, ev.ifname, ev.mtu, ev.up, ev.running)
			elseif ev.family == 4 and ev.kind == "addr" then
				print(ev.type, ev.action, ev.ifname, ev.addr, ev.seq > 0, ev.pid > 0)
			elseif ev.family == 4 and ev.table == 254 then
				print(ev.type, ev.action, ev.dst, ev.gateway or "-", ev.ifname, ev.proto)
			end
			if ev.dst == "198.18.99.0/24" then w:close() end
		end, { netns = A })
		ip(A, "link set veth0 mtu 1501")
		ip(A, "addr add 198.18.0.9/24 dev veth0")
		ip(A, "route add 198.18.50.0/24 via `+gw+`")
		ip(A, "route del 198.18.50.0/24")
		ip(A, "addr del 198.18.0.9/24 dev veth0")
		ip(A, "link set veth0 down")
		ip(A, "link set veth0 up")
		ip(A, "route add 198.18.99.0/24 dev veth0")`)
	inOrder(t, out,
		"RTM_NEWLINK\tnew\tveth0\t1501\ttrue\ttrue",
		"RTM_NEWADDR\tnew\tveth0\t198.18.0.9/24\ttrue\ttrue",
		"RTM_NEWROUTE\tnew\t198.18.50.0/24\t"+gw+"\tveth0\tboot",
		"RTM_DELROUTE\tdel\t198.18.50.0/24\t"+gw+"\tveth0\tboot",
		"RTM_DELADDR\tdel\tveth0\t198.18.0.9/24\ttrue\ttrue",
		"RTM_NEWLINK\tnew\tveth0\t1501\tfalse\tfalse",
		"RTM_NEWLINK\tnew\tveth0\t1501\ttrue\t", // running once the carrier is seen
		"RTM_NEWROUTE\tnew\t198.18.0.0/24\t-\tveth0\tkernel",
		"RTM_NEWROUTE\tnew\t198.18.99.0/24\t-\tveth0\tboot",
	)
}

func TestWatchNeighbours(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, sh+`local w
		w = nl.watch("neigh", function(ev)
			if ev.family == 4 and ev.state == "REACHABLE" then
				print(ev.type, ev.ifname, ev.dst, ev.mac); w:close()
			end
		end, { netns = A })
		run(A, "ping -c1 -W1 `+tl.b.Addr.Addr().String()+` >/dev/null")`)
	want := "RTM_NEWNEIGH\tveth0\t" + tl.b.Addr.Addr().String() + "\t" + tl.b.MAC.String() + "\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// The kernel drops IPv4 routes of a link going down without a message;
// resync_on_link_down reports them.
func TestResyncOnLinkDown(t *testing.T) {
	tl := newTestLab(t)
	gw := tl.b.Addr.Addr().String()
	out := tl.lua(t, sh+`
		ip(A, "route add 198.18.50.0/24 via `+gw+`")
		local w
		w = nl.watch("route4", function(ev)
			if ev.table == 254 then print(ev.type, ev.dst, ev.resync) end
			-- The resync's last event: the dump is done, so the next route
			-- is news (added any earlier, the dump could have held it).
			if ev.dst == "198.18.50.0/24" and ev.resync then ip(A, "route add blackhole 198.18.99.0/24") end
			if ev.dst == "198.18.99.0/24" then w:close() end
		end, { netns = A, resync_on_link_down = true })
		ip(A, "link set veth0 down")`)
	want := "RTM_DELROUTE\t198.18.0.0/24\ttrue\nRTM_DELROUTE\t198.18.50.0/24\ttrue\nRTM_NEWROUTE\t198.18.99.0/24\tnil\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A watcher keeps the script alive until it is closed; at exit the
// ledger closes it, whichever way the script ends.
func TestWatcherLifetime(t *testing.T) {
	tl := newTestLab(t)
	start := time.Now()
	out := tl.lua(t, `local w = nl.watch("link", print, { netns = A })
		print(w, w.groups, w.closed, w.rcvbuf >= 4194304)
		loop.after(0.2, function() w:close(); w:close(); print(w.closed, w) end)`)
	want := "netlink watcher link (open)\tlink\tfalse\ttrue\ntrue\tnetlink watcher link (closed)\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 5*time.Second {
		t.Errorf("the script took %v", d)
	}
	msg := tl.luaErr(t, `nl.watch("link", print, { netns = A }); error("boom")`)
	if !strings.Contains(msg, "boom") {
		t.Errorf("got %s", msg)
	}
}

// An error in the callback ends the script with that error.
func TestCallbackErrorEndsTheScript(t *testing.T) {
	tl := newTestLab(t)
	msg := tl.luaErr(t, sh+`nl.watch("link", function(ev) error("callback failed on " .. ev.ifname) end, { netns = A })
		ip(A, "link set veth0 mtu 1400")`)
	if !strings.Contains(msg, "callback failed on veth0") {
		t.Errorf("got %s", msg)
	}
}
