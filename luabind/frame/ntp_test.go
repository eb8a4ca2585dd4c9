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
	n := 0
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
			if _, ok := v.Fields["ntp"]; ok {
				n++
			} else if p.Layer("ntp") != nil {
				t.Errorf("an ntp layer where Scapy has none")
			}
		})
	}
	if n < 25 {
		t.Errorf("%d ntp layers compared, want 25 or more", n)
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
