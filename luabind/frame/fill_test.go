package frame

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

// fakeSource answers Fill from fixed tables, and counts the questions.
type fakeSource struct {
	mac   net.HardwareAddr
	src   map[netip.Addr]netip.Addr
	hops  map[netip.Addr]net.HardwareAddr
	asked int
}

func (f *fakeSource) LinkAddr() net.HardwareAddr { return f.mac }

func (f *fakeSource) Source(dst netip.Addr) (netip.Addr, error) {
	f.asked++
	if a, ok := f.src[dst]; ok {
		return a, nil
	}
	return netip.Addr{}, errors.New("no route to " + dst.String())
}

func (f *fakeSource) MAC(dst netip.Addr) (net.HardwareAddr, error) {
	f.asked++
	if m, ok := f.hops[dst]; ok {
		return m, nil
	}
	return nil, errors.New("no reply from " + dst.String())
}

func newFake() *fakeSource {
	ip := netip.MustParseAddr
	mac := func(s string) net.HardwareAddr { m, _ := net.ParseMAC(s); return m }
	return &fakeSource{
		mac: mac("02:00:c6:12:00:01"),
		src: map[netip.Addr]netip.Addr{ip("198.18.0.2"): ip("198.18.0.1"), ip("2001:2::2"): ip("2001:2::1")},
		hops: map[netip.Addr]net.HardwareAddr{
			ip("198.18.0.2"): mac("02:00:c6:12:00:02"), ip("2001:2::2"): mac("02:00:c6:12:00:22"),
		},
	}
}

// layer makes a layer of p with fields set from name-value pairs.
func layer(t *testing.T, p *Proto, kv ...any) *Layer {
	t.Helper()
	l := NewLayer(p)
	for i := 0; i < len(kv); i += 2 {
		if err := l.Set(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// fields are the texts of named fields of a parsed frame: "ether.src", ...
func fields(t *testing.T, data []byte, names ...string) []string {
	t.Helper()
	p := Parse(data)
	var out []string
	for _, n := range names {
		var proto, field string
		for i := range n {
			if n[i] == '.' {
				proto, field = n[:i], n[i+1:]
			}
		}
		l := p.Layer(proto)
		if l == nil {
			t.Fatalf("no %s layer in % x", proto, data)
		}
		i, _ := l.Proto.Field(field)
		out = append(out, l.Text(i))
	}
	return out
}

func TestFillUnsetAddresses(t *testing.T) {
	tests := []struct {
		name   string
		layers func(t *testing.T) []*Layer
		check  []string
		want   []string
	}{
		{"ipv4", func(t *testing.T) []*Layer {
			return []*Layer{NewLayer(Ether), layer(t, IPv4, "dst", "198.18.0.2"), NewLayer(ICMPv4)}
		}, []string{"ether.src", "ether.dst", "ipv4.src"}, []string{"02:00:c6:12:00:01", "02:00:c6:12:00:02", "198.18.0.1"}},
		{"ipv6", func(t *testing.T) []*Layer {
			return []*Layer{NewLayer(Ether), layer(t, IPv6, "dst", "2001:2::2"), NewLayer(ICMPv6)}
		}, []string{"ether.src", "ether.dst", "ipv6.src"}, []string{"02:00:c6:12:00:01", "02:00:c6:12:00:22", "2001:2::1"}},
		{"arp request", func(t *testing.T) []*Layer {
			return []*Layer{NewLayer(Ether), layer(t, ARP, "pdst", "198.18.0.2")}
		}, []string{"ether.src", "ether.dst", "arp.hwsrc", "arp.psrc"}, []string{"02:00:c6:12:00:01", "ff:ff:ff:ff:ff:ff", "02:00:c6:12:00:01", "198.18.0.1"}},
		{"arp reply", func(t *testing.T) []*Layer {
			return []*Layer{NewLayer(Ether), layer(t, ARP, "op", 2, "pdst", "198.18.0.2")}
		}, []string{"ether.dst", "arp.psrc"}, []string{"02:00:c6:12:00:02", "198.18.0.1"}},
		{"no network layer", func(t *testing.T) []*Layer {
			return []*Layer{layer(t, Ether, "type", 0x88b5), Raw([]byte("x"))}
		}, []string{"ether.src", "ether.dst"}, []string{"02:00:c6:12:00:01", "ff:ff:ff:ff:ff:ff"}},
		{"given fields", func(t *testing.T) []*Layer {
			return []*Layer{layer(t, Ether, "src", "02:00:00:00:00:99", "dst", "02:00:00:00:00:98"),
				layer(t, IPv4, "src", "198.18.200.1", "dst", "198.18.0.2"), NewLayer(ICMPv4)}
		}, []string{"ether.src", "ether.dst", "ipv4.src"}, []string{"02:00:00:00:00:99", "02:00:00:00:00:98", "198.18.200.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layers := tt.layers(t)
			before := Build(layers...)
			orig := append([]*Layer(nil), layers...)
			if err := Fill(layers, newFake()); err != nil {
				t.Fatal(err)
			}
			got := fields(t, Build(layers...), tt.check...)
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%s = %s, want %s", tt.check[i], got[i], tt.want[i])
				}
			}
			if string(Build(orig...)) != string(before) {
				t.Error("Fill changed the layers it was given")
			}
		})
	}
}

// A field given is not asked about; a failing question is Fill's error.
func TestFillAsksOnlyForUnsetFields(t *testing.T) {
	src := newFake()
	layers := []*Layer{layer(t, Ether, "dst", "02:00:00:00:00:98"), layer(t, IPv4, "src", "198.18.200.1", "dst", "198.18.9.9")}
	if err := Fill(layers, src); err != nil || src.asked != 0 {
		t.Errorf("err %v, %d questions", err, src.asked)
	}
	layers = []*Layer{NewLayer(Ether), layer(t, IPv4, "src", "198.18.200.1", "dst", "198.18.9.9")}
	if err := Fill(layers, src); err == nil || err.Error() != "no reply from 198.18.9.9" {
		t.Errorf("got %v", err)
	}
}

// FillDst gives the first IP layer the address sent to, if of its family.
func TestFillDst(t *testing.T) {
	layers := []*Layer{NewLayer(IPv4), NewLayer(ICMPv4)}
	FillDst(layers, netip.MustParseAddr("198.18.0.2"))
	FillDst(layers, netip.MustParseAddr("198.18.0.3")) // filled, not given: set again
	if got := layers[0].Addr(ipDst).String(); got != "198.18.0.3" {
		t.Errorf("dst %s", got)
	}
	FillDst(layers, netip.MustParseAddr("2001:2::2"))
	if got := layers[0].Addr(ipDst).String(); got != "198.18.0.3" {
		t.Errorf("an IPv6 address went into ipv4.dst: %s", got)
	}
}
