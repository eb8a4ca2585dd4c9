package frame

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// linkVectors is made by testdata/gen_link.py: frames of the link layers
// Scapy built, and what Scapy read back from them.
const linkVectors = "testdata/scapy_link.json"

func TestLinkVectorsBuild(t *testing.T) { checkVectorsBuild(t, linkVectors) }

// TestLinkVectorsParse parses each vector from its first layer and, for
// 802.3 frames, from Ethernet too, as Scapy's Ether gives way to Dot3.
func TestLinkVectorsParse(t *testing.T) {
	for _, v := range readVectors(t, linkVectors) {
		first := builtin.Proto(fmt.Sprint(v.Layers[0]["layer"]))
		firsts := []*Proto{first}
		if first == Dot3 {
			firsts = append(firsts, Ether)
		}
		for _, first := range firsts {
			t.Run(v.Name+" from "+first.Name, func(t *testing.T) {
				data, err := hex.DecodeString(v.Hex)
				if err != nil {
					t.Fatal(err)
				}
				p := new(Packet)
				builtin.Parse(p, data, first)
				for name, want := range v.Fields {
					if name == "error" {
						if p.Err == nil {
							t.Error("no error, but Scapy read a layer cut short")
						}
						continue
					}
					checkVectorField(t, p, name, want)
				}
			})
		}
	}
}

// FuzzLinkParse is FuzzParse seeded with the link layers' frames.
func FuzzLinkParse(f *testing.F) { fuzzVectors(f, linkVectors) }

// parse's linktype option picks the first layer as pcap's link type says,
// and names the link types it knows when it does not know one.
func TestLuaParseLinkType(t *testing.T) {
	runLua(t, `
local ip = f.build{ f.ipv4{ dst = "198.18.0.2" }, f.udp{} }
eq(f.parse(f.build{ f.sll{}, f.ipv4{}, f.udp{} }, { linktype = 113 }).layers[1].name, "sll")
eq(f.parse(f.build{ f.sll2{}, f.ipv4{}, f.udp{} }, { linktype = 276 }).udp.dport, 53)
eq(f.parse(f.build{ f.loopback{}, f.ipv6{} }, { linktype = 0 }).loopback.type, 24, "IPv6 over loopback: the BSDs' family")
eq(f.parse(ip, { linktype = 101 }).ipv4.dst, "198.18.0.2")
eq(f.parse(ip, { linktype = 228 }).ipv4.dst, "198.18.0.2")
eq(f.parse(f.build{ f.ether{}, f.ipv4{} }, { linktype = 1 }).layers[1].name, "ether")
`)
	for _, lt := range []string{"7", "-1", "2^40"} {
		msg := luaError(t, `f.parse("x", { linktype = `+lt+` })`)
		if !strings.Contains(msg, "bad argument #2 to 'parse' (option 'linktype' is link type") {
			t.Errorf("linktype %s: %s", lt, msg)
		}
	}
}

// netlua doc frame lists each link layer with Scapy's defaults (Scapy 2.5's
// CookedLinux, CookedLinuxV2, Loopback, Dot3, STP) and its computed fields.
func TestLinkLayersDoc(t *testing.T) {
	for _, c := range []struct {
		p    *Proto
		want string
	}{
		{SLL, "lladdrtype=0x200, proto=0x800, others 0"},
		{SLL2, "proto=0x800, lladdrtype=0x200, others 0"},
		{Loopback, "type=2, others 0"},
		{Dot3, "dst=ff:ff:ff:ff:ff:ff, others 0; computed unless given: len"},
		{LLC, "defaults: all 0"},
		{SNAP, "defaults: all 0"},
		{STP, "age=256, maxage=5120, hellotime=512, fwddelay=3840, others 0"},
	} {
		if doc := constructorFunc(c.p).Doc; !strings.Contains(doc, c.want) {
			t.Errorf("%s: %q lacks %q", c.p.Name, doc, c.want)
		}
	}
}

// Beyond Scapy, as tcpdump reads them: Linux's cooked protocol 4
// (ETH_P_802_2 in linux/if_ether.h) is LLC, and a loopback family in
// network byte order (OpenBSD's DLT_LOOP) or another system's AF_INET6
// is still IPv4 or IPv6.
func TestLinkParseBeyondScapy(t *testing.T) {
	for _, c := range []struct {
		layers []*Layer
		want   string
	}{
		{[]*Layer{mustLayer(t, SLL, "proto", 4), NewLayer(LLC), NewLayer(STP)}, "stp"},
		{[]*Layer{mustLayer(t, SLL2, "proto", 4), NewLayer(LLC), NewLayer(SNAP), NewLayer(IPv4)}, "ipv4"},
		{[]*Layer{mustLayer(t, Loopback, "type", 0x02000000), NewLayer(IPv4)}, "ipv4"},
		{[]*Layer{mustLayer(t, Loopback, "type", 0x1e000000), NewLayer(IPv6)}, "ipv6"},
		{[]*Layer{mustLayer(t, Loopback, "type", 28), NewLayer(IPv6)}, "ipv6"},
		{[]*Layer{mustLayer(t, Loopback, "type", 10), NewLayer(IPv6)}, "ipv6"},
	} {
		p := new(Packet)
		builtin.Parse(p, Build(c.layers...), c.layers[0].Proto)
		if p.Layer(c.want) == nil || p.Err != nil {
			t.Errorf("%s: layers %s (error %v), want %s", c.layers[0], layerNames(p), p.Err, c.want)
		}
	}
}
