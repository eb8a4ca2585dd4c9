package frame

import (
	"encoding/hex"
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
	Mapped []struct {
		Name   string            `json:"name"`
		Hex    string            `json:"hex"`
		Fields map[string]string `json:"fields"`
	} `json:"mapped"`
	ARP []struct {
		Name   string            `json:"name"`
		Hex    string            `json:"hex"`
		Fields map[string]any    `json:"fields"`
		Set    map[string]string `json:"set"`
		SetHex string            `json:"set_hex"`
	} `json:"arp"`
	BadHeader []struct {
		Name  string `json:"name"`
		Hex   string `json:"hex"`
		Layer string `json:"layer"`
	} `json:"bad_header"`
}

// unhexLua defines unhex(s) in a Lua chunk.
const unhexLua = "local function unhex(s) return (s:gsub('..', function(h) return string.char(tonumber(h, 16)) end)) end\n"

func loadCorpusfix(t testing.TB) corpusfixVectors {
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
	code.WriteString(unhexLua)
	for _, v := range vs.Rebuild {
		fmt.Fprintf(&code, "do\n  local p = f.parse(unhex(%q))\n  assert(p.padding, %q .. ': no padding')\n", v.Hex, v.Name)
		for _, c := range v.Clear {
			fmt.Fprintf(&code, "  p.%s.%s = nil\n", c[0], c[1])
		}
		fmt.Fprintf(&code, "  eq(hex(f.build{p}), %q, %q)\nend\n", v.Want, v.Name)
	}
	runLua(t, code.String())
}

// TestIPv6MappedAddress: an IPv6 address that embeds an IPv4 one reads as
// Scapy reads it, in IPv6 form, and copies into a new IPv6 layer.
func TestIPv6MappedAddress(t *testing.T) {
	var code strings.Builder
	code.WriteString(unhexLua)
	for _, v := range loadCorpusfix(t).Mapped {
		fmt.Fprintf(&code, `do
  local data = unhex(%q)
  local p = f.parse(data)
  eq(p.ipv6.src, %q, %q)
  eq(p.ipv6.dst, %q, %q)
  local copy = f.build{ f.ether{ src = p.ether.src, dst = p.ether.dst },
    f.ipv6{ src = p.ipv6.src, dst = p.ipv6.dst }, f.udp{ sport = 1000, dport = 2000 } }
  eq(hex(copy), hex(data), %q)
end
`, v.Hex, v.Fields["src"], v.Name+" src", v.Fields["dst"], v.Name+" dst", v.Name+" copy")
	}
	runLua(t, code.String())
}

// TestBadHeaderLength: an IPv4 ihl or TCP dataofs under 5 is no header:
// the layer is decoded, p.error says why, and decoding stops there.
func TestBadHeaderLength(t *testing.T) {
	for _, v := range loadCorpusfix(t).BadHeader {
		data, err := hex.DecodeString(v.Hex)
		if err != nil {
			t.Fatal(err)
		}
		p := Parse(data)
		last := p.Layers[len(p.Layers)-1].Proto.Name
		if p.Err == nil || last != v.Layer {
			t.Errorf("%s: layers end at %s, error %v; want them to end at %s with an error", v.Name, last, p.Err, v.Layer)
		}
	}
}

// TestParseEmpty: an empty frame is an error that says so.
func TestParseEmpty(t *testing.T) {
	for _, first := range []*Proto{Ether, IPv4} {
		p := new(Packet)
		builtin.Parse(p, nil, first)
		if p.Err == nil || !strings.Contains(p.Err.Error(), "empty") || len(p.Layers) != 0 {
			t.Errorf("parse of no bytes from %s: %d layers, error %v; want none and an error saying it is empty", first.Name, len(p.Layers), p.Err)
		}
	}
	if msg := runLua(t, `print(f.parse("").error)`); !strings.Contains(msg, "empty") {
		t.Errorf(`f.parse("").error = %q, want it to say the frame is empty`, msg)
	}
}

// TestARPOtherSizes: an ARP packet whose addresses are not Ethernet's and
// IP's is decoded as Scapy decodes it, each address as bytes or, where
// Scapy's conditions hold, as a MAC or an IP address, and rebuilds to the
// same bytes.
func TestARPOtherSizes(t *testing.T) {
	var code strings.Builder
	code.WriteString(unhexLua)
	for _, v := range loadCorpusfix(t).ARP {
		fmt.Fprintf(&code, "do\n  local data = unhex(%q)\n  local p = f.parse(data)\n  assert(p.arp, %q .. ': no arp layer: ' .. tostring(p.error))\n", v.Hex, v.Name)
		for _, name := range []string{"hwtype", "ptype", "hwlen", "plen", "op"} {
			fmt.Fprintf(&code, "  eq(p.arp.%s, %v, %q)\n", name, v.Fields[name], v.Name+" "+name)
		}
		for _, name := range []string{"hwsrc", "psrc", "hwdst", "pdst"} {
			if h, ok := v.Fields[name+"_hex"]; ok {
				fmt.Fprintf(&code, "  eq(hex(p.arp.%s), %q, %q)\n", name, h, v.Name+" "+name)
			} else { // a MAC or an IP address, as Scapy reads it
				fmt.Fprintf(&code, "  eq(p.arp.%s, %q, %q)\n", name, v.Fields[name], v.Name+" "+name)
			}
		}
		fmt.Fprintf(&code, "  eq(hex(f.build{p}), hex(data), %q)\n", v.Name+" rebuilt")
		for _, name := range []string{"psrc", "pdst"} {
			if h, ok := v.Set[name+"_hex"]; ok {
				fmt.Fprintf(&code, "  p.arp.%s = unhex(%q)\n", name, h)
			} else {
				fmt.Fprintf(&code, "  p.arp.%s = %q\n", name, v.Set[name])
			}
		}
		fmt.Fprintf(&code, "  eq(hex(f.build{p}), %q, %q)\n", v.SetHex, v.Name+" with new addresses")
		if h, ok := v.Fields["psrc_hex"]; ok {
			fmt.Fprintf(&code, "  eq(hex(f.parse(data).arp.psrc), %q, %q)\n", h, v.Name+": the parsed bytes stay")
		}
		code.WriteString("end\n")
	}
	runLua(t, code.String())
	// An address of another size, a MAC in text too, is an error.
	msg := luaError(t, `local p = f.parse(f.build{ f.ether{ type = 0x806 }, "\0\1\8\0\8\4\0\1" .. string.rep("a", 24) })
p.arp.hwsrc = "02:00:00:00:00:01"`)
	if !strings.Contains(msg, "field 'hwsrc' expects a string of 8 bytes") {
		t.Errorf("setting a MAC on an ARP packet with hwlen 8: %s", msg)
	}
}

// FuzzARPParse is FuzzParse seeded with the ARP packets of other address
// sizes.
func FuzzARPParse(f *testing.F) {
	var frames []string
	for _, v := range loadCorpusfix(f).ARP {
		frames = append(frames, v.Hex)
	}
	fuzzFrames(f, frames)
}
