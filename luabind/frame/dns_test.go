package frame

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// Vectors of DNS, mDNS, LLMNR and DNS over TCP: made by
// testdata/gen_dns.py with Scapy. A dns or llmnr layer lists its header
// fields and its sections as lists of records (see the file's doc);
// compressed and malformed messages are payload bytes, which parse must
// read as Scapy does, or, where Scapy could not, not at all.
const dnsVectorFile = "testdata/scapy_dns.json"

var dnsSections = []string{"qd", "an", "ns", "ar"}

// TestDNSVectorsBuild builds each vector, records given as tables, and
// compares with Scapy's bytes.
func TestDNSVectorsBuild(t *testing.T) { checkVectorsBuild(t, dnsVectorFile) }

// TestDNSVectorsParse parses Scapy's bytes and compares every field and
// every record of every section with Scapy's reading.
func TestDNSVectorsParse(t *testing.T) {
	compared := 0
	for _, v := range readVectors(t, dnsVectorFile) {
		t.Run(v.Name, func(t *testing.T) {
			data, _ := hex.DecodeString(v.Hex)
			p := Parse(data)
			for _, name := range []string{"dns", "llmnr"} {
				want, ok := v.Fields[name].(map[string]any)
				l := p.Layer(name)
				if !ok {
					if l != nil {
						t.Errorf("a %s layer where Scapy could not dissect one: %s", name, l)
					}
					continue
				}
				if l == nil {
					t.Fatalf("no %s layer (error %v)", name, p.Err)
				}
				compared++
				checkDNSLayer(t, l, want)
			}
			for name, want := range v.Fields {
				if name != "dns" && name != "llmnr" {
					checkVectorField(t, p, name, want)
				}
			}
		})
	}
	if compared < 40 {
		t.Errorf("%d dns and llmnr layers compared, want 40 or more", compared)
	}
}

// checkDNSLayer compares a parsed dns or llmnr layer with Scapy's reading.
func checkDNSLayer(t *testing.T, l *Layer, want map[string]any) {
	t.Helper()
	for key, value := range want {
		i, _ := l.Proto.Field(key)
		if l.Proto.Fields[i].Kind != List {
			checkLayerField(t, l, key, value)
			continue
		}
		list, _ := value.([]any)
		items, err := jsonItems(list)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Items(i); !reflect.DeepEqual(normItems(got), normItems(items)) {
			t.Errorf("%s.%s:\n got %s\nwant %s (Scapy)", l.Proto.Name, key, itemsText(got), itemsText(items))
		}
	}
}

// FuzzDNS is FuzzParse seeded with the DNS frames.
func FuzzDNS(f *testing.F) { fuzzVectors(f, dnsVectorFile) }

// Every section of every vector, read as items and given back, builds
// the bytes parse read: the codecs read and write the same form. Names
// come back uncompressed, so compressed messages are left out.
func TestDNSItemsRoundTrip(t *testing.T) {
	n := 0
	for _, v := range readVectors(t, dnsVectorFile) {
		data, _ := hex.DecodeString(v.Hex)
		p := Parse(data)
		l := p.Layer("dns")
		if l == nil || p.Err != nil || hasPointer(v) {
			continue
		}
		for _, s := range dnsSections {
			i, _ := l.Proto.Field(s)
			again := *l
			if err := again.SetItems(i, l.Items(i)); err != nil {
				t.Fatalf("%s: %s: %v", v.Name, s, err)
			}
			if got, want := again.Bytes(i), l.Bytes(i); string(got) != string(want) && !wrongLengths(v) {
				t.Errorf("%s: %s: items give %x, parse read %x", v.Name, s, got, want)
			}
			n++
		}
	}
	if n < 100 {
		t.Errorf("%d sections checked, want 100 or more", n)
	}
}

// hasPointer reports whether a vector's names are compressed: its name
// says so, or it is malformed.
func hasPointer(v vector) bool {
	for _, w := range []string{"compressed", "malformed", "past the end", "3, one question"} {
		if strings.Contains(v.Name, w) {
			return true
		}
	}
	return false
}

// wrongLengths reports whether a vector's rdata lacks what its type's
// form has, or has an rdlen or optlen wrong on purpose: parse reads
// what there is, which is not all the bytes build writes.
func wrongLengths(v vector) bool {
	for _, w := range []string{"wrong on purpose", "as bytes for", "record defaults"} {
		if strings.Contains(v.Name, w) {
			return true
		}
	}
	return false
}
