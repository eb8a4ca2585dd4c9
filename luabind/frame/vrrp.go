package frame

// VRRP (RFC 3768, version 2; RFC 9568, version 3), as Scapy 2.5's VRRP
// and VRRPv3 have it, in one layer: version 3 has res and a 12-bit adv
// where version 2 has authtype and an 8-bit adv, and no auth1, auth2
// after the addresses; version 2's checksum covers the VRRP message, 3's
// an IPv4 pseudo-header too. Parse reads version 3's layout when the
// first byte is 0x30 to 0x39, as Scapy's dispatch_hook does. Bound on
// IPv4 (protocol 112).
//
// Over IPv6 (next header 112) too, version 3's addresses are IPv6 ones
// (vrrpaddr.go).
//
// Not as Scapy, and why: a version 3 message of 8 bytes (no address) is read as version 3, where
// Scapy's dispatch_hook, wanting 9 bytes, reads version 2; Scapy's
// post_build drops any payload after VRRP, netlua writes it.

// VRRP is a VRRP advertisement.
var VRRP = builtinProto("vrrp", "VRRP advertisement (RFC 3768 v2, RFC 9568 v3 over IPv4 and IPv6), Scapy's VRRP and VRRPv3 in one layer; "+
	"addrlist holds IPv4 addresses, IPv6 ones for version 3 under IPv6; "+
	"authtype, auth1, auth2 for version 2, res for version 3; adv defaults to 1 (v2) or 100 (v3); ipcount and chksum computed; IP protocol 112", []Field{
	{Name: "version", Bits: 4}, {Name: "type", Bits: 4},
	{Name: "vrid", Bits: 8}, {Name: "priority", Bits: 8},
	{Name: "ipcount", Bits: 8, Auto: true}, {Name: "authtype", Bits: 8},
	{Name: "res", Bits: 4}, {Name: "adv", Bits: 12},
	{Name: "chksum", Bits: 16, Auto: true, Hex: true},
	{Name: "addrlist", Kind: List, List: vrrpAddrList{}},
	{Name: "auth1", Bits: 32}, {Name: "auth2", Bits: 32},
}, "version", 2, "type", 1, "vrid", 1, "priority", 100, "adv", 1)

// Field indexes of VRRP, in the order of its Fields.
const (
	vrrpVersion, vrrpType, vrrpVrid, vrrpPriority, vrrpIPCount, vrrpAuthtype = 0, 1, 2, 3, 4, 5
	vrrpRes, vrrpAdv, vrrpChksum, vrrpAddrlist, vrrpAuth1, vrrpAuth2         = 6, 7, 8, 9, 10, 11
)

const (
	protoVRRP     = 112
	vrrpHeaderLen = 8
	vrrpV3Adv     = 100 // VRRPv3's default adv, in centiseconds
)

// vrrpBinds binds VRRP on IPv4 and IPv6. It runs from init.
func vrrpBinds() {
	IPv4.binds = append(IPv4.binds, Binding{Field: ipProto, Value: protoVRRP, Upper: VRRP})
	VRRP.encode, VRRP.finish, VRRP.decode, VRRP.present = encodeVRRP, finishVRRP, decodeVRRP, vrrpPresent
	vrrpIPv6Binds()
}

func vrrpPresent(l *Layer, i int) bool {
	switch i {
	case vrrpAuthtype, vrrpAuth1, vrrpAuth2:
		return !vrrpV3(l.Uint(vrrpVersion), l.Uint(vrrpType))
	case vrrpRes:
		return vrrpV3(l.Uint(vrrpVersion), l.Uint(vrrpType))
	}
	return true
}

// vrrpV3 reports whether a message has version 3's layout: version 3
// and a type up to 9, the first bytes 0x30 to 0x39 Scapy's dispatch_hook
// reads as VRRPv3.
func vrrpV3(version, typ uint64) bool { return version == 3 && typ <= 9 }

func encodeVRRP(b *Builder, i int) {
	l := b.layers[i]
	v3 := vrrpV3(b.num(i, vrrpVersion), b.num(i, vrrpType))
	b.u8(b.num(i, vrrpVersion)<<4 | b.num(i, vrrpType)&15)
	b.u8(b.num(i, vrrpVrid))
	b.u8(b.num(i, vrrpPriority))
	ip := b.below(i)
	v6 := v3 && ip != nil && ip.Proto == IPv6
	count := uint64(vrrpCount(l.data, v6))
	if l.Given(vrrpIPCount) {
		count = l.Uint(vrrpIPCount)
	}
	b.u8(count)
	adv := b.num(i, vrrpAdv)
	if v3 {
		if !l.Given(vrrpAdv) {
			adv = vrrpV3Adv
		}
		b.u16(b.num(i, vrrpRes)<<12 | adv)
	} else {
		b.u8(b.num(i, vrrpAuthtype))
		b.u8(adv)
	}
	b.u16(b.num(i, vrrpChksum))
	writeVRRPAddrs(b, l.data, v6)
	if !v3 {
		b.u32(b.num(i, vrrpAuth1))
		b.u32(b.num(i, vrrpAuth2))
	}
}

// finishVRRP writes the checksum: of the message for version 2, with an
// IPv4 pseudo-header for version 3 (0 without an IPv4 layer below, as
// Scapy leaves it).
func finishVRRP(b *Builder, i int) {
	if b.given(i, vrrpChksum) {
		return
	}
	end := len(b.buf)
	if i+1 < len(b.layers) {
		end = b.starts[i+1]
	}
	msg := b.buf[b.starts[i]:end]
	var ck uint16
	switch ip := b.below(i); {
	case !vrrpV3(b.num(i, vrrpVersion), b.num(i, vrrpType)):
		ck = checksum(msg)
	case ip != nil && ip.Proto == IPv4:
		ck = fold(sum(pseudo4(ip, protoVRRP, len(msg)), msg))
	case ip != nil && ip.Proto == IPv6:
		ck = fold(sum(pseudo6(ip, protoVRRP, len(msg)), msg))
	}
	b.put16(i, 6, ck)
}

// decodeVRRP reads the header, ipcount addresses and, for version 2,
// the authentication data.
func decodeVRRP(l *Layer, d []byte) (decoded, error) { return decodeVRRPOn(l, d, false) }

// decodeVRRPOn is decodeVRRP; over IPv6, version 3's addresses are IPv6.
func decodeVRRPOn(l *Layer, d []byte, ipv6 bool) (decoded, error) {
	if len(d) < vrrpHeaderLen {
		return decoded{}, truncated(len(d), vrrpHeaderLen)
	}
	v3 := vrrpV3(uint64(d[0]>>4), uint64(d[0]&15))
	size := 4
	if v3 && ipv6 {
		size = 16
	}
	need := vrrpHeaderLen + size*int(d[3])
	if !v3 {
		need += 8
	}
	if len(d) < need {
		return decoded{}, truncated(len(d), need)
	}
	l.put(vrrpVersion, uint64(d[0]>>4))
	l.put(vrrpType, uint64(d[0]&15))
	l.put(vrrpVrid, uint64(d[1]))
	l.put(vrrpPriority, uint64(d[2]))
	l.put(vrrpIPCount, uint64(d[3]))
	if v3 {
		l.put(vrrpRes, uint64(d[4]>>4))
		l.put(vrrpAdv, u16(d[4:])&0xfff)
	} else {
		l.put(vrrpAuthtype, uint64(d[4]))
		l.put(vrrpAdv, uint64(d[5]))
		l.put(vrrpAuth1, u32(d[need-8:]))
		l.put(vrrpAuth2, u32(d[need-4:]))
	}
	l.put(vrrpChksum, u16(d[6:]))
	l.data = vrrpAddrs(d[vrrpHeaderLen:], int(d[3]), size)
	return decoded{hdr: need, end: -1}, nil
}
