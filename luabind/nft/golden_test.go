package nft

import (
	"flag"
	"os"
	"regexp"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

var update = flag.Bool("update", false, "rewrite testdata/ruleset.golden from nft's listing")

// goldenScript makes a rule of every kind inside a lab namespace and
// prints the namespace's ruleset as `nft list ruleset` shows it.
const goldenScript = `
local lab = require "lab"
local nft = require "nft"
local a, b = lab.pair()
nft.drop{ proto = "tcp", dport = 80, contains = "HTTP", iface = b.ifname, netns = b }
nft.accept{ family = 6, proto = "udp", sport = "1000-2000", netns = b }
nft.reject{ proto = "tcp", src = "198.18.0.0/15", netns = b }
nft.reject{ dst = "198.18.0.1", netns = b }
nft.reject{ proto = "udp", dport = {53, 54}, netns = b }
nft.count{ hook = "output", oface = b.ifname, dst = "2001:db8::/33", netns = b }
nft.drop{ hook = "ingress", iface = b.ifname, proto = "icmp", netns = b }
nft.count{ hook = "forward", netns = b }
nft.count{ hook = "prerouting", family = "ipv4", netns = b }
nft.count{ hook = "postrouting", proto = 200, netns = b }
print((b:exec{ "sh", "-c", "nft list ruleset 2>/dev/null" }))
`

// progname is the owner's name, which nft prints: the test binary's here.
var progname = regexp.MustCompile(`# progname \S+`)

// The ruleset that nft lists is the one netlua means to make.
func TestRulesetGolden(t *testing.T) {
	testlab.Privileged(t)
	got := progname.ReplaceAllString(testlab.MustLua(t, goldenScript), "# progname netlua")
	if *update {
		os.WriteFile("testdata/ruleset.golden", []byte(got), 0o644)
	}
	want, err := os.ReadFile("testdata/ruleset.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("nft list ruleset:\n%s\nwant (testdata/ruleset.golden):\n%s", got, want)
	}
}
