package packet

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// received waits until s's kernel count of received frames reaches want,
// for at most a second (frames may still sit in the peer's backlog), and
// returns it.
func received(t *testing.T, s *Socket, want uint64) uint64 {
	t.Helper()
	for end := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		st, err := s.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if st.Received >= want || time.Now().After(end) {
			return st.Received
		}
	}
}

// A blast with a count sends exactly that many frames, whatever the
// count's remainder by the batch; the receiver counts them.
func TestBlastCount(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	sb := openOn(t, b, Config{Proto: exp})
	total := uint64(0)
	for _, n := range []int{1, 63, 64, 65, 1000, 100_001} {
		st, err := sa.Blast(context.Background(), labtest.Frame(a, b, 0), BlastOptions{Limits: Limits{Count: n}})
		if err != nil || st.Sent+st.Errors != n {
			t.Fatalf("count %d: %+v, %v", n, st, err)
		}
		if st.Errors > 0 {
			t.Logf("count %d: the kernel refused %d frames", n, st.Errors)
		}
		total += uint64(st.Sent)
		if got := received(t, sb, total); got != total {
			t.Errorf("count %d: b received %d frames in all, want %d", n, got, total)
		}
	}
	if _, err := sa.Blast(context.Background(), nil, BlastOptions{}); err == nil {
		t.Error("Blast without a limit did not fail")
	}
}

// A paced blast never goes faster than its rate: frame k leaves k/rate
// seconds after the start at the earliest, so count frames take at least
// (count-1)/rate, by the blast's own clock. Nor does it crawl: it takes
// less than twice its time and a second, a margin a busy machine keeps
// (a pacing unit wrong by a factor of 1000 does not). The receiver
// counts every frame.
func TestBlastRate(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	sb := openOn(t, b, Config{Proto: exp})
	total := uint64(0)
	for _, rate := range []float64{10_000, 100_000} {
		count := int(rate / 2)
		st, err := sa.Blast(context.Background(), labtest.Frame(a, b, 0), BlastOptions{Rate: rate, Limits: Limits{Count: count}})
		if err != nil || st.Sent+st.Errors != count {
			t.Fatalf("rate %.0f: %+v, %v; want %d frames", rate, st, err, count)
		}
		total += uint64(st.Sent)
		if got := received(t, sb, total); got != total {
			t.Errorf("rate %.0f: b received %d frames in all, want %d", rate, got, total)
		}
		least := time.Duration(float64(count-1) / rate * float64(time.Second))
		t.Logf("rate %.0f: %d frames in %v (at least %v)", rate, count, st.Elapsed, least)
		if st.Elapsed < least || st.Elapsed > 2*least+time.Second {
			t.Errorf("rate %.0f: %d frames took %v, want %v to %v", rate, count, st.Elapsed, least, 2*least+time.Second)
		}
	}
}

// A rate no bucket can count in (over MaxRate, up to +Inf) is full speed:
// the blast sends its count and returns.
func TestBlastAbsurdRate(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	sb := openOn(t, b, Config{Proto: exp})
	total := uint64(0)
	for _, rate := range []float64{2e9, 1e30, math.Inf(1)} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		st, err := sa.Blast(ctx, labtest.Frame(a, b, 0), BlastOptions{Rate: rate, Limits: Limits{Count: 1000}})
		cancel()
		if err != nil || st.Sent+st.Errors != 1000 {
			t.Fatalf("rate %g: %+v, %v; want 1000 frames", rate, st, err)
		}
		total += uint64(st.Sent)
		if got := received(t, sb, total); got != total {
			t.Errorf("rate %g: b received %d frames in all, want %d", rate, got, total)
		}
	}
	if _, err := sa.Blast(context.Background(), nil, BlastOptions{Rate: math.NaN(), Limits: Limits{Count: 1}}); err == nil {
		t.Error("Blast at rate NaN did not fail")
	}
}

// blastLua runs code with both ends of a lab pair at hand (a, b; sa, sb
// are packet sockets on them, sb receiving IPv4) and a global
// checksums_ok(bytes) that checks a frame's checksums against the frame
// module's. It returns standard output and error.
func blastLua(t *testing.T, code string, setup func(rt *luabind.Runtime)) (stdout, stderr string, err error) {
	t.Helper()
	testlab.Privileged(t)
	var errb bytes.Buffer
	stdout, err = testlab.RunLuaWith(t, `
		local lab, packet, f = require "lab", require "packet", require "frame"
		local a, b = lab.pair()
		local sa = packet.open(a.ifname, { netns = a, proto = 0x88b6 })
		local sb = packet.open(b.ifname, { netns = b, proto = "ipv4" })
		`+code, func(rt *luabind.Runtime) {
		rt.Stderr = &errb
		rt.L.SetGlobal("checksums_ok", rt.L.NewFunction(func(L *lua.LState) int {
			data := []byte(L.CheckString(1))
			L.Push(lua.LBool(bytes.Equal(rebuilt(t, data), data)))
			return 1
		}))
		if setup != nil {
			setup(rt)
		}
	}, luaModules()...)
	return stdout, errb.String(), err
}

// vary changes the fields asked, in the order asked, and the frames that
// arrive have right checksums.
func TestLuaBlastVary(t *testing.T) {
	out, _, err := blastLua(t, `
		local function run(l4, vary)
			local frame = f.build{ f.ether{ src = a.mac, dst = b.mac }, f.ipv4{ src = a.ip, dst = b.ip, id = 7 }, l4, "0123456789abcdef" }
			local r = sa:blast(frame, { count = 300, vary = vary, workers = 1 })
			local lines = {}
			for i = 1, 300 do
				local bytes = assert(sb:recv(1), "frame missing")
				local p = f.parse(bytes)
				local l = p.udp or p.tcp
				lines[#lines + 1] = table.concat({ p.ipv4.src, p.ipv4.id, l.sport, l.dport, p.payload:byte(1), tostring(checksums_ok(bytes)) }, " ")
			end
			print(r.sent, r.errors, sb:recv(0.05))
			return lines
		end
		for _, line in ipairs(run(f.udp{ sport = 1, dport = 2 }, {
			["ipv4.src"] = "198.18.0.0/28", ["ipv4.id"] = true, ["udp.sport"] = "1000-1002",
			["udp.dport"] = { 2000, 2009, order = "random" }, [42] = { 1, 100 } })) do print(line) end
		for _, line in ipairs(run(f.tcp{ sport = 1, dport = 2 }, {
			["ipv4.src"] = { "198.18.0.7", "198.18.0.8" }, ["tcp.dport"] = { 9, 11 }, order = "random" })) do print(line) end
	`, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 602 || lines[0] != "300\t0\tnil" || lines[301] != "300\t0\tnil" {
		t.Fatalf("got %d lines, want 2 × (summary + 300 frames):\n%s", len(lines), out)
	}
	dports := map[string]bool{}
	for i, line := range lines[1:301] {
		f := strings.Fields(line)
		want := []string{fmt.Sprintf("198.18.0.%d", i%16), strconv.Itoa(7 + i), strconv.Itoa(1000 + i%3), f[3], strconv.Itoa(1 + i%100), "true"}
		if strings.Join(f, " ") != strings.Join(want, " ") || f[3] < "2000" || f[3] > "2009" {
			t.Fatalf("UDP frame %d: %q, want %q with dport 2000-2009", i, line, want)
		}
		dports[f[3]] = true
	}
	tcp := map[string]bool{}
	for _, line := range lines[302:] {
		f := strings.Fields(line)
		tcp[f[0]], tcp[f[3]] = true, true
		if f[5] != "true" {
			t.Fatalf("TCP frame %q: wrong checksums", line)
		}
	}
	if len(dports) != 10 || len(tcp) != 5 || !tcp["198.18.0.7"] || !tcp["198.18.0.8"] || !tcp["9"] || !tcp["10"] || !tcp["11"] {
		t.Errorf("random values: UDP dports %v, want all of 2000-2009; TCP sources and dports %v", dports, tcp)
	}
}

// Bad input gets Lua's own argument errors, naming the option or field.
func TestLuaBlastErrors(t *testing.T) {
	testlab.Privileged(t)
	const udp = `local frame = f.build{ f.ether{}, f.ipv4{}, f.udp{}, ("x"):rep(18) }; `
	tests := []struct{ name, code, want string }{
		{"no limit", `sa:blast(frame, {})`, "bad argument #2 to 'blast' (give a count or a duration: a blast must end)"},
		{"count", `sa:blast(frame, { count = -1 })`, "bad argument #2 to 'blast' (option 'count' must be 0 or more)"},
		{"rate 0", `sa:blast(frame, { count = 1, rate = 0 })`, "bad argument #2 to 'blast' (option 'rate' must be over 0 frames per second (leave it out for full speed))"},
		{"rate < 0", `sa:blast(frame, { count = 1, rate = -5 })`, "option 'rate' must be over 0"},
		{"rate nan", `sa:blast(frame, { count = 1, rate = 0/0 })`, "option 'rate' must be over 0"},
		{"option", `sa:blast(frame, { count = 1, vray = {} })`, "unknown option 'vray', have: count, duration, engine, progress, rate, vary"},
		{"engine", `sa:blast(frame, { count = 1, engine = "dpdk" })`, `bad argument #2 to 'blast' (option 'engine' is "packet" or "xdp", got "dpdk")`},
		{"unknown field", `sa:blast(frame, { count = 1, vary = { ["udp.dprt"] = { 1, 2 } } })`,
			`bad argument #2 to 'blast' (vary["udp.dprt"]: unknown field, have: ipv4.src, ipv4.dst, ipv4.id, ipv4.ttl, udp.sport, udp.dport, tcp.sport, tcp.dport, tcp.seq, or a byte offset)`},
		{"port range", `sa:blast(frame, { count = 1, vary = { ["udp.dport"] = { 1000, 70000 } } })`,
			`bad argument #2 to 'blast' (vary["udp.dport"]: 1000-70000 does not fit the field's 2 bytes (0-65535))`},
		{"ipv6 network", `sa:blast(frame, { count = 1, vary = { ["ipv4.src"] = "2001:db8::/64" } })`,
			`vary["ipv4.src"]: "2001:db8::/64" is not an IPv4 network such as 198.18.0.0/24`},
		{"absent", `sa:blast(frame, { count = 1, vary = { ["tcp.dport"] = { 1, 2 } } })`,
			`vary["tcp.dport"]: the frame has no tcp header right after the first IP header`},
		{"offset", `sa:blast(frame, { count = 1, vary = { [60] = { 1, 2 } } })`, `vary[60]: bytes 60-60 are beyond the 60-byte frame`},
		{"offset type", `sa:blast(frame, { count = 1, vary = { [1.5] = { 1, 2 } } })`, `vary[1.5]: a byte offset is a whole number from 0`},
		{"width", `sa:blast(frame, { count = 1, vary = { [42] = { 1, 2, width = 3 } } })`, `vary[42]: width is 1, 2 or 4 bytes, for a byte offset only, got number 3`},
		{"order", `sa:blast(frame, { count = 1, vary = { order = "shuffle", [42] = { 1, 2 } } })`, `vary: order is "seq" or "random", got "shuffle"`},
		{"spec key", `sa:blast(frame, { count = 1, vary = { [42] = { 1, 2, step = 2 } } })`, `vary[42]: unknown key "step", have: 1, 2 (low and high), order, width`},
		{"spec", `sa:blast(frame, { count = 1, vary = { ["ipv4.id"] = false } })`, `vary["ipv4.id"]: expects a range such as { 1, 100 } or "1-100", got boolean false`},
		{"value", `sa:blast(frame, { count = 1, vary = { ["ipv4.id"] = { -1, 5 } } })`, `vary["ipv4.id"]: low end: -1 is not a whole number from 0 to 4294967295`},
		{"closed", `sa:close(); sa:blast(frame, { count = 1 })`, "packet.blast: veth0: the socket is closed"},
		{"too big", `sa:blast(("x"):rep(1600), { count = 1 })`, "packet.blast: veth0: frame of 1600 bytes is over the limit of 1514 bytes (MTU 1500 + 14-byte link header)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := blastLua(t, udp+tt.code, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %q", err, tt.want)
			}
		})
	}
}

// progress = true shows a live line that each update rewrites, and the
// summary that ends it; by default (not a terminal) nothing shows.
func TestLuaBlastProgress(t *testing.T) {
	out, stderr, err := blastLua(t, `
		local r = sa:blast(("x"):rep(60), { duration = 0.8, rate = 20000, progress = true })
		local r2 = sa:blast(("x"):rep(60), { duration = 0.3, rate = 20000 })
		print(r.sent, r.errors)
	`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sent int
	fmt.Sscan(out, &sent)
	t.Logf("stderr: %q", stderr)
	updates := strings.Count(stderr, "\rblast: ") - 1
	final := fmt.Sprintf("\rblast: sent %d frames in ", sent)
	if updates < 2 || updates > 4 || !strings.Contains(stderr, final) || !strings.HasSuffix(stderr, " 0 errors\n") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q: want 2 to 4 updates, then %q... ending the one line", stderr, final)
	}
}

// ^C (the runtime's interrupt) stops a blast at once, paced or not, and
// it says what it did before the script ends. The ^C comes 300 ms after
// the line before the blast, not after the start of the script: making
// the lab takes longer than that on a loaded machine.
func TestLuaBlastInterrupt(t *testing.T) {
	for _, opts := range []string{"{ duration = 30 }", "{ duration = 30, rate = 1000 }", "{ count = 1e12, rate = 1 }"} {
		var start time.Time
		out, stderr, err := blastLua(t, `interrupt_soon(); sa:blast(("x"):rep(60), `+opts+`); print("after")`, func(rt *luabind.Runtime) {
			rt.L.SetGlobal("interrupt_soon", rt.L.NewFunction(func(*lua.LState) int {
				start = time.Now()
				time.AfterFunc(300*time.Millisecond, func() { rt.Interrupt(&luabind.Interrupt{Signal: os.Interrupt}) })
				return 0
			}))
		})
		if d := time.Since(start); d > 3*time.Second || err == nil || !strings.Contains(err.Error(), "interrupted") || out != "" {
			t.Errorf("%s: %v after %v, output %q", opts, err, d, out)
		}
		if !strings.HasPrefix(stderr, "blast: sent ") || !strings.HasSuffix(stderr, " (interrupted)\n") {
			t.Errorf("%s: stderr %q, want the summary", opts, stderr)
		}
	}
}

// A paced blast on a link that is down counts the frames the kernel
// refuses and sleeps between bursts: the socket's pending ENETDOWN does
// not end every pause at once.
func TestBlastPacedOnALinkDown(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	labtest.Run(t, a, "", "ip", "link", "set", a.Ifname, "down")
	cpu, start := processCPU(), time.Now()
	st, err := sa.Blast(context.Background(), labtest.Frame(a, b, 0), BlastOptions{Rate: 1000, Limits: Limits{Duration: 500 * time.Millisecond}})
	used := float64(processCPU()-cpu) / float64(time.Since(start))
	if err != nil || st.Sent != 0 || st.Errors == 0 || used > 0.5 {
		t.Errorf("blast: %v, %v, using %.0f%% of a core; want only errors, and sleep", st, err, 100*used)
	}
}
