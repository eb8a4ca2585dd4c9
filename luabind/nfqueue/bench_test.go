package nfqueue

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/nftcore"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// The verdict rate through a Lua function: a goroutine sends b.N UDP
// datagrams from a to b as fast as it can, and the hook (the seed's test:
// does the payload hold "HTTP"?) judges them on b's input. The rate is
// taken from the first packet judged to the last. When Lua falls behind,
// the full queue lets packets pass unjudged (fail-open): "judged" says
// which share Lua saw.
func BenchmarkHookVerdicts(b *testing.B) {
	labtest.Pair(b) // the privilege check; the script makes its own lab
	out := labtest.MustLua(b, fmt.Sprintf(`
		local lab = require "lab"
		local nfq = require "nfqueue"
		local loop = require "loop"
		local a, b = lab.pair()
		local n, first, last = 0, 0, 0
		nfq.hook({ proto = "udp", dport = 9999, netns = b }, function(pkt)
			n = n + 1
			if n == 1 then first = now() end
			last = now()
			if pkt.payload:find("HTTP", 1, true) then return "drop" end
			return "accept"
		end)
		udp_blast(a, 9999, "a datagram of no interest", %d)
		loop.every(0.1, function()
			if now() - last > 0.5 and n > 0 or now() - first > 60 then loop.stop() end
		end)
		loop.defer(function() print(n, last - first) end)
	`, b.N), luaModules()...)
	reportRate(b, out)
}

// reportRate reports "judged elapsed" printed by a benchmark's script.
func reportRate(b *testing.B, out string) {
	f := strings.Fields(out)
	if len(f) != 2 {
		b.Fatalf("output %q", out)
	}
	n, _ := strconv.Atoi(f[0])
	secs, _ := strconv.ParseFloat(f[1], 64)
	if secs > 0 {
		b.ReportMetric(float64(n)/secs, "verdicts/s")
	}
	b.ReportMetric(float64(n)/float64(b.N), "judged")
}

// The same traffic with the verdicts given in Go, without Lua: the
// ceiling the Lua hook works under.
func BenchmarkQueueVerdicts(b *testing.B) {
	a, bb := labtest.Pair(b)
	q, err := Open(bb.NetNS(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	c, err := nftcore.Dial(bb.NetNS())
	if err != nil {
		b.Fatal(err)
	}
	tb := nftcore.NewTable(c, false)
	defer tb.Close()
	if _, err := tb.Add(nftcore.Match{Proto: 17, Dport: nftcore.Port(9999)}, nftcore.QueueTo(q.Num())); err != nil {
		b.Fatal(err)
	}
	conn, to := labtest.Sender(b, a, 9999)
	b.ResetTimer()
	go func() {
		for i := 0; i < b.N; i++ {
			if _, err := conn.WriteTo([]byte("a datagram of no interest"), to); err != nil {
				return
			}
		}
	}()
	var n int
	var first, last time.Time
	var batch []Packet
	for {
		select {
		case <-q.Ready():
		case <-time.After(500 * time.Millisecond):
			b.ReportMetric(float64(n)/last.Sub(first).Seconds(), "verdicts/s")
			b.ReportMetric(float64(n)/float64(b.N), "judged")
			return
		}
		batch = q.Take(batch)
		if n == 0 {
			first = time.Now()
		}
		for _, p := range batch {
			q.Accept(p.ID)
		}
		q.Flush()
		n += len(batch)
		last = time.Now()
	}
}

// The Lua side of a verdict alone, no kernel: make the packet object,
// call the seed's function, read its answer.
func BenchmarkJudge(b *testing.B) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	if err := rt.L.DoString(`fn = function(pkt) if pkt.payload:find("HTTP", 1, true) then return "drop" end return "accept" end`); err != nil {
		b.Fatal(err)
	}
	h := newHook(rt.L, rt.L.GetGlobal("fn").(*lua.LFunction), nftcore.Match{}, true)
	h.q = &Queue{}
	l3, l4 := frame.NewLayer(frame.IPv4), frame.NewLayer(frame.UDP)
	l3.Set("src", "198.18.0.1")
	l3.Set("dst", "198.18.0.2")
	p := Packet{ID: 1, Data: frame.Build(l3, l4, frame.Raw([]byte("a datagram of no interest")))}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.judge(rt.L, &p)
	}
}
