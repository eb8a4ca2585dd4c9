package frame

import (
	"encoding/binary"
	"encoding/hex"
	"testing"
)

// The expected bytes of these cases come from Scapy 2.5 (raw() of the same
// layers), each for one rule of how Scapy fills fields left out.
func TestBuildLikeScapy(t *testing.T) {
	src, dst := []any{"src", "198.18.0.1", "dst", "198.18.0.2"}, []any{}
	ip := func(fields ...any) *Layer { return mustLayer(t, IPv4, append(append(fields, src...), dst...)...) }
	for _, c := range []struct {
		name   string
		layers []*Layer
		want   string
	}{
		{"defaults: loopback addresses, DNS ports",
			[]*Layer{NewLayer(Ether), NewLayer(IPv4), NewLayer(UDP)},
			"ffffffffffff00000000000008004500001c0001000040117cce7f0000017f0000010035003500080172"},
		{"Ethernet with nothing above it has type 0x9000",
			[]*Layer{NewLayer(Ether)}, "ffffffffffff0000000000009000"},
		{"a VLAN tag over raw bytes has type 0",
			[]*Layer{NewLayer(Ether), NewLayer(VLAN), Raw([]byte("x"))}, "ffffffffffff00000000000081000001000078"},
		{"IPv6 over raw bytes has next header 59",
			[]*Layer{NewLayer(IPv6), Raw([]byte("x"))},
			"6000000000013b40000000000000000000000000000000010000000000000000000000000000000178"},
		{"IPv4 over raw bytes has proto 0",
			[]*Layer{ip(), Raw([]byte("x"))}, "45000015000100004000eec0c6120001c612000278"},
		{"the UDP checksum takes the final hop of a source route",
			[]*Layer{ip("options", hexBytes(t, "830b04c6120003c6120004")), NewLayer(UDP)},
			"480000280001000040113805c6120001c6120002830b04c6120003c612000400003500350008734a"},
		{"a given IP length is the UDP pseudo-header's length",
			[]*Layer{ip("len", 100), NewLayer(UDP), Raw([]byte("abc"))},
			"45000064000100004011ee60c6120001c612000200350035000bae9e616263"},
		{"a given IP length with a given ihl",
			[]*Layer{ip("len", 100, "ihl", 6), NewLayer(UDP), Raw([]byte("abc"))},
			"46000064000100004011ed60c6120001c612000200350035000baea2616263"},
		{"ICMPv6 over IPv4 alone has checksum 0",
			[]*Layer{ip(), NewLayer(ICMPv6)}, "4500001c000100004000eeb9c6120001c61200028000000000000000"},
		{"ICMPv6 takes its pseudo-header from the IPv6 layer further down",
			[]*Layer{mustLayer(t, IPv6, "dst", "::2"), ip(), NewLayer(ICMPv6)},
			"60000000001c044000000000000000000000000000000001000000000000000000000000000000024500001c000100004000eeb9c6120001c612000280007fba00000000"},
		{"UDP without IP under it has checksum 0",
			[]*Layer{NewLayer(UDP), Raw([]byte("ab"))}, "00350035000a00006162"},
		{"ICMPv4 sums itself, IP or not",
			[]*Layer{mustLayer(t, ICMPv4, "type", 0, "id", 1, "seq", 2), Raw([]byte("hi"))}, "00009793000100026869"},
		{"the NS flag and the reserved bits of TCP",
			[]*Layer{ip(), mustLayer(t, TCP, "flags", "NS", "reserved", 5)},
			"45000028000100004006eea7c6120001c61200020014005000000000000000005b022000f8560000"},
		{"options past 40 bytes keep the low 4 bits of ihl",
			[]*Layer{ip("options", append(hexBytes(t, "442c05"), make([]byte, 41)...))},
			"40000040000100004000aa69c6120001c6120002442c050000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
		{"ARP for IPv6 addresses has plen 16",
			[]*Layer{mustLayer(t, ARP, "ptype", 0x86dd, "hwsrc", "02:00:00:00:00:01", "psrc", "2001:db8::1", "pdst", "2001:db8::2")},
			"000186dd0610000102000000000120010db800000000000000000000000100000000000020010db8000000000000000000000002"},
		{"IPv4 in IPv4 has proto 4",
			[]*Layer{ip(), ip(), NewLayer(ICMPv4)},
			"45000030000100004004eea1c6120001c61200024500001c000100004001eeb8c6120001c61200020800f7ff00000000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := hex.EncodeToString(Build(c.layers...)); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestBuildGivenFieldsAsGiven(t *testing.T) {
	layers := []*Layer{
		mustLayer(t, IPv4, "ihl", 9, "len", 7, "proto", 99, "chksum", 0xbeef),
		mustLayer(t, UDP, "len", 1, "chksum", 0),
	}
	p := new(Packet)
	builtin.Parse(p, Build(layers...), IPv4)
	ip := p.Layer("ipv4")
	for _, c := range []struct {
		l     *Layer
		field string
		want  uint64
	}{{ip, "ihl", 9}, {ip, "len", 7}, {ip, "proto", 99}, {ip, "chksum", 0xbeef}} {
		i, _ := c.l.Proto.Field(c.field)
		if got := c.l.Uint(i); got != c.want {
			t.Errorf("%s: got %d, want %d", c.field, got, c.want)
		}
	}
	if p.Layer("udp") != nil {
		t.Errorf("proto 99 binds no layer, yet parse found UDP")
	}
}

// TestBuildUDPZeroChecksum: a UDP checksum that comes out 0 is sent as
// 0xffff, since 0 means none (RFC 768), as Scapy does.
func TestBuildUDPZeroChecksum(t *testing.T) {
	ip := mustLayer(t, IPv4, "src", "198.18.0.1", "dst", "198.18.0.2")
	zero := Build(ip, NewLayer(UDP), Raw([]byte{0, 0}))
	ck := binary.BigEndian.Uint16(zero[26:])
	// A payload word equal to that checksum brings the sum to 0xffff.
	frame := Build(ip, NewLayer(UDP), Raw([]byte{byte(ck >> 8), byte(ck)}))
	if got := binary.BigEndian.Uint16(frame[26:]); got != 0xffff {
		t.Errorf("checksum %#04x, want 0xffff", got)
	}
}

func TestBuildBindingsFillFields(t *testing.T) {
	r := NewRegistry()
	p, err := r.Define("mine", []FieldSpec{{Name: "a", Bits: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Bind(UDP, "dport", 9999, p); err != nil {
		t.Fatal(err)
	}
	b := Builder{Registry: r}
	udp := NewLayer(UDP)
	frame := b.Build([]*Layer{udp, NewLayer(p)})
	if got := binary.BigEndian.Uint16(frame[2:]); got != 9999 {
		t.Errorf("dport %d, want 9999 from the binding", got)
	}
	udp.SetUint(udpDport, 53)
	frame = b.Build([]*Layer{udp, NewLayer(p)})
	if got := binary.BigEndian.Uint16(frame[2:]); got != 53 {
		t.Errorf("dport %d, want 53 as given", got)
	}
}

func TestBuilderReusesItsBuffer(t *testing.T) {
	layers := []*Layer{NewLayer(Ether), NewLayer(IPv4), NewLayer(UDP), Raw(make([]byte, 16))}
	var b Builder
	b.Build(layers)
	if allocs := testing.AllocsPerRun(100, func() { b.Build(layers) }); allocs != 0 {
		t.Errorf("%v allocations per build, want 0", allocs)
	}
}

func TestLayerSet(t *testing.T) {
	l := NewLayer(IPv4)
	for _, c := range []struct {
		name string
		v    any
		want string // the error, or "" for none
	}{
		{"ttl", 3, ""},
		{"ttl", 256, "field 'ttl' expects a number 0..255, got 256"},
		{"ttl", -1, "field 'ttl' expects a number 0..255, got -1"},
		{"ttl", "x", `field 'ttl' expects a number 0..255, got "x"`},
		{"flags", "evil+DF", ""},
		{"src", "198.18.0.1", ""},
		{"src", 1.0, `field 'src' expects an IPv4 address like "198.18.0.1", got 1`},
		{"options", []byte{1}, ""},
		{"ttll", 1, "unknown field 'ttll' (did you mean 'ttl'? have: version, ihl, tos, len, id, flags, frag, ttl, proto, chksum, src, dst, options)"},
		{"source", 1, "unknown field 'source' (have: version, ihl, tos, len, id, flags, frag, ttl, proto, chksum, src, dst, options)"},
	} {
		err := l.Set(c.name, c.v)
		if (err == nil && c.want != "") || (err != nil && err.Error() != c.want) {
			t.Errorf("Set(%q, %v): %v, want %q", c.name, c.v, err, c.want)
		}
	}
	if got := l.Text(ipFlags); got != "DF+evil" {
		t.Errorf("flags %q", got)
	}
	if l.Set("flags", "XF") == nil || l.Text(ipFlags) != "DF+evil" {
		t.Errorf("a bad value changed the field: flags %q", l.Text(ipFlags))
	}
	l.Clear(ipTTL)
	if l.Given(ipTTL) || l.Uint(ipTTL) != 64 {
		t.Errorf("Clear: given %v, ttl %d", l.Given(ipTTL), l.Uint(ipTTL))
	}
}

func hexBytes(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustLayer makes a layer of p with fields given as name, value pairs.
func mustLayer(tb testing.TB, p *Proto, fields ...any) *Layer {
	tb.Helper()
	l := NewLayer(p)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := l.Set(fields[i].(string), fields[i+1]); err != nil {
			tb.Fatalf("%s.%s: %v", p.Name, fields[i], err)
		}
	}
	return l
}
