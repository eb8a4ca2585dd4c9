package frame

// PIM (RFC 7761), as Scapy 2.5's contrib PIMv2Hdr has it: the 4-byte
// header, whose checksum covers the whole message, computed unless
// given. The message (Scapy's PIMv2Hello and PIMv2JoinPrune, and the
// types it leaves Raw) is the payload. Bound on IPv4 (protocol 103), as
// Scapy binds it. Not as Scapy: a header cut short (under 4 bytes) is a
// parse error, where Scapy reads the fields there are and leaves the
// others None; and Scapy decodes PIM only after load_contrib("pim").

// PIM is a PIMv2 header.
var PIM = builtinProto("pim", "PIMv2 header (RFC 7761), Scapy's contrib PIMv2Hdr; chksum covers the message, computed unless given; "+
	"the message after it is payload; IP protocol 103", []Field{
	{Name: "version", Bits: 4}, {Name: "type", Bits: 4},
	{Name: "reserved", Bits: 8}, {Name: "chksum", Bits: 16, Auto: true, Hex: true},
}, "version", 2)

// Field indexes of PIM, in the order of its Fields.
const pimVersion, pimType, pimReserved, pimChksum = 0, 1, 2, 3

const (
	protoPIM     = 103
	pimHeaderLen = 4
)

// pimBinds binds PIM on IPv4. It runs from init.
func pimBinds() {
	IPv4.binds = append(IPv4.binds, Binding{Field: ipProto, Value: protoPIM, Upper: PIM})
	PIM.encode, PIM.finish, PIM.decode = encodePIM, finishPIM, decodePIM
}

func encodePIM(b *Builder, i int) {
	b.u8(b.num(i, pimVersion)<<4 | b.num(i, pimType))
	b.u8(b.num(i, pimReserved))
	b.u16(b.num(i, pimChksum))
}

// finishPIM writes the checksum of the header and what follows it.
func finishPIM(b *Builder, i int) {
	if !b.given(i, pimChksum) {
		b.put16(i, 2, checksum(b.from(i)))
	}
}

func decodePIM(l *Layer, d []byte) (decoded, error) {
	if len(d) < pimHeaderLen {
		return decoded{}, truncated(len(d), pimHeaderLen)
	}
	l.put(pimVersion, uint64(d[0]>>4))
	l.put(pimType, uint64(d[0]&15))
	l.put(pimReserved, uint64(d[1]))
	l.put(pimChksum, u16(d[2:]))
	return decoded{hdr: pimHeaderLen, end: -1}, nil
}
