package nft

import (
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

var update = flag.Bool("update", false, "rewrite testdata/ruleset.golden from nft's listing")

// goldenScript makes a rule of every kind inside a lab namespace and
// prints the namespace's ruleset as `nft -j list ruleset` gives it, then
// as `nft list ruleset` writes it, after a line "--".
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
print((b:exec{ "sh", "-c", "nft -j list ruleset 2>/dev/null; echo --; nft list ruleset 2>/dev/null" }))
`

// The ruleset that nft lists is the one netlua means to make.
//
// The comparison is of the parsed JSON listing, which says the same on
// nftables 1.0.6 and later, with or without the xtables libraries: the
// text listing writes the xt string match as "xt match string" with
// Debian's iptables package, as nothing without it, and as
// xt match "string" from nftables 1.0.7. What the JSON of 1.0.6 gets
// wrong (the table's flags, which it writes as the table's name, and the
// ingress chain's device, which it leaves out) is read from the text.
func TestRulesetGolden(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, goldenScript, luaModules()...)
	listing, text, _ := strings.Cut(out, "--\n")
	got, err := canonicalRuleset([]byte(listing))
	if err != nil {
		t.Fatalf("%v:\n%s", err, listing)
	}
	if *update {
		os.WriteFile("testdata/ruleset.golden", []byte(got), 0o644)
	}
	want, err := os.ReadFile("testdata/ruleset.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("nft -j list ruleset, parsed:\n%s\nwant (testdata/ruleset.golden):\n%s", got, want)
	}
	for _, re := range []string{
		`(?m)^table inet netlua \{.*\n\tflags owner$`,
		`(?m)^\t\ttype filter hook ingress device "veth0" priority filter; policy accept;$`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("nft list ruleset lacks %s:\n%s", re, text)
		}
	}
}

// versionFields are what nftables versions write differently in a JSON
// listing: the handles the kernel gives, the table's flags and the chain's
// device (both broken in 1.0.6).
var versionFields = map[string][]string{
	"table": {"handle", "flags"},
	"chain": {"handle", "dev"},
	"rule":  {"handle"},
}

// canonicalRuleset parses `nft -j list ruleset` and writes each object of
// it on a line, in nft's order, without its metainfo and versionFields:
// `rule {"chain":"input","expr":[...],...}`, keys sorted.
func canonicalRuleset(listing []byte) (string, error) {
	var doc struct {
		Nftables []map[string]map[string]any `json:"nftables"`
	}
	if err := json.Unmarshal(listing, &doc); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, obj := range doc.Nftables {
		for kind, fields := range obj {
			if kind == "metainfo" {
				continue
			}
			for _, f := range versionFields[kind] {
				delete(fields, f)
			}
			line, err := json.Marshal(fields)
			if err != nil {
				return "", err
			}
			b.WriteString(kind + " " + string(line) + "\n")
		}
	}
	return b.String(), nil
}
