package pcap

import (
	"fmt"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// BenchmarkSniff runs pcap.sniff over a file of 10,000 frames, half of
// them UDP: the filter alone (store = false, nothing made for Lua), and
// the UDP frames parsed and stored, or given to an lfilter.
func BenchmarkSniff(b *testing.B) {
	const frames = 10000
	file := tempFile(b, "bench.pcap")
	testlab.MustLua(b, fmt.Sprintf(`
		local pcap, f = require "pcap", require "frame"
		local ip = f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }
		local eth = f.ether{ src = "02:00:c6:12:00:01", dst = "02:00:c6:12:00:02" }
		local udp = f.build{ eth, ip, f.udp{ sport = 4000, dport = 53 }, ("x"):rep(64) }
		local tcp = f.build{ eth, ip, f.tcp{ sport = 4000, dport = 80 }, ("x"):rep(64) }
		local w = pcap.writer(%q)
		for i = 1, %d do w:write(i %% 2 == 0 and udp or tcp, 1700000000 + i / 1000) end
		w:close()`, file, frames/2*2), luaModules()...)
	for _, c := range []struct{ name, opts string }{
		{"filter", `{ filter = "udp", store = false }`},
		{"store", `{ filter = "udp" }`},
		{"lfilter", `{ store = false, lfilter = function(p) return p.udp end }`},
	} {
		b.Run(c.name, func(b *testing.B) {
			rt := luabind.New(luaModules()...)
			defer rt.Close()
			fn, err := rt.L.LoadString(fmt.Sprintf(`local pcap = require "pcap"; return function() return #pcap.sniff(%q, %s) end`, file, c.opts))
			if err != nil {
				b.Fatal(err)
			}
			rt.L.Push(fn)
			rt.L.Call(0, 1)
			sniff := rt.L.Get(-1)
			rt.L.Pop(1)
			for b.Loop() {
				if err := rt.Call(sniff); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*frames/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
