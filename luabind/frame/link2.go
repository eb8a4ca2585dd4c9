package frame

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Link layers met in captures other than Ethernet II: Linux cooked
// captures (SLL, SLL2), BSD loopback, 802.3 with 802.2 LLC and SNAP, and
// the spanning tree BPDUs they carry. Names and defaults are Scapy 2.5's
// (CookedLinux, CookedLinuxV2, Loopback, Dot3, LLC, SNAP, STP).
var (
	SLL = builtinProto("sll", "Linux cooked capture header (pcap link type 113)", []Field{
		{Name: "pkttype", Bits: 16}, {Name: "lladdrtype", Bits: 16, Hex: true},
		{Name: "lladdrlen", Bits: 16}, {Name: "src", Kind: Bytes},
		{Name: "proto", Bits: 16, Hex: true},
	}, "lladdrtype", 512, "proto", etherIPv4)

	SLL2 = builtinProto("sll2", "Linux cooked capture v2 header (pcap link type 276)", []Field{
		{Name: "proto", Bits: 16, Hex: true}, {Name: "reserved", Bits: 16},
		{Name: "ifindex", Bits: 32}, {Name: "lladdrtype", Bits: 16, Hex: true},
		{Name: "pkttype", Bits: 8}, {Name: "lladdrlen", Bits: 8},
		{Name: "src", Kind: Bytes},
	}, "proto", etherIPv4, "lladdrtype", 512)

	Loopback = builtinProto("loopback", "BSD loopback header: the address family, little-endian as Scapy writes it (link types 0, 108)", []Field{
		{Name: "type", Bits: 32},
	}, "type", afInet)

	Dot3 = builtinProto("dot3", "802.3 header: a length where Ethernet II has a type", []Field{
		{Name: "dst", Kind: MAC}, {Name: "src", Kind: MAC},
		{Name: "len", Bits: 16, Auto: true},
	}, "dst", "ff:ff:ff:ff:ff:ff")

	LLC = builtinProto("llc", "802.2 LLC header", []Field{
		{Name: "dsap", Bits: 8, Hex: true}, {Name: "ssap", Bits: 8, Hex: true},
		{Name: "ctrl", Bits: 8},
	})

	SNAP = builtinProto("snap", "SNAP header: an OUI and a type", []Field{
		{Name: "OUI", Bits: 24, Hex: true}, {Name: "code", Bits: 16, Hex: true},
	})

	// STP's times are in 1/256 s, as on the wire: Scapy shows them in
	// seconds (its age=1 is 256 here).
	STP = builtinProto("stp", "spanning tree BPDU (times in 1/256 s, as on the wire)", []Field{
		{Name: "proto", Bits: 16}, {Name: "version", Bits: 8},
		{Name: "bpdutype", Bits: 8}, {Name: "bpduflags", Bits: 8},
		{Name: "rootid", Bits: 16}, {Name: "rootmac", Kind: MAC},
		{Name: "pathcost", Bits: 32}, {Name: "bridgeid", Bits: 16},
		{Name: "bridgemac", Kind: MAC}, {Name: "portid", Bits: 16},
		{Name: "age", Bits: 16}, {Name: "maxage", Bits: 16},
		{Name: "hellotime", Bits: 16}, {Name: "fwddelay", Bits: 16},
	}, "age", 1*256, "maxage", 20*256, "hellotime", 2*256, "fwddelay", 15*256)
)

// Field indexes of the link layers.
const (
	sllPkttype, sllLladdrtype, sllLladdrlen, sllSrc, sllProto = 0, 1, 2, 3, 4

	sll2Proto, sll2Reserved, sll2Ifindex, sll2Lladdrtype = 0, 1, 2, 3
	sll2Pkttype, sll2Lladdrlen, sll2Src                  = 4, 5, 6

	loopType = 0

	dot3Dst, dot3Src, dot3Len = 0, 1, 2

	llcDsap, llcSsap, llcCtrl = 0, 1, 2

	snapOUI, snapCode = 0, 1
)

// Numbers that bind the link layers to those above them.
const (
	afInet                          = 2             // AF_INET, the same on every system
	afInet6Linux, afInet6BSD        = 10, 24        // AF_INET6 on Linux (Scapy there) and NetBSD/OpenBSD
	afInet6FreeBSD, afInet6Darwin   = 28, 30        // AF_INET6 on FreeBSD and macOS
	llcSTP, llcSNAP, llcUnnumbered  = 0x42, 0xaa, 3 // 802.2 SAPs and the UI control
	snapSTP                         = 267           // Scapy's SNAP code for STP
	sllScapyLLC, sllLinuxLLC        = 122, 4        // cooked protocols of 802.2 frames
	maxDot3Len                      = 1500          // a larger Ethernet type field is a type
	sllSrcLen                       = 8             // bytes of the cooked headers' address
	stpHeaderLen, llcLen, snapLen   = 35, 3, 5      // fixed header sizes
	sllLen, sll2Len, loopLen, d3Len = 16, 20, 4, 14 // fixed header sizes
)

// linkBinds gives the link layers their bindings; init calls it before it
// sets every binding's Lower.
func linkBinds() {
	SLL.binds = append(etherTypeBinds(sllProto), sllLLCBinds(sllProto)...)
	SLL2.binds = append(etherTypeBinds(sll2Proto), sllLLCBinds(sll2Proto)...)
	SNAP.binds = append(etherTypeBinds(snapCode), Binding{Field: snapCode, Value: snapSTP, Upper: STP})
	LLC.binds = []Binding{
		{Field: llcDsap, Value: llcSTP, Upper: STP},
		{Field: llcDsap, Value: llcSNAP, Upper: SNAP},
	}
	Loopback.binds = []Binding{
		{Field: loopType, Value: afInet, Upper: IPv4},
		{Field: loopType, Value: afInet6BSD, Upper: IPv6},
	}
	// Parse what other systems write as well, and the family in network
	// order (link type 108 from OpenBSD), as tcpdump does.
	for _, af := range []uint64{afInet6Linux, afInet6FreeBSD, afInet6Darwin} {
		Loopback.binds = append(Loopback.binds, Binding{Field: loopType, Value: af, Upper: IPv6, parseOnly: true})
	}
	for _, b := range Loopback.binds { // the list as it was before this loop
		b.Value, b.parseOnly = uint64(bits.ReverseBytes32(uint32(b.Value))), true
		Loopback.binds = append(Loopback.binds, b)
	}
}

// etherTypeBinds are the layers an Ethernet type in field f selects.
func etherTypeBinds(f int) []Binding {
	return []Binding{
		{Field: f, Value: etherIPv4, Upper: IPv4},
		{Field: f, Value: etherIPv6, Upper: IPv6},
		{Field: f, Value: etherARP, Upper: ARP},
		{Field: f, Value: etherVLAN, Upper: VLAN},
		{Field: f, Value: etherQinQ, Upper: VLAN, parseOnly: true},
	}
}

// vlanNext is the layer above an 802.1Q tag whose type no binding names:
// LLC after an 802.3 length, as Scapy's Dot1Q has it.
func vlanNext(typ uint64) *Proto {
	if typ <= maxDot3Len {
		return LLC
	}
	return nil
}

// sllLLCBinds put LLC above a cooked header: Scapy binds protocol 122 (and
// writes it); Linux writes 4, ETH_P_802_2, for 802.2 frames, which tcpdump
// decodes as LLC.
func sllLLCBinds(f int) []Binding {
	return []Binding{
		{Field: f, Value: sllScapyLLC, Upper: LLC},
		{Field: f, Value: sllLinuxLLC, Upper: LLC, parseOnly: true},
	}
}

// fixedBytes appends data cut or padded with zeros to n bytes, as Scapy's
// StrFixedLenField writes it.
func (b *Builder) fixedBytes(data []byte, n int) {
	data = data[:min(len(data), n)]
	b.buf = append(b.buf, data...)
	for range n - len(data) {
		b.buf = append(b.buf, 0)
	}
}

func encodeSLL(b *Builder, i int) {
	b.u16(b.num(i, sllPkttype))
	b.u16(b.num(i, sllLladdrtype))
	b.u16(b.num(i, sllLladdrlen))
	b.fixedBytes(b.layers[i].Bytes(sllSrc), sllSrcLen)
	b.u16(b.num(i, sllProto))
}

func decodeSLL(l *Layer, d []byte) (decoded, error) {
	if len(d) < sllLen {
		return decoded{}, truncated(len(d), sllLen)
	}
	l.put(sllPkttype, u16(d))
	l.put(sllLladdrtype, u16(d[2:]))
	l.put(sllLladdrlen, u16(d[4:]))
	l.data = d[6:14]
	l.put(sllProto, u16(d[14:]))
	return decoded{hdr: sllLen, end: -1}, nil
}

func encodeSLL2(b *Builder, i int) {
	b.u16(b.num(i, sll2Proto))
	b.u16(b.num(i, sll2Reserved))
	b.u32(b.num(i, sll2Ifindex))
	b.u16(b.num(i, sll2Lladdrtype))
	b.u8(b.num(i, sll2Pkttype))
	b.u8(b.num(i, sll2Lladdrlen))
	b.fixedBytes(b.layers[i].Bytes(sll2Src), sllSrcLen)
}

func decodeSLL2(l *Layer, d []byte) (decoded, error) {
	if len(d) < sll2Len {
		return decoded{}, truncated(len(d), sll2Len)
	}
	l.put(sll2Proto, u16(d))
	l.put(sll2Reserved, u16(d[2:]))
	l.put(sll2Ifindex, u32(d[4:]))
	l.put(sll2Lladdrtype, u16(d[8:]))
	l.put(sll2Pkttype, uint64(d[10]))
	l.put(sll2Lladdrlen, uint64(d[11]))
	l.data = d[12:20]
	return decoded{hdr: sll2Len, end: -1}, nil
}

func encodeLoopback(b *Builder, i int) {
	b.buf = binary.LittleEndian.AppendUint32(b.buf, uint32(b.num(i, loopType)))
}

func decodeLoopback(l *Layer, d []byte) (decoded, error) {
	if len(d) < loopLen {
		return decoded{}, truncated(len(d), loopLen)
	}
	l.put(loopType, uint64(binary.LittleEndian.Uint32(d)))
	return decoded{hdr: loopLen, end: -1}, nil
}

func encodeDot3(b *Builder, i int) {
	b.mac(i, dot3Dst)
	b.mac(i, dot3Src)
	b.u16(b.num(i, dot3Len))
}

// finishDot3 sets the length to what follows the header, as Scapy's
// LenField does.
func finishDot3(b *Builder, i int) {
	if !b.given(i, dot3Len) {
		b.put16(i, 12, uint16(b.size(i)-d3Len))
	}
}

// decodeDot3 ends the payload where the length says; past it is padding.
// LLC follows, as in Scapy.
func decodeDot3(l *Layer, d []byte) (decoded, error) {
	if len(d) < d3Len {
		return decoded{}, truncated(len(d), d3Len)
	}
	l.putAddr(dot3Dst, d[0:6])
	l.putAddr(dot3Src, d[6:12])
	l.put(dot3Len, u16(d[12:]))
	return decoded{hdr: d3Len, end: min(d3Len+int(u16(d[12:])), len(d)), next: LLC}, nil
}

// encodeLLC writes the header; below STP or SNAP the source SAP and the
// control take the values Scapy's binding gives them too (ssap = dsap,
// ctrl = 3), unless given.
func encodeLLC(b *Builder, i int) {
	ssap, ctrl := b.num(i, llcSsap), b.num(i, llcCtrl)
	if over := b.over[i]; over != nil {
		if !b.given(i, llcSsap) {
			ssap = over.Value
		}
		if !b.given(i, llcCtrl) {
			ctrl = llcUnnumbered
		}
	}
	b.u8(b.num(i, llcDsap))
	b.u8(ssap)
	b.u8(ctrl)
}

// decodeLLC leaves the payload undecoded unless the source SAP and the
// control match the destination SAP's binding, as Scapy's binding on all
// three fields does.
func decodeLLC(l *Layer, d []byte) (decoded, error) {
	if len(d) < llcLen {
		return decoded{}, truncated(len(d), llcLen)
	}
	l.put(llcDsap, uint64(d[0]))
	l.put(llcSsap, uint64(d[1]))
	l.put(llcCtrl, uint64(d[2]))
	return decoded{hdr: llcLen, end: -1, stop: d[1] != d[0] || d[2] != llcUnnumbered}, nil
}

func encodeSNAP(b *Builder, i int) {
	oui := b.num(i, snapOUI)
	b.buf = append(b.buf, byte(oui>>16), byte(oui>>8), byte(oui))
	b.u16(b.num(i, snapCode))
}

func decodeSNAP(l *Layer, d []byte) (decoded, error) {
	if len(d) < snapLen {
		return decoded{}, truncated(len(d), snapLen)
	}
	l.put(snapOUI, uint64(d[0])<<16|u16(d[1:]))
	l.put(snapCode, u16(d[3:]))
	return decoded{hdr: snapLen, end: -1}, nil
}

// stpLayout is the width in bytes of each STP field, in order (6 for MACs).
var stpLayout = [...]int{2, 1, 1, 1, 2, 6, 4, 2, 6, 2, 2, 2, 2, 2}

func encodeSTP(b *Builder, i int) {
	for f, n := range stpLayout {
		v := b.num(i, f)
		for k := n - 1; k >= 0; k-- {
			b.buf = append(b.buf, byte(v>>(8*k)))
		}
	}
}

// decodeSTP reads a configuration BPDU; what follows it is payload, as
// Scapy has it.
func decodeSTP(l *Layer, d []byte) (decoded, error) {
	if len(d) < stpHeaderLen {
		return decoded{}, truncated(len(d), stpHeaderLen)
	}
	off := 0
	for f, n := range stpLayout {
		var v uint64
		for _, c := range d[off : off+n] {
			v = v<<8 | uint64(c)
		}
		l.put(f, v)
		off += n
	}
	return decoded{hdr: stpHeaderLen, end: -1}, nil
}

// ForLinkType returns the protocol a record of pcap link type lt starts
// with: 1 Ethernet, 113 and 276 Linux cooked, 0 and 108 BSD loopback,
// 101 (and 12, 14) raw IPv4 or IPv6 by the version nibble, 228 IPv4, 229
// IPv6.
func ForLinkType(lt uint32, data []byte) (*Proto, error) {
	switch lt {
	case 1:
		return Ether, nil
	case 113:
		return SLL, nil
	case 276:
		return SLL2, nil
	case 0, 108:
		return Loopback, nil
	case 101, 12, 14:
		return ForIP(data), nil
	case 228:
		return IPv4, nil
	case 229:
		return IPv6, nil
	}
	return nil, fmt.Errorf("is link type %d, which frame does not decode (it decodes 0, 1, 12, 14, 101, 108, 113, 228, 229, 276)", lt)
}
