package frame

import (
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// icmpVectors are testdata/gen_icmp.py's: ICMP messages of every type
// netlua lays out, built and read back by Scapy 2.5.
const icmpVectors = "testdata/scapy_icmp.json"

func TestICMPVectorsBuild(t *testing.T) { checkVectorsBuild(t, icmpVectors) }

// TestICMPVectorsParse checks every field Scapy read, that netlua decodes
// as many layers as Scapy (a quote cut short no deeper), and that an ICMP
// layer holds the fields of its type and no others.
func TestICMPVectorsParse(t *testing.T) {
	for _, v := range readVectors(t, icmpVectors) {
		t.Run(v.Name, func(t *testing.T) {
			data, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			p := Parse(data)
			// A quote cut short is no error: ICMP errors quote only the
			// start of a packet. Headers cut short on purpose are.
			if p.Err != nil && !strings.Contains(v.Name, "bad on purpose") {
				t.Errorf("parse error: %v", p.Err)
			}
			layers := 0
			for name, want := range v.Fields {
				checkVectorField(t, p, name, want)
				if list, ok := want.([]any); ok {
					layers += len(list)
				} else if name != "payload_hex" && name != "padding_hex" {
					layers++
				}
			}
			if len(p.Layers) != layers {
				t.Errorf("parse: %d layers, want %d: %v", len(p.Layers), layers, p.Layers)
			}
			for i := range p.Layers {
				checkPresentFields(t, &p.Layers[i], v.Fields)
			}
		})
	}
}

// checkPresentFields compares the fields an ICMP layer holds after parse
// with those Scapy shows for its type (the first such layer only: a
// quoted ICMP is checked by its values).
func checkPresentFields(t *testing.T, l *Layer, fields map[string]any) {
	t.Helper()
	want, ok := fields[l.Proto.Name].(map[string]any)
	if !ok || l.Proto.present == nil {
		return
	}
	var got, wantNames []string
	for i := range l.Proto.Fields {
		if l.Given(i) {
			got = append(got, l.Proto.Fields[i].Name)
		}
	}
	for name := range want {
		wantNames = append(wantNames, name)
	}
	slices.Sort(got)
	slices.Sort(wantNames)
	if !slices.Equal(got, wantNames) {
		t.Errorf("%s type %d fields: got %v, want %v", l.Proto.Name, l.Uint(icmpType), got, wantNames)
	}
}

// FuzzICMP fuzzes the parser from the ICMP vectors: the check of FuzzParse
// on frames that reach every ICMP type, quote and ND layer.
func FuzzICMP(f *testing.F) { fuzzVectors(f, icmpVectors) }

// TestICMPTruncated cuts every ICMP vector at every length: parse must
// end cleanly and build back what it decoded.
func TestICMPTruncated(t *testing.T) {
	r := fuzzRegistry(t)
	for _, v := range readVectors(t, icmpVectors) {
		data, _ := hex.DecodeString(v.Hex)
		for n := range len(data) + 1 {
			checkParse(t, r, data[:n])
		}
	}
}

// TestLuaICMPByType builds and reads ICMP messages of several types from
// Lua: the fields of the type are written and read back, other types'
// fields read nil, and an error's quote is layers of its own.
func TestLuaICMPByType(t *testing.T) {
	runLua(t, `
local function names(p)
  local t = {}
  for _, l in ipairs(p.layers) do t[#t + 1] = l.name end
  return table.concat(t, " ")
end
local quote = { f.ipv4{ src = "198.18.0.2", dst = "198.18.0.9" }, f.udp{ sport = 4000, dport = 53 } }
local bytes = f.build{ f.ether{}, f.ipv4{}, f.icmp4{ type = 5, code = 1, gw = "198.18.0.1" }, quote[1], quote[2] }
local p = f.parse(bytes)
eq(names(p), "ether ipv4 icmp4 ipv4 udp", "layers of a redirect")
eq(p.icmp4.gw, "198.18.0.1", "gw"); eq(p.icmp4.code, 1, "code")
eq(p.icmp4.id, nil, "a redirect's id"); eq(p.icmp4.seq, nil, "a redirect's seq")
eq(p.layers[4].dst, "198.18.0.9", "quoted ipv4 dst"); eq(p.udp.dport, 53, "quoted udp dport")
eq(#bytes, 14 + 20 + 8 + 20 + 8, "frame length")
eq(f.build(p), bytes, "a parsed redirect builds back")

p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.icmp4{ id = 7, seq = 9 }, "ping" })
eq(names(p), "ether ipv4 icmp4", "layers of an echo")
eq(p.icmp4.type, 8, "echo type"); eq(p.icmp4.id, 7, "id"); eq(p.icmp4.seq, 9, "seq")
eq(p.icmp4.gw, nil, "an echo's gw"); eq(p.payload, "ping", "echo payload")

p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.icmp4{ type = 13, id = 1, seq = 2, ts_ori = 3, ts_rx = 4, ts_tx = 5 } })
eq(p.icmp4.ts_tx, 5, "ts_tx"); eq(p.ipv4.len, 20 + 20, "timestamp length")

p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.icmp4{ type = 3, code = 4, nexthopmtu = 1400 }, "\69\0\0" })
eq(names(p), "ether ipv4 icmp4", "a quote cut short stays payload")
eq(p.icmp4.nexthopmtu, 1400, "nexthopmtu"); eq(p.payload, "\69\0\0", "cut quote"); eq(p.error, nil, "no error")

p = f.parse(f.build{ f.ether{}, f.ipv6{ src = "fe80::1" }, f.icmp6{}, f.nd_ns{ tgt = "2001:2::7" } })
eq(names(p), "ether ipv6 icmp6 nd_ns", "layers of a neighbour solicitation")
eq(p.icmp6.type, 135, "the ND layer sets icmp6's type"); eq(p.nd_ns.tgt, "2001:2::7", "tgt")
eq(p.ipv6.hlim, 255, "ND's hop limit"); eq(p.ipv6.dst, "ff02::1", "ND's destination")
eq(p.icmp6.id, nil, "an ND message has no id")

p = f.parse(f.build{ f.ether{}, f.ipv6{}, f.icmp6{ type = 2, mtu = 1400 }, f.ipv6{ dst = "2001:2::9" }, f.udp{} })
eq(names(p), "ether ipv6 icmp6 ipv6 udp", "layers of packet too big")
eq(p.icmp6.mtu, 1400, "mtu"); eq(p.layers[4].dst, "2001:2::9", "quoted ipv6 dst")
`)
}
