package netlink

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"golang.org/x/sys/unix"
)

// burstSize is the route burst of the issue: 20,000 routes from one
// ip -batch, as fast as the kernel takes them.
const burstSize = 20000

// burstFile writes an ip -batch file adding n blackhole routes in
// 198.19.0.0/16 and returns its path.
func burstFile(t testing.TB, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "route add blackhole 198.19.%d.%d/32\n", i/256, i%256)
	}
	path := filepath.Join(t.TempDir(), "burst")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// With the defaults a slow callback loses nothing: the backlog holds what
// the callback has not taken yet. Each route is counted or an overrun is
// reported, and the watcher goes on after the burst.
func TestBurstWithASlowCallback(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, sh+`
		local n, overruns, w, timeout = 0, 0
		w = nl.watch("route4", function(ev)
			if ev.type == "overrun" then overruns = overruns + 1
			elseif ev.rtype == "blackhole" and not ev.resync then n = n + 1 end
			local x = 0; for i = 1, 300 do x = x + i end -- a slow callback
			if ev.dst == "198.18.99.0/24" then print(n, overruns); w:close(); timeout:cancel() end
		end, { netns = A })
		-- A bound for a failure: the sentinel route never reported.
		timeout = loop.after(60, function() print("timeout"); w:close() end)
		ip(A, "-batch `+burstFile(t, burstSize)+`")
		ip(A, "route add 198.18.99.0/24 dev veth0")`)
	if strings.HasPrefix(out, "timeout") {
		t.Fatal("the route added after the burst was never reported, not even by a resync")
	}
	var n, overruns int
	fmt.Sscan(out, &n, &overruns)
	t.Logf("%d of %d routes seen, %d overruns", n, burstSize, overruns)
	if n != burstSize && overruns == 0 {
		t.Errorf("%d of %d routes seen and no overrun reported", n, burstSize)
	}
}

// When the kernel does overrun the socket (a tiny backlog and a 64 KiB
// buffer make sure of it), the script is told, gets the routes
// again, and ends up knowing every route.
func TestBurstOverrunIsReportedAndResynced(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, sh+`
		local routes, n, overruns, resynced, sentinel, w, timeout = {}, 0, 0, 0, false
		local function done()
			print(n, overruns, resynced); w:close(); timeout:cancel()
		end
		w = nl.watch("route4", function(ev)
			if ev.type == "overrun" then overruns = overruns + 1
			elseif ev.type == "resynced" then resynced = resynced + 1
			elseif ev.rtype == "blackhole" then
				local known = routes[ev.dst]
				if ev.action == "new" and not known then n = n + 1; routes[ev.dst] = true end
				if ev.action == "del" and known then n = n - 1; routes[ev.dst] = nil end
			end
			sentinel = sentinel or ev.dst == "198.18.99.0/24"
			local x = 0; for i = 1, 300 do x = x + i end
			if sentinel and n == `+fmt.Sprint(burstSize)+` and resynced == overruns then done() end
		end, { netns = A, backlog = 16, rcvbuf = 65536 })
		timeout = loop.after(30, done)
		ip(A, "-batch `+burstFile(t, burstSize)+`")
		ip(A, "route add 198.18.99.0/24 dev veth0")`)
	var n, overruns, resynced int
	fmt.Sscan(out, &n, &overruns, &resynced)
	t.Logf("%d routes known at the end, %d overruns, %d resyncs", n, overruns, resynced)
	if overruns == 0 || resynced == 0 || n != burstSize {
		t.Errorf("got %d routes, %d overruns, %d resyncs; want %d routes after at least one overrun and resync",
			n, overruns, resynced, burstSize)
	}
}

// A burstResult is what a watcher saw of a burst.
type burstResult struct {
	routes, overruns int
	rcvbuf           int
	took             time.Duration
}

// measureBurst adds burstSize routes in tl's a while a watcher with cfg
// watches, and a consumer takes each event perEvent after the last.
func measureBurst(t testing.TB, ns *lab.End, file string, cfg WatchConfig, perEvent time.Duration) burstResult {
	var mu sync.Mutex
	var r burstResult
	notes := make(chan struct{}, 1)
	cfg.NS, cfg.Groups = ns.NetNS(), GroupRoute4
	cfg.Notify = func() {
		select {
		case notes <- struct{}{}:
		default:
		}
	}
	w, err := Watch(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r.rcvbuf = w.Stats().ReadBuffer
	stop := make(chan struct{})
	go consume(w, notes, stop, perEvent, &mu, &r)
	start := time.Now()
	res, err := ns.Host.Exec(t.Context(), lab.Cmd{Argv: []string{"ip", "-batch", file}})
	if err != nil || res.Status != 0 {
		t.Fatalf("ip -batch: %v %s", err, res.Output)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		settled := r.routes == burstSize || (r.overruns > 0 && w.Stats().Queued == 0)
		mu.Unlock()
		if settled {
			break
		}
	}
	close(stop)
	mu.Lock()
	defer mu.Unlock()
	r.took = time.Since(start)
	return r
}

// consume takes events, spending perEvent on each, and counts them.
func consume(w *Watcher, notes, stop chan struct{}, perEvent time.Duration, mu *sync.Mutex, r *burstResult) {
	for {
		select {
		case <-notes:
		case <-stop:
			return
		}
		for _, ev := range w.Take(nil, 1<<20) {
			for end := time.Now().Add(perEvent); time.Now().Before(end); {
			}
			mu.Lock()
			switch {
			case ev.Type == TypeOverrun:
				r.overruns++
			case ev.Route != nil && ev.Route.Type == unix.RTN_BLACKHOLE && !ev.Resync:
				r.routes++
			}
			mu.Unlock()
		}
	}
}

// TestBurstLoss measures what reaches a consumer of a 20,000-route burst:
// with the kernel's default receive buffer or 4 MiB, with the reader
// running free (the backlog) or held to a consumer's pace (backlog 1,
// 5 µs per event, like a slow callback). Loss is always reported as an
// overrun; the numbers are logged (go test -v -run BurstLoss).
func TestBurstLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("five bursts of 20,000 routes; a measurement rather than a check")
	}
	tl := newTestLab(t)
	file := burstFile(t, burstSize)
	tests := []struct {
		name     string
		cfg      WatchConfig
		perEvent time.Duration
	}{
		{"default buffer, free reader", WatchConfig{}, 0},
		{"4 MiB, free reader", WatchConfig{ReadBuffer: DefaultReadBuffer}, 0},
		{"default buffer, paced reader", WatchConfig{Backlog: 1}, 5 * time.Microsecond},
		{"4 MiB, paced reader", WatchConfig{ReadBuffer: DefaultReadBuffer, Backlog: 1}, 5 * time.Microsecond},
		{"netlua's defaults, slow consumer", WatchConfig{ReadBuffer: DefaultReadBuffer}, 5 * time.Microsecond},
	}
	for _, tt := range tests {
		ip(t, tl.nsA, "route", "flush", "type", "blackhole")
		r := measureBurst(t, tl.a, file, tt.cfg, tt.perEvent)
		lost := burstSize - r.routes
		t.Logf("%-34s rcvbuf %7d: %5d of %d routes (%.1f%% lost), %d overruns, %v",
			tt.name, r.rcvbuf, r.routes, burstSize, 100*float64(lost)/burstSize, r.overruns, r.took.Round(time.Millisecond))
		if lost > 0 && r.overruns == 0 {
			t.Errorf("%s: %d routes lost without an overrun", tt.name, lost)
		}
	}
}
