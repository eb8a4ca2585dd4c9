package rawip

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// experimental is the IP protocol the send benchmarks use (RFC 3692): b
// drops it at ingress.
const experimental = 253

// BenchmarkSendTo measures packets per second of a raw IPv4 socket's
// sendto from a to b: Socket.SendTo in Go, and a Lua loop of s:sendto.
func BenchmarkSendTo(b *testing.B) {
	a, peer := labtest.Pair(b)
	labtest.DropAtIngress(b, peer)
	payload := make([]byte, 44) // a 64-byte frame
	dst := peer.Addr.Addr()
	b.Run("Socket", func(b *testing.B) {
		s := openIn(b, a, Config{Proto: experimental})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.SendTo(context.Background(), payload, dst); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pps")
	})
	b.Run("Lua", func(b *testing.B) {
		rt := luabind.New(luaModules()...)
		defer rt.Close()
		rt.L.SetGlobal("NETNS", lua.LString(labtest.NSPath(a)))
		rt.L.SetGlobal("DST", lua.LString(dst.String()))
		rt.L.SetGlobal("PAYLOAD", lua.LString(payload))
		if err := rt.L.DoString(`s = require("rawip").open{ proto = ` + strconv.Itoa(experimental) + `, netns = NETNS }`); err != nil {
			b.Fatal(err)
		}
		loop, _ := rt.L.LoadString(`local s, p, dst = s, PAYLOAD, DST; for i = 1, N do s:sendto(p, dst) end`)
		rt.L.SetGlobal("N", lua.LNumber(b.N))
		b.ReportAllocs()
		b.ResetTimer()
		if err := rt.Run(loop); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pps")
	})
}

// BenchmarkPingRTT compares the round trips ping.lua measures with those
// of iputils ping on the same lab pair: 50 pings each, 20 ms apart, in
// turns. Run it with -benchtime 1x; it reports both minimums and averages
// in ms.
func BenchmarkPingRTT(b *testing.B) {
	ping := testlab.NeedTool(b, "ping", "iputils-ping")
	a, peer := labtest.Pair(b)
	host := peer.Addr.Addr().String()
	var netlua, iputils [2]float64
	for b.Loop() {
		out, _ := labtest.RunNetlua(b, a, labtest.Script("ping.lua"), host, "50", "0.02")
		add(&netlua, rtt(b, out))
		add(&iputils, rtt(b, labtest.Run(b, a, "", ping, "-c", "50", "-i", "0.02", host)))
	}
	n := float64(b.N)
	b.ReportMetric(netlua[0]/n, "min-ms-ping.lua")
	b.ReportMetric(netlua[1]/n, "avg-ms-ping.lua")
	b.ReportMetric(iputils[0]/n, "min-ms-iputils")
	b.ReportMetric(iputils[1]/n, "avg-ms-iputils")
}

// add adds the minimum and average v to sum.
func add(sum *[2]float64, v [2]float64) { sum[0], sum[1] = sum[0]+v[0], sum[1]+v[1] }

// rttSummary finds the minimum and average round trips in ping's summary.
var rttSummary = regexp.MustCompile(`rtt min/avg/max/mdev = ([0-9.]+)/([0-9.]+)/`)

// rtt is the minimum and average round trip in ping's output, in ms.
func rtt(b *testing.B, out string) [2]float64 {
	m := rttSummary.FindStringSubmatch(out)
	if m == nil {
		b.Fatalf("no rtt in:\n%s", out)
	}
	min, _ := strconv.ParseFloat(m[1], 64)
	avg, _ := strconv.ParseFloat(m[2], 64)
	return [2]float64{min, avg}
}
