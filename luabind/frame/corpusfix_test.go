package frame

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The fixes issue 18 found on real captures. Their oracle is Scapy:
// testdata/gen_corpusfix.py writes testdata/scapy_corpusfix.json.

// corpusfixVectors are the vectors of scapy_corpusfix.json.
type corpusfixVectors struct {
	Rebuild []struct {
		Name  string      `json:"name"`
		Hex   string      `json:"hex"`
		Clear [][2]string `json:"clear"`
		Want  string      `json:"want"`
	} `json:"rebuild"`
}

func loadCorpusfix(t *testing.T) corpusfixVectors {
	t.Helper()
	data, err := os.ReadFile("testdata/scapy_corpusfix.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs corpusfixVectors
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestRebuildPaddedFrame: f.build(p) of a frame with an Ethernet trailer,
// with lengths and checksums cleared, computes them without the trailer
// and puts the trailer back after the frame, as Scapy's raw() does.
func TestRebuildPaddedFrame(t *testing.T) {
	vs := loadCorpusfix(t)
	if len(vs.Rebuild) < 25 {
		t.Fatalf("%d rebuild vectors, want 25 or more", len(vs.Rebuild))
	}
	var code strings.Builder
	code.WriteString("local function unhex(s) return (s:gsub('..', function(h) return string.char(tonumber(h, 16)) end)) end\n")
	for _, v := range vs.Rebuild {
		fmt.Fprintf(&code, "do\n  local p = f.parse(unhex(%q))\n  assert(p.padding, %q .. ': no padding')\n", v.Hex, v.Name)
		for _, c := range v.Clear {
			fmt.Fprintf(&code, "  p.%s.%s = nil\n", c[0], c[1])
		}
		fmt.Fprintf(&code, "  eq(hex(f.build{p}), %q, %q)\nend\n", v.Want, v.Name)
	}
	runLua(t, code.String())
}
