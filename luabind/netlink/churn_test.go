package netlink

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
	lua "github.com/yuin/gopher-lua"
)

// churnSize is the churn: 100,000 routes added, then deleted, by
// ip -batch.
const churnSize = 100000

// churnMark is where the marks that end the churn test go: after the
// churn, outside the routes it adds.
const churnMark = "198.19.250."

// churnFiles writes the ip -batch files that add churnSize blackhole /32
// routes of 198.18.0.0/15, leaving out the lab's subnet, and delete them.
func churnFiles(t *testing.T, lab netip.Prefix) (adds, dels string) {
	var add, del strings.Builder
	a := netip.MustParseAddr("198.18.0.0")
	for n := 0; n < churnSize; a = a.Next() {
		if lab.Contains(a) {
			continue
		}
		fmt.Fprintf(&add, "route add blackhole %s/32\n", a)
		fmt.Fprintf(&del, "route del blackhole %s/32\n", a)
		n++
	}
	if strings.HasPrefix(a.String(), churnMark) || !netip.MustParsePrefix("198.18.0.0/15").Contains(a) {
		t.Fatalf("the churn reaches %s", a)
	}
	dir := t.TempDir()
	adds, dels = filepath.Join(dir, "adds"), filepath.Join(dir, "dels")
	for path, s := range map[string]string{adds: add.String(), dels: del.String()} {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return adds, dels
}

// churnScript keeps the namespace's routes in a table as a script should:
// it lists them after nl.watch, applies each event as what is true now,
// and forgets what it knew at an overrun. Each event costs it 100 µs of
// busy work. It knows its view is the kernel's when a mark added after the
// churn arrives as a live event: nothing was lost before it on the socket
// it came from, or an overrun would have come first. A mark seen only in a
// resync says that the churn is over; it adds another mark then. It
// prints "done" (or why it stopped), its counts, and the routes it knows.
const churnScript = `
local routes, overruns, resyncs, events, marks, markInDump = {}, 0, 0, 0, 0, false
local w, timeout, finished
local started = now()
local function finish(why)
	if finished then return end
	finished = true
	w:close(); timeout:cancel()
	local s = w:stats()
	print(why, overruns, resyncs, events, now() - started, s.overruns, s.discarded)
	local keys = {}
	for k in pairs(routes) do keys[#keys + 1] = k end
	table.sort(keys)
	for _, k in ipairs(keys) do print(k) end
end
w = nl.watch("route", function(ev)
	local t = now() + 100e-6
	while now() < t do end -- a slow callback: 100 µs of work per event
	events = events + 1
	if ev.type == "overrun" then
		routes, overruns, markInDump = {}, overruns + 1, false
	elseif ev.type == "resynced" then
		resyncs = resyncs + 1
		if markInDump then
			marks = marks + 1
			nl.add_route{ dst = MARK .. marks .. "/32", type = "blackhole", netns = A }
		end
	elseif ev.action == "new" then
		routes[routeLine(ev)] = true
	else
		routes[routeLine(ev)] = nil
	end
	if ev.action == "new" and ev.dst:sub(1, #MARK) == MARK then
		if ev.resync then markInDump = true else finish("done") end
	end
	if events > MAXEVENTS then finish("too much work") end
end, { netns = A })
for _, r in ipairs(nl.routes{ table = "all", netns = A }) do routes[routeLine(r)] = true end
timeout = loop.after(TIMEOUT, function() finish("timeout") end)
ready()
`

// churnResult is what the churn script printed.
type churnResult struct {
	why                       string
	overruns, resyncs, events int
	took                      float64
	statsOverruns, discarded  int
	routes                    []string
}

func parseChurn(t *testing.T, out string) churnResult {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var r churnResult
	if _, err := fmt.Sscan(lines[0], &r.why, &r.overruns, &r.resyncs, &r.events, &r.took, &r.statsOverruns, &r.discarded); err != nil {
		t.Fatalf("the script printed %q: %v", lines[0], err)
	}
	r.routes = lines[1:]
	return r
}

// The churn: a route watcher whose callback takes 100 µs an event,
// with netlua's default buffers, while ip adds 100,000 routes, then
// deletes them. The script's routes end equal to the kernel's as ip shows
// them, however many overruns it took.
func TestChurnEndsWithTheKernelsRoutes(t *testing.T) {
	if os.Getenv("NETLUA_PRIVILEGED") != "1" || testing.Short() {
		t.Skip("a churn of 200,000 route changes (10 s or so): runs with NETLUA_PRIVILEGED=1 and without -short")
	}
	tl := newTestLab(t)
	adds, dels := churnFiles(t, tl.a.Addr.Masked())
	ready := make(chan struct{})
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	runtimes := make(chan *luabind.Runtime, 1)
	code := strings.NewReplacer("MARK", fmt.Sprintf("%q", churnMark), "MAXEVENTS", "3e6", "TIMEOUT", "180").Replace(churnScript)
	go func() {
		out, err := testlab.RunLuaWith(t, tl.prelude()+routeLine+code, func(rt *luabind.Runtime) {
			runtimes <- rt
			rt.L.SetGlobal("ready", rt.L.NewFunction(func(*lua.LState) int { close(ready); return 0 }))
		}, luaModules()...)
		done <- result{out, err}
	}()
	rt := <-runtimes
	t.Cleanup(func() { // a failure below leaves the script running
		rt.Interrupt(errors.New("the test ended"))
		<-done
	})
	select {
	case <-ready:
	case r := <-done:
		done <- r
		t.Fatalf("the script ended before it watched: %v\n%s", r.err, r.out)
	}
	start := time.Now()
	ip(t, tl.nsA, "-batch", adds)
	added := time.Since(start)
	ip(t, tl.nsA, "-batch", dels)
	churned := time.Since(start)
	ip(t, tl.nsA, "route", "add", "blackhole", churnMark+"0/32")
	r := <-done
	done <- r
	if r.err != nil {
		t.Fatalf("script: %v\n%.2000s", r.err, r.out)
	}
	res := parseChurn(t, r.out)
	t.Logf("ip: %v adding, %v deleting; the script: %s after %.1f s, %d overruns (%d counted by the watcher), %d resyncs, %d events, %d discarded unread",
		added.Round(time.Millisecond), (churned - added).Round(time.Millisecond), res.why, res.took,
		res.overruns, res.statsOverruns, res.resyncs, res.events, res.discarded)
	if res.why != "done" {
		t.Fatalf("the script stopped: %s, knowing %d routes", res.why, len(res.routes))
	}
	kernel := ipRouteLines(t, tl.nsA)
	if !slices.Equal(res.routes, kernel) {
		t.Errorf("the script knows %d routes, the kernel has %d; only the script's: %.10q; only the kernel's: %.10q",
			len(res.routes), len(kernel), without(res.routes, kernel), without(kernel, res.routes))
	}
}

// without lists the strings of a that b lacks.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
