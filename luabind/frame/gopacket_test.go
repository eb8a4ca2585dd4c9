package frame

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"reflect"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// The cross-check with gopacket: each file of Scapy vectors is decoded a
// second time by gopacket, and every field both decoders have must agree.
// gopacket is an oracle from outside, as Scapy is; where the two read a
// field differently, the test that meets it says who is right and why
// that field is left out.

// A gopacketChecker gives the checks of one layer gopacket decoded, in
// the order of the parse layers they name (one layer, or bootp then dhcp
// for gopacket's DHCPv4); nil when gopacket's layer has nothing to
// compare.
type gopacketChecker func(gopacket.Layer) []gopacketCheck

// A gopacketMask is a want of only some bits of a field: gopacket splits
// a field into flags and leaves the other bits out.
type gopacketMask struct{ mask, bits uint64 }

// A gopacketPrefix is a want of the first bytes of a byte-string field:
// gopacket keeps as many as a length field says (BOOTP's chaddr, hlen).
type gopacketPrefix []byte

// A gopacketTLV is one option as gopacket reads it: its kind, its length
// as on the wire (1 for a one-byte option), and its data. lossy says the
// data does not fit the format Scapy reads the kind's value in (an MSS of
// one byte): Scapy's value cannot say it, and only the kind is compared.
// named says gopacket has a name for the kind: parse must read it as a
// named item, not keep it as {kind, bytes}. value, if not nil, is the
// item's value as gopacket's data says it (an MSS's number).
type gopacketTLV struct {
	kind, length uint64
	data         []byte
	lossy, named bool
	value        any
}

// gopacketOptions are the options gopacket read. stopped says gopacket
// read no further: after an end option (RFC 791, 9293 and 2132 make what
// follows padding) or at one whose length is under 2 or runs past the
// header; Scapy and parse read on, and their items after these are not
// compared. fixed says Scapy reads each option by its kind's fixed fields
// whatever its length byte says, as it does IPv4's.
type gopacketOptions struct {
	tlvs           []gopacketTLV
	stopped, fixed bool
}

// gopacketFirst is the gopacket layer a vector's first layer starts at.
var gopacketFirst = map[string]gopacket.LayerType{
	"ether": layers.LayerTypeEthernet, "ipv4": layers.LayerTypeIPv4, "ipv6": layers.LayerTypeIPv6,
	"gre": layers.LayerTypeGRE, "erspan": layers.LayerTypeERSPANII,
}

// A gopacketAdjust changes the layers gopacket decoded before they are
// compared: it leaves out those gopacket reads otherwise than Scapy, for a
// reason the test gives, or adds those gopacket decodes only when asked.
type gopacketAdjust func([]gopacket.Layer) []gopacket.Layer

// gopacketCut is the adjust that leaves out the layers after the first
// one stop reports.
func gopacketCut(stop func(gopacket.Layer) bool) gopacketAdjust {
	return func(gls []gopacket.Layer) []gopacket.Layer {
		for i := range gls {
			if stop(gls[i]) {
				return gls[:i+1]
			}
		}
		return gls
	}
}

// checkGopacketFile decodes every vector of file with parse and with
// gopacket and compares the layers checkers know, as adjust, if not nil,
// leaves them. It returns how many fields of each parse layer were
// compared.
func checkGopacketFile(t *testing.T, file string, checkers map[gopacket.LayerType]gopacketChecker, adjust gopacketAdjust) map[string]int {
	t.Helper()
	checked := map[string]int{}
	for _, v := range readVectors(t, file) {
		name := fmt.Sprint(v.Layers[0]["layer"])
		data, err := hex.DecodeString(v.Hex)
		if err != nil {
			t.Fatal(err)
		}
		p := new(Packet)
		builtin.Parse(p, data, builtin.Proto(name))
		gls := decodedLayers(gopacket.NewPacket(data, gopacketFirst[name], gopacket.Default).Layers())
		if adjust != nil {
			gls = adjust(gls)
		}
		checkGopacket(t, v.Name, p, gls, checkers, checked)
	}
	return checked
}

// decodedLayers are the layers gopacket decoded, without those it failed
// to: gopacket adds a layer whose decoder failed, zeroed or half read,
// before the DecodeFailure that says why (a header cut short, an IPv4
// total length shorter than its header, an option gopacket refuses, an
// IPv6 payload length of 0 with no hop-by-hop header, which gopacket
// takes for a jumbogram's where RFC 8200 allows an empty payload; Scapy
// and parse read them all). Such a layer is the one whose decoder fails
// again on its bytes; the layer before a failure of the next decoder
// (MPLS's guess of what it carries) stays.
func decodedLayers(gls []gopacket.Layer) []gopacket.Layer {
	var ok []gopacket.Layer
	for i, gl := range gls {
		if i+1 < len(gls) && gls[i+1].LayerType() == gopacket.LayerTypeDecodeFailure && failedLayer(gl) {
			continue
		}
		ok = append(ok, gl)
	}
	return ok
}

// failedLayer reports whether gopacket's decoder of gl fails on gl's bytes.
func failedLayer(gl gopacket.Layer) bool {
	if len(gl.LayerContents()) == 0 {
		return true
	}
	data := append(append([]byte{}, gl.LayerContents()...), gl.LayerPayload()...)
	fresh, ok := reflect.New(reflect.TypeOf(gl).Elem()).Interface().(gopacket.DecodingLayer)
	return ok && fresh.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil
}

// checkGopacket pairs each of gls that checkers know with the next parse
// layers of the names its checks give, in order (gopacket's DHCPv4 is
// parse's bootp and dhcp), and compares their fields.
func checkGopacket(t *testing.T, name string, p *Packet, gls []gopacket.Layer,
	checkers map[gopacket.LayerType]gopacketChecker, checked map[string]int) {
	t.Helper()
	seen := map[string]int{}
	for _, gl := range gls {
		check := checkers[gl.LayerType()]
		if check == nil {
			continue
		}
		var l *Layer
		for _, c := range check(gl) {
			if l == nil || l.Proto.Name != c.layer {
				l = nthLayer(p, c.layer, seen[c.layer])
				seen[c.layer]++
				if l == nil {
					t.Errorf("%s: gopacket decodes %s #%d, parse does not (error: %v)", name, c.layer, seen[c.layer], p.Err)
					break
				}
			}
			n, err := compareGopacket(l, c)
			if err != nil {
				t.Errorf("%s: %s #%d: %v", name, c.layer, seen[c.layer], err)
			}
			checked[c.layer] += n
			if _, ok := c.want.(gopacketOptions); ok {
				checked[c.layer+"."+c.field] += n // the options' own count, for wantAtLeast
			}
		}
	}
}

// nthLayer is the parse layer named name, the n-th of them from 0, or nil.
func nthLayer(p *Packet, name string, n int) *Layer {
	for i := range p.Layers {
		if p.Layers[i].Proto.Name == name {
			if n == 0 {
				return &p.Layers[i]
			}
			n--
		}
	}
	return nil
}

// compareGopacket compares one check with l's field. It returns how many
// values it compared: one, or for a list one for the count and one for
// each address or three for each option (kind, length, data).
func compareGopacket(l *Layer, c gopacketCheck) (int, error) {
	i, ok := l.Proto.Field(c.field)
	if !ok {
		return 0, fmt.Errorf("no field %s", c.field)
	}
	var got any
	switch want := c.want.(type) {
	case uint64:
		got = l.Uint(i)
	case gopacketMask:
		if v := l.Uint(i) & want.mask; v != want.bits {
			return 1, fmt.Errorf("%s & %#x = %#x, gopacket reads %#x", c.field, want.mask, v, want.bits)
		}
		return 1, nil
	case netip.Addr:
		got = l.Addr(i)
	case []byte:
		if !bytes.Equal(l.Bytes(i), want) {
			return 1, fmt.Errorf("%s = %x, gopacket reads %x", c.field, l.Bytes(i), want)
		}
		return 1, nil
	case gopacketPrefix:
		if !bytes.HasPrefix(l.Bytes(i), want) {
			return 1, fmt.Errorf("%s = %x, gopacket reads %x first", c.field, l.Bytes(i), []byte(want))
		}
		return 1, nil
	case gopacketOptions:
		return compareTLVs(l, i, want)
	case []netip.Addr:
		return compareAddrs(l, i, want)
	default:
		return 0, fmt.Errorf("%s: want of type %T", c.field, c.want)
	}
	if got != c.want {
		return 1, fmt.Errorf("%s = %v, gopacket reads %v", c.field, got, c.want)
	}
	return 1, nil
}

// compareTLVs compares the items of list field i, each as its codec
// writes it alone, with the options gopacket read. Two readings part ways
// where Scapy does not follow an option's length: at an item of raw bytes
// (Scapy gave up on an option and kept the rest as Raw), and, where
// Scapy reads fixed fields, at an item with the same length byte as
// gopacket's but another size (an IPv4 Router Alert of length 3, read as
// 4 bytes); the items after either are not compared.
func compareTLVs(l *Layer, i int, want gopacketOptions) (int, error) {
	items := l.Items(i)
	name := l.Proto.Fields[i].Name
	n := 1
	for k, w := range want.tlvs[:min(len(items), len(want.tlvs))] {
		if items[k].Value(0) == "Raw" {
			return n, nil
		}
		b, err := l.Proto.Fields[i].List.Encode(nil, items[k:k+1])
		if err != nil || len(b) == 0 {
			return n, fmt.Errorf("%s item %d: %v", name, k+1, err)
		}
		got := gopacketTLV{kind: uint64(b[0]), length: 1}
		if len(b) > 1 {
			got.length, got.data = uint64(b[1]), b[2:]
		}
		if _, ok := items[k].Value(0).(string); w.named && !w.lossy && !ok {
			return n, fmt.Errorf("%s item %d %s: gopacket names option %d, parse does not", name, k+1, itemsText(items[k:k+1]), w.kind)
		}
		if v := items[k].Value(1); w.value != nil && !w.lossy && valueText(v) != valueText(w.value) {
			return n, fmt.Errorf("%s item %d %s: value %s, gopacket reads %s", name, k+1, itemsText(items[k:k+1]), valueText(v), valueText(w.value))
		}
		switch {
		case got.kind == w.kind && (w.lossy || got.length == w.length && bytes.Equal(got.data, w.data)):
			n += 3
		case want.fixed && got.kind == w.kind && got.length == w.length && len(got.data) != len(w.data):
			return n + 2, nil
		default:
			return n, fmt.Errorf("%s item %d %s: kind %d length %d data %x, gopacket reads %d %d %x",
				name, k+1, itemsText(items[k:k+1]), got.kind, got.length, got.data, w.kind, w.length, w.data)
		}
	}
	if len(items) < len(want.tlvs) || len(items) > len(want.tlvs) && !want.stopped {
		return n, fmt.Errorf("%s: %d items %s, gopacket reads %d options %v", name, len(items), itemsText(items), len(want.tlvs), want.tlvs)
	}
	return n, nil
}

// compareAddrs compares the items of list field i, each an address, with
// the addresses gopacket read.
func compareAddrs(l *Layer, i int, want []netip.Addr) (int, error) {
	items := l.Items(i)
	var got []netip.Addr
	for n := range items {
		s, _ := items[n].Value(0).(string)
		a, err := netip.ParseAddr(s)
		if err != nil {
			return 1, fmt.Errorf("%s item %d: %v", l.Proto.Fields[i].Name, n+1, err)
		}
		got = append(got, a)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return 1, fmt.Errorf("%s = %v, gopacket reads %v", l.Proto.Fields[i].Name, got, want)
	}
	return len(want) + 1, nil
}

// wantAtLeast fails unless every layer in min had at least that many
// fields compared.
func wantAtLeast(t *testing.T, checked map[string]int, min map[string]int) {
	t.Helper()
	for name, n := range min {
		if checked[name] < n {
			t.Errorf("%d fields of %s checked against gopacket, want %d or more", checked[name], name, n)
		}
	}
	t.Logf("fields checked against gopacket: %v", checked)
}

// gopacketBaseCheckers are the checkers of the layers around the ones a
// test is about, and inside tunnels and ICMP quotes: Ethernet, 802.1Q and
// 802.1ad, IPv4, IPv6, UDP, TCP.
func gopacketBaseCheckers() map[gopacket.LayerType]gopacketChecker {
	return map[gopacket.LayerType]gopacketChecker{
		layers.LayerTypeEthernet: checkEthernet, layers.LayerTypeDot1Q: checkDot1Q,
		layers.LayerTypeIPv4: checkIPv4, layers.LayerTypeIPv6: checkIPv6,
		layers.LayerTypeUDP: checkUDP, layers.LayerTypeTCP: checkTCP,
	}
}

func checkEthernet(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.Ethernet)
	if l.Length != 0 { // an 802.3 length: parse's dot3
		return nil
	}
	return []gopacketCheck{{"ether", "dst", macUint(l.DstMAC)}, {"ether", "src", macUint(l.SrcMAC)},
		{"ether", "type", uint64(l.EthernetType)}}
}

// checkDot1Q pairs an 802.1Q or 802.1ad tag with a vlan layer: parse reads
// both as vlan, as Scapy does.
func checkDot1Q(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.Dot1Q)
	return []gopacketCheck{{"vlan", "pcp", uint64(l.Priority)}, {"vlan", "dei", b2u(l.DropEligible)},
		{"vlan", "vid", uint64(l.VLANIdentifier)}, {"vlan", "type", uint64(l.Type)}}
}

func checkIPv6(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPv6)
	return []gopacketCheck{{"ipv6", "version", uint64(l.Version)}, {"ipv6", "tc", uint64(l.TrafficClass)},
		{"ipv6", "fl", uint64(l.FlowLabel)}, {"ipv6", "plen", uint64(l.Length)},
		{"ipv6", "nh", uint64(l.NextHeader)}, {"ipv6", "hlim", uint64(l.HopLimit)},
		{"ipv6", "src", ipAddr(l.SrcIP)}, {"ipv6", "dst", ipAddr(l.DstIP)}}
}

func checkUDP(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.UDP)
	return []gopacketCheck{{"udp", "sport", uint64(l.SrcPort)}, {"udp", "dport", uint64(l.DstPort)},
		{"udp", "len", uint64(l.Length)}, {"udp", "chksum", uint64(l.Checksum)}}
}

// macUint is a MAC address as parse holds it: a 48-bit number.
func macUint(mac net.HardwareAddr) uint64 {
	var b [8]byte
	copy(b[2:], mac)
	return binary.BigEndian.Uint64(b[:])
}

// ipAddr is an address gopacket read: 4 bytes for IPv4, 16 for IPv6.
func ipAddr(ip net.IP) netip.Addr {
	a, _ := netip.AddrFromSlice(ip)
	return a
}
