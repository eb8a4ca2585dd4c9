package frame

// BOOTP and DHCP, as Scapy 2.5's scapy.layers.dhcp has them: BOOTP's
// fixed header, whose options field is the DHCP magic cookie when DHCP
// follows, and DHCP, a list of options (dhcpopts.go).

var (
	BOOTP = builtinProto("bootp", "BOOTP header (RFC 951); options is the DHCP magic cookie 63825363 when a dhcp layer follows; UDP 67 and 68", []Field{
		{Name: "op", Bits: 8}, {Name: "htype", Bits: 8}, {Name: "hlen", Bits: 8}, {Name: "hops", Bits: 8},
		{Name: "xid", Bits: 32, Hex: true}, {Name: "secs", Bits: 16}, {Name: "flags", Bits: 16, Hex: true},
		{Name: "ciaddr", Kind: IPv4Addr}, {Name: "yiaddr", Kind: IPv4Addr},
		{Name: "siaddr", Kind: IPv4Addr}, {Name: "giaddr", Kind: IPv4Addr},
		{Name: "chaddr", Kind: Bytes, Size: 16}, {Name: "sname", Kind: Bytes, Size: 64},
		{Name: "file", Kind: Bytes, Size: 128}, {Name: "options", Kind: Bytes},
	}, "op", 1, "htype", 1, "hlen", 6, "ciaddr", "0.0.0.0", "yiaddr", "0.0.0.0",
		"siaddr", "0.0.0.0", "giaddr", "0.0.0.0")

	DHCP = builtinProto("dhcp", "DHCP options (RFC 2132), after a bootp layer", []Field{
		{Name: "options", Kind: List, List: dhcpOptionList},
	})
)

// Field indexes of BOOTP, in the order of its Fields.
const (
	bootpOp, bootpHtype, bootpHlen, bootpHops, bootpXid, bootpSecs, bootpFlags = 0, 1, 2, 3, 4, 5, 6
	bootpCiaddr, bootpYiaddr, bootpSiaddr, bootpGiaddr                         = 7, 8, 9, 10
	bootpChaddr, bootpSname, bootpFile, bootpOptions                           = 11, 12, 13, 14
)

const (
	portBOOTPServer, portBOOTPClient = 67, 68
	bootpHeaderLen                   = 236 // up to the options
	bootpAddrsLen                    = 28  // up to chaddr
)

// dhcpMagic is the cookie that starts BOOTP's options when DHCP follows.
const dhcpMagic = "c\x82Sc"

// bootpBinds binds BOOTP on UDP as Scapy does: parsed client to server
// (68 to 67), server to client (67 to 68) and server to server (67 to 67),
// only when both ports match; built 67 to 68, as UDP()/BOOTP() is in
// Scapy, whose second bind_layers replaces the first one's ports. It
// runs from init.
func bootpBinds() {
	pair := func(dport, sport uint64, parseOnly bool) Binding {
		return Binding{Field: udpDport, Value: dport, Upper: BOOTP, parseOnly: parseOnly, both: true,
			also: &Binding{Field: udpSport, Value: sport}}
	}
	UDP.binds = append(UDP.binds, pair(portBOOTPClient, portBOOTPServer, false),
		pair(portBOOTPServer, portBOOTPClient, false), pair(portBOOTPServer, portBOOTPServer, true))
	BOOTP.encode, BOOTP.decode = encodeBOOTP, decodeBOOTP
	DHCP.encode, DHCP.decode = encodeDHCP, decodeDHCP
}

func encodeBOOTP(b *Builder, i int) {
	l := b.layers[i]
	b.u8(b.num(i, bootpOp))
	b.u8(b.num(i, bootpHtype))
	b.u8(b.num(i, bootpHlen))
	b.u8(b.num(i, bootpHops))
	b.u32(b.num(i, bootpXid))
	b.u16(b.num(i, bootpSecs))
	b.u16(b.num(i, bootpFlags))
	for f := bootpCiaddr; f <= bootpGiaddr; f++ {
		b.addr(i, f)
	}
	b.fixedBytes(l.data, BOOTP.fixed)
	// BOOTP()/DHCP() sets the options to the magic cookie, as Scapy's
	// bind_layers(BOOTP, DHCP, options=...) does.
	if !l.Given(bootpOptions) && i+1 < len(b.layers) && b.layers[i+1].Proto == DHCP {
		b.buf = append(b.buf, dhcpMagic...)
		return
	}
	b.buf = append(b.buf, l.Bytes(bootpOptions)...)
}

// decodeBOOTP reads the header and takes the rest as options, but for
// the magic cookie, which DHCP's options follow. A header cut short in
// chaddr, sname or file is read as far as it goes, as Scapy reads it,
// and is an error.
func decodeBOOTP(l *Layer, d []byte) (decoded, error) {
	if len(d) < bootpAddrsLen {
		return decoded{}, truncated(len(d), bootpHeaderLen)
	}
	l.put(bootpOp, uint64(d[0]))
	l.put(bootpHtype, uint64(d[1]))
	l.put(bootpHlen, uint64(d[2]))
	l.put(bootpHops, uint64(d[3]))
	l.put(bootpXid, u32(d[4:]))
	l.put(bootpSecs, u16(d[8:]))
	l.put(bootpFlags, u16(d[10:]))
	for n, f := range []int{bootpCiaddr, bootpYiaddr, bootpSiaddr, bootpGiaddr} {
		l.put(f, u32(d[12+4*n:]))
	}
	if len(d) < bootpHeaderLen {
		l.data = d[bootpAddrsLen:]
		return decoded{hdr: len(d), end: -1}, truncated(len(d), bootpHeaderLen)
	}
	if string(d[bootpHeaderLen:min(len(d), bootpHeaderLen+4)]) == dhcpMagic {
		l.data = d[bootpAddrsLen : bootpHeaderLen+4]
		return decoded{hdr: bootpHeaderLen + 4, end: -1, next: DHCP}, nil
	}
	l.data = d[bootpAddrsLen:]
	return decoded{hdr: len(d), end: -1}, nil
}

func encodeDHCP(b *Builder, i int) {
	b.buf = append(b.buf, b.layers[i].data...)
}

// decodeDHCP takes every byte as options, as Scapy's DHCPOptionsField
// does: pad bytes after "end" too.
func decodeDHCP(l *Layer, d []byte) (decoded, error) {
	l.data = d
	return decoded{hdr: len(d), end: -1}, nil
}
