package frame

// NTP (RFC 5905), as Scapy 2.5's NTPHeader has it: the 48-byte header.
// Extension fields and a MAC after it (Scapy's NTPExtensions and
// NTPAuthenticator) are the payload. The timestamps (ref, orig, recv,
// sent) are their 64-bit fixed point, seconds since 1900 times 2^32, and
// delay and dispersion their 32-bit one, seconds times 2^16: the values
// Scapy holds (its show() prints them as seconds and dates). Lua's numbers
// hold 53 bits: a timestamp read in Lua is exact to 2^-21 s, while a
// parsed layer built again keeps every bit.

// NTP is an NTP header.
var NTP = builtinProto("ntp", "NTP header (RFC 5905), Scapy's NTPHeader; UDP 123. "+
	"ref, orig, recv, sent are 64-bit fixed point (seconds since 1900 * 2^32), delay and dispersion 32-bit (seconds * 2^16); "+
	"id (an IPv4 address) is on the wire when stratum > 1, ref_id (4 bytes) otherwise; orig and sent are 0 unless given, "+
	"where Scapy writes the time; modes 6 and 7 parse as ntp_control and ntp_private (Scapy's NTPControl, NTPPrivate); headers under 48 bytes stay payload", []Field{
	{Name: "leap", Bits: 2}, {Name: "version", Bits: 3}, {Name: "mode", Bits: 3},
	{Name: "stratum", Bits: 8}, {Name: "poll", Bits: 8}, {Name: "precision", Bits: 8},
	{Name: "delay", Bits: 32}, {Name: "dispersion", Bits: 32},
	{Name: "id", Kind: IPv4Addr}, {Name: "ref_id", Kind: Bytes, Size: 4},
	{Name: "ref", Bits: 64}, {Name: "orig", Bits: 64}, {Name: "recv", Bits: 64}, {Name: "sent", Bits: 64},
}, "version", 4, "mode", 3, "stratum", 2, "poll", 10, "id", "127.0.0.1")

// Field indexes of NTP, in the order of its Fields.
const (
	ntpLeap, ntpVersion, ntpMode, ntpStratum, ntpPoll, ntpPrecision = 0, 1, 2, 3, 4, 5
	ntpDelay, ntpDispersion, ntpID, ntpRefID                        = 6, 7, 8, 9
	ntpRef, ntpOrig, ntpRecv, ntpSent                               = 10, 11, 12, 13
)

const (
	portNTP      = 123
	ntpHeaderLen = 48
)

// ntpBinds binds NTP on UDP as Scapy does: parsed when either port is
// 123, built with both 123 (Scapy's last bind_layers). It runs from init.
func ntpBinds() {
	UDP.binds = append(UDP.binds,
		Binding{Field: udpDport, Value: portNTP, Upper: NTP, also: &Binding{Field: udpSport, Value: portNTP}},
		Binding{Field: udpSport, Value: portNTP, Upper: NTP, parseOnly: true})
	NTP.encode, NTP.decode, NTP.present = encodeNTP, decodeNTP, ntpPresent
	ntpModeBinds()
}

// ntpPresent: the reference is an address above stratum 1, else 4 bytes.
func ntpPresent(l *Layer, i int) bool {
	switch i {
	case ntpID:
		return l.Uint(ntpStratum) > 1
	case ntpRefID:
		return l.Uint(ntpStratum) < 2
	}
	return true
}

func encodeNTP(b *Builder, i int) {
	l := b.layers[i]
	b.u8(b.num(i, ntpLeap)<<6 | b.num(i, ntpVersion)<<3 | b.num(i, ntpMode))
	b.u8(b.num(i, ntpStratum))
	b.u8(b.num(i, ntpPoll))
	b.u8(b.num(i, ntpPrecision))
	b.u32(b.num(i, ntpDelay))
	b.u32(b.num(i, ntpDispersion))
	if b.num(i, ntpStratum) > 1 {
		b.addr(i, ntpID)
	} else {
		b.fixedBytes(l.data, 4)
	}
	for f := ntpRef; f <= ntpSent; f++ {
		v := b.num(i, f)
		b.u32(v >> 32)
		b.u32(v)
	}
}

// decodeNTP reads the header as Scapy's dispatcher picks NTPHeader: 48
// bytes or more (modes 6 and 7 went to ntp_control and ntp_private by
// ntpDispatch; shorter ones still come here).
func decodeNTP(l *Layer, d []byte) (decoded, error) {
	if len(d) < ntpHeaderLen || d[0]&7 == 6 || d[0]&7 == 7 {
		return decoded{}, nil // Scapy's NTPControl, NTPPrivate or Raw
	}
	l.put(ntpLeap, uint64(d[0]>>6))
	l.put(ntpVersion, uint64(d[0]>>3&7))
	l.put(ntpMode, uint64(d[0]&7))
	l.put(ntpStratum, uint64(d[1]))
	l.put(ntpPoll, uint64(d[2]))
	l.put(ntpPrecision, uint64(d[3]))
	l.put(ntpDelay, u32(d[4:]))
	l.put(ntpDispersion, u32(d[8:]))
	l.putAddr(ntpID, d[12:16])
	l.data = d[12:16]
	for n, f := range []int{ntpRef, ntpOrig, ntpRecv, ntpSent} {
		l.put(f, u32(d[16+8*n:])<<32|u32(d[20+8*n:]))
	}
	return decoded{hdr: ntpHeaderLen, end: -1}, nil
}
