package frame

import (
	"bytes"
	"strings"
	"testing"
)

// frameOf builds layers with payload, for tests that parse what they build.
func frameOf(tb testing.TB, layers ...*Layer) []byte {
	tb.Helper()
	return append([]byte(nil), Build(layers...)...)
}

func TestParseStopsWhereDecodingDoes(t *testing.T) {
	// Ports that bind no layer above UDP: 53, the default, is DNS's.
	udp := frameOf(t, NewLayer(Ether), NewLayer(IPv4), mustLayer(t, UDP, "sport", 4000, "dport", 5000), Raw([]byte("data")))
	tcp := frameOf(t, NewLayer(Ether), NewLayer(IPv4), mustLayer(t, TCP, "options", []byte{2, 4, 5, 180}))
	for _, c := range []struct {
		name    string
		data    []byte
		layers  string // names, space-separated
		payload string
		err     string
	}{
		{"empty", nil, "", "", "ether at byte 0: empty frame: no bytes to decode"},
		{"a short Ethernet header", udp[:13], "", string(udp[:13]), "ether at byte 0: truncated header: 13 of 14 bytes"},
		{"no bytes after a header is no error", udp[:34], "ether ipv4", "", ""},
		{"a short UDP header", udp[:41], "ether ipv4", string(udp[34:41]), "udp at byte 34: truncated header: 7 of 8 bytes"},
		{"a whole frame", udp, "ether ipv4 udp", "data", ""},
		{"TCP options cut short keep the layer", tcp[:56], "ether ipv4 tcp", "",
			"tcp at byte 34: options cut short: header length 24, have 22 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Parse(c.data)
			if got := layerNames(p); got != c.layers {
				t.Errorf("layers %q, want %q", got, c.layers)
			}
			if string(p.Payload) != c.payload {
				t.Errorf("payload %q, want %q", p.Payload, c.payload)
			}
			if got := errText(p.Err); got != c.err {
				t.Errorf("error %q, want %q", got, c.err)
			}
		})
	}
}

// Like Scapy, parse trusts length fields: what follows the end they give
// is padding, not payload.
func TestParsePadding(t *testing.T) {
	pad := bytes.Repeat([]byte{0}, 6)
	udp := func(kv ...any) *Layer {
		return mustLayer(t, UDP, append([]any{"sport", 4000, "dport", 5000}, kv...)...)
	} // no DNS
	for _, c := range []struct {
		name          string
		data          []byte
		payload, tail string
	}{
		{"Ethernet padding after IPv4", append(frameOf(t, NewLayer(Ether), NewLayer(IPv4), udp(), Raw([]byte("ab"))), pad...), "ab", string(pad)},
		{"after ARP", append(frameOf(t, NewLayer(Ether), NewLayer(ARP)), pad...), "", string(pad)},
		{"an 802.3 length (dot3, then llc: a, b, c)", frameOf(t, mustLayer(t, Ether, "type", 3), Raw([]byte("abcdef"))), "", "def"},
		{"a UDP length under 8 cuts the end short, as Python's s[:len-8]",
			frameOf(t, NewLayer(IPv4), udp("len", 4), Raw([]byte("hello"))), "h", "ello"},
		{"an IPv6 payload length", frameOf(t, mustLayer(t, IPv6, "plen", 9), udp(), Raw([]byte("abc"))), "a", "bc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			first := Ether
			if c.data[0]>>4 == 4 || c.data[0]>>4 == 6 {
				first = ForIP(c.data)
			}
			p := new(Packet)
			builtin.Parse(p, c.data, first)
			if string(p.Payload) != c.payload || string(p.Padding) != c.tail || p.Err != nil {
				t.Errorf("payload %q padding %q error %v, want %q %q", p.Payload, p.Padding, p.Err, c.payload, c.tail)
			}
		})
	}
}

func TestParseIPv4(t *testing.T) {
	t.Run("a fragment past the first is not decoded further", func(t *testing.T) {
		data := frameOf(t, NewLayer(Ether), mustLayer(t, IPv4, "flags", "MF", "frag", 3), NewLayer(UDP))
		if p := Parse(data); layerNames(p) != "ether ipv4" || len(p.Payload) != 8 {
			t.Errorf("layers %q payload %d bytes", layerNames(p), len(p.Payload))
		}
		data = frameOf(t, NewLayer(Ether), mustLayer(t, IPv4, "flags", "MF"), NewLayer(UDP))
		if p := Parse(data); layerNames(p) != "ether ipv4 udp" {
			t.Errorf("the first fragment: layers %q", layerNames(p))
		}
	})
	t.Run("an ihl under 5 is an error that stops decoding, as tcpdump's bad-hlen", func(t *testing.T) {
		data := frameOf(t, mustLayer(t, IPv4, "ihl", 3), NewLayer(UDP))
		p := new(Packet)
		builtin.Parse(p, data, IPv4)
		if layerNames(p) != "ipv4" || errText(p.Err) != "ipv4 at byte 0: bad header length: 12 bytes, less than the fixed header's 20" {
			t.Errorf("layers %q error %v", layerNames(p), p.Err)
		}
	})
	t.Run("802.1ad and 0x9100 tags are VLAN tags", func(t *testing.T) {
		for _, typ := range []int{0x88a8, 0x9100} {
			data := frameOf(t, mustLayer(t, Ether, "type", typ), NewLayer(VLAN), NewLayer(IPv4))
			if p := Parse(data); layerNames(p) != "ether vlan ipv4" {
				t.Errorf("%#x: layers %q", typ, layerNames(p))
			}
		}
	})
}

func TestParseARP(t *testing.T) {
	data := frameOf(t, NewLayer(Ether), mustLayer(t, ARP, "op", 2, "hwsrc", "02:00:00:00:00:01", "psrc", "198.18.0.1", "pdst", "198.18.0.2"))
	p := Parse(data)
	arp := p.Layer("arp")
	if arp == nil {
		t.Fatalf("no ARP layer: %v", p.Err)
	}
	for field, want := range map[string]string{"op": "2", "hwsrc": "02:00:00:00:00:01", "psrc": "198.18.0.1", "pdst": "198.18.0.2", "plen": "4"} {
		if i, _ := ARP.Field(field); arp.Text(i) != want {
			t.Errorf("%s: %s, want %s", field, arp.Text(i), want)
		}
	}
	data[19] = 5 // plen 5: addresses as bytes (corpusfix_test.go), here 2 bytes more than the frame has
	if p := Parse(data); p.Layer("arp") != nil || !strings.Contains(errText(p.Err), "28 of 30 bytes") {
		t.Errorf("plen 5: layers %q error %v", layerNames(p), p.Err)
	}
}

func TestParseBoundsLayers(t *testing.T) {
	r := NewRegistry()
	loop, err := r.Define("loop", []FieldSpec{{Name: "next", Bits: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Bind(loop, "next", 1, loop); err != nil {
		t.Fatal(err)
	}
	p := new(Packet)
	r.Parse(p, bytes.Repeat([]byte{1}, 200), loop)
	if len(p.Layers) != maxLayers || !strings.Contains(errText(p.Err), "more than 64 layers") {
		t.Errorf("%d layers, error %v", len(p.Layers), p.Err)
	}
}

func TestParseAllocatesNothing(t *testing.T) {
	data := frameOf(t, NewLayer(Ether), NewLayer(VLAN), NewLayer(IPv4), NewLayer(TCP), Raw(make([]byte, 16)))
	var p Packet
	builtin.Parse(&p, data, Ether)
	if allocs := testing.AllocsPerRun(100, func() { builtin.Parse(&p, data, Ether) }); allocs != 0 {
		t.Errorf("%v allocations per parse, want 0", allocs)
	}
}

func layerNames(p *Packet) string {
	var names []string
	for i := range p.Layers {
		names = append(names, p.Layers[i].Proto.Name)
	}
	return strings.Join(names, " ")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
