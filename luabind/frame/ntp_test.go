package frame

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// Vectors of NTP: made by testdata/gen_ntp.py with Scapy. Their 64-bit
// timestamps are read as exact integers, not as JSON's float64.
const ntpVectorFile = "testdata/scapy_ntp.json"

// readExactVectors reads a vector file as readVectors does, but keeps
// whole numbers as uint64.
func readExactVectors(t *testing.T, file string) []vector {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var vs []vector
	if err := d.Decode(&vs); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for i := range vs {
		vs[i].Name = file + ": " + vs[i].Name
		for _, l := range vs[i].Layers {
			exactNumbers(l)
		}
		exactNumbers(vs[i].Fields)
	}
	return vs
}

// exactNumbers replaces the json.Numbers of m, deep, with uint64.
func exactNumbers(m map[string]any) {
	for k, v := range m {
		switch v := v.(type) {
		case json.Number:
			var u uint64
			if err := json.Unmarshal([]byte(v), &u); err == nil {
				m[k] = u
			} else {
				m[k], _ = v.Float64()
			}
		case map[string]any:
			exactNumbers(v)
		}
	}
}

// TestNTPVectorsBuild builds each vector's layers and compares with
// Scapy's bytes.
func TestNTPVectorsBuild(t *testing.T) { checkBuild(t, readExactVectors(t, ntpVectorFile)) }

// TestNTPVectorsParse parses Scapy's bytes and compares every field.
func TestNTPVectorsParse(t *testing.T) {
	n := map[string]int{}
	for _, v := range readExactVectors(t, ntpVectorFile) {
		t.Run(v.Name, func(t *testing.T) {
			data, _ := hex.DecodeString(v.Hex)
			p := Parse(data)
			if p.Err != nil {
				t.Errorf("parse error: %v", p.Err)
			}
			for name, want := range v.Fields {
				checkVectorField(t, p, name, want)
			}
			for _, name := range []string{"ntp", "ntp_control", "ntp_private"} {
				if _, ok := v.Fields[name]; ok {
					n[name]++
				} else if p.Layer(name) != nil {
					t.Errorf("an %s layer where Scapy has none", name)
				}
			}
		})
	}
	for _, name := range []string{"ntp", "ntp_control", "ntp_private"} {
		if n[name] < 25 {
			t.Errorf("%d %s layers compared, want 25 or more", n[name], name)
		}
	}
}

// FuzzNTPParse is FuzzParse seeded with the NTP frames.
func FuzzNTPParse(f *testing.F) { fuzzVectors(f, ntpVectorFile) }

// NTP from Lua: the bytes are Scapy 2.5's raw() of the same header.
func TestLuaNTP(t *testing.T) {
	runLua(t, `
-- raw(NTPHeader(stratum=1, ref_id=b"GPS", poll=6, orig=0, sent=0, recv=3913056000))
local n = f.ntp{ stratum = 1, ref_id = "GPS", poll = 6, recv = 3913056000 * 2^32 }
eq(hex(f.build{ n }), "2301060000000000000000004750530000000000000000000000000000000000e93c7f00000000000000000000000000", "bytes")
local p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{}, n })
eq(p.udp.sport, 123); eq(p.udp.dport, 123)
eq(p.ntp.ref_id, "GPS\0"); eq(p.ntp.recv, 3913056000 * 2^32); eq(p.ntp.mode, 3)
`)
}

// NTP's modes 6 and 7 from Lua: the bytes are Scapy 2.5's raw(), and parse
// picks the layer by mode as Scapy's dispatcher does.
func TestLuaNTPModes(t *testing.T) {
	runLua(t, `
-- raw(NTPPrivate(mode=7, implementation=3, request_code=1))
eq(hex(f.build{ f.ntp_private{ mode = 7, implementation = 3, request_code = 1 } }), "1700030100000000", "private")
-- raw(NTPControl(op_code=2, sequence=7, count=4, data=Raw(b"x=1,")))
local c = f.ntp_control{ op_code = 2, sequence = 7, data = "x=1," }
eq(hex(f.build{ c }), "160200070000000000000004783d312c", "control")
local p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{}, c })
eq(p.udp.sport, 123); eq(p.udp.dport, 123)
eq(p.ntp_control.op_code, 2); eq(p.ntp_control.count, 4); eq(p.ntp_control.status, 0); eq(p.ntp, nil)
p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{}, f.ntp_private{ mode = 7, response = 1, nb_items = 1, data_item_size = 4, data = "abcd" } })
eq(p.ntp_private.data, "abcd"); eq(p.ntp_private.req_data, "abcd"); eq(p.ntp_private.nb_items, 1)
`)
}
