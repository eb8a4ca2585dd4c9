package frame

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestDefineChecksSpecs(t *testing.T) {
	for _, c := range []struct {
		name  string
		specs []FieldSpec
		want  string
	}{
		{"udp", []FieldSpec{{Name: "a", Bits: 8}}, "udp is already defined"},
		{"9x", []FieldSpec{{Name: "a", Bits: 8}}, `name "9x": use letters`},
		{"layers", []FieldSpec{{Name: "a", Bits: 8}}, "layers is a name parse results use"},
		{"p", nil, "p has no fields"},
		{"p", []FieldSpec{{Name: "a", Bits: 24}}, "width 24: numbers are 8, 16, 32 or 64 bits"},
		{"p", []FieldSpec{{Name: "a", Bits: 65, BitField: true}}, "bit fields are 1 to 64 bits wide, not 65"},
		{"p", []FieldSpec{{Name: "a", Bits: 3, BitField: true}}, "fields add up to 3 bits"},
		{"p", []FieldSpec{{Name: "a", Bits: 16, Kind: MAC}}, "an address of 48 bits"},
		{"p", []FieldSpec{{Name: "name", Bits: 8}}, "(and not 'name')"},
		{"p", []FieldSpec{{Name: "a", Bits: 8, Default: "x"}}, `default: field 'a' expects a number 0..255, got "x"`},
		{"p", []FieldSpec{{Name: "a", Bits: 8}, {Name: "a", Bits: 8}}, "field 'a' twice"},
		{"p", make([]FieldSpec, 11), "use letters"},
	} {
		if _, err := NewRegistry().Define(c.name, c.specs); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Define(%q): %v, want %q", c.name, err, c.want)
		}
	}
	var many []FieldSpec
	for i := range 11 {
		many = append(many, FieldSpec{Name: string(rune('a' + i)), Bits: 128, Kind: IPv6Addr})
	}
	if _, err := NewRegistry().Define("p", many); err == nil || !strings.Contains(err.Error(), "take 22 slots") {
		t.Errorf("11 IPv6 fields: %v", err)
	}
}

func TestDefinedLayersRoundTrip(t *testing.T) {
	r := NewRegistry()
	p, err := r.Define("hdr", []FieldSpec{
		{Name: "ver", Bits: 2, BitField: true, Default: 2},
		{Name: "flag", Bits: 1, BitField: true},
		{Name: "code", Bits: 13, BitField: true},
		{Name: "len", Bits: 8, Length: true},
		{Name: "hw", Bits: 48, Kind: MAC},
		{Name: "ip", Bits: 32, Kind: IPv4Addr, Default: "198.18.0.1"},
		{Name: "ip6", Bits: 128, Kind: IPv6Addr, Default: "2001:db8::1"},
		{Name: "n", Bits: 64},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := mustLayer(t, p, "flag", 1, "code", 0x1abc, "hw", "02:00:00:00:00:01", "n", uint64(1)<<63)
	b := Builder{Registry: r}
	data := append([]byte(nil), b.Build([]*Layer{l, Raw(make([]byte, 300))})...)
	const want = "babc" + "51" + "020000000001" + "c6120001" + "20010db8000000000000000000000001" + "8000000000000000"
	if got := hex.EncodeToString(data[:len(want)/2]); got != want {
		t.Errorf("got  %s\nwant %s (the length 337 keeps its low 8 bits, 0x51)", got, want)
	}
	pk := new(Packet)
	r.Parse(pk, data, p)
	got := pk.Layer("hdr")
	for i := range p.Fields {
		if i != 3 && got.Text(i) != l.Text(i) {
			t.Errorf("%s: parsed %s, built %s", p.Fields[i].Name, got.Text(i), l.Text(i))
		}
	}
}
