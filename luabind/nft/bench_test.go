package nft

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/lab/labtest"
)

// nft.drop costs Lua nothing per packet: the script makes the rule and
// the kernel does the rest. Go sends b.N datagrams holding "HTTP" while
// the Lua thread runs no code, then the counter must show every one.
// "drops/s" is the rate the sender reached with the rule in place.
func BenchmarkDropRule(b *testing.B) {
	labtest.Pair(b) // the privilege check; the script makes its own lab
	out := labtest.MustLua(b, fmt.Sprintf(`
		local lab = require "lab"
		local nft = require "nft"
		local a, b = lab.pair()
		local r = nft.drop{ proto = "udp", dport = 9999, contains = "HTTP", netns = b }
		local t0 = now()
		udp_send(a, 9999, "GET / HTTP/1.1", %d)
		local secs = now() - t0
		print(r:counter().packets, secs)
	`, b.N), luaModules()...)
	f := strings.Fields(out)
	if len(f) != 2 || f[0] != strconv.Itoa(b.N) {
		b.Fatalf("counter and time %q, want %d packets counted", out, b.N)
	}
	secs, _ := strconv.ParseFloat(f[1], 64)
	b.ReportMetric(float64(b.N)/secs, "drops/s")
}
