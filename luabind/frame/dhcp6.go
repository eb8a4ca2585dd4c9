package frame

// DHCPv6 (RFC 8415), as Scapy 2.5's scapy.layers.dhcp6 has it, in one
// layer: Scapy's DHCP6_Solicit, DHCP6_Advertise, ... are one class per
// message type with the same fields (msgtype, trid), and its
// DHCP6_RelayForward and DHCP6_RelayReply have hopcount, linkaddr and
// peeraddr in place of trid; here msgtype picks which fields are on the
// wire, and the options Scapy chains as payload layers are one list
// (dhcp6opts.go).

// dhcp6Types are Scapy's dhcp6types, lower case, by number.
var dhcp6Types = []string{1: "solicit", "advertise", "request", "confirm", "renew", "rebind",
	"reply", "release", "decline", "reconfigure", "information-request", "relay-forw", "relay-repl"}

// DHCP6 is a DHCPv6 message: a client/server message or a relay message.
var DHCP6 = builtinProto("dhcp6", "DHCPv6 message (RFC 8415), Scapy's DHCP6_<type> and DHCP6_Relay* in one layer: "+
	"msgtype a number or Scapy's name (solicit=1, advertise, request, confirm, renew, rebind, reply, release, decline, reconfigure, information-request, relay-forw, relay-repl=13); "+
	"trid for client/server messages, hopcount, linkaddr, peeraddr for relay-forw and relay-repl; UDP 546 and 547, built 546 to 547 (a relay gives sport = 547, as Scapy's DHCP6_RelayForward has it)", []Field{
	{Name: "msgtype", Bits: 8, Enum: dhcp6Types},
	{Name: "trid", Bits: 24, Hex: true},
	{Name: "hopcount", Bits: 8},
	{Name: "linkaddr", Kind: IPv6Addr}, {Name: "peeraddr", Kind: IPv6Addr},
	{Name: "options", Kind: List, List: dhcp6OptionList},
}, "msgtype", 1, "linkaddr", "::", "peeraddr", "::")

// Field indexes of DHCP6, in the order of its Fields.
const (
	dhcp6Msgtype, dhcp6Trid, dhcp6Hopcount, dhcp6Linkaddr, dhcp6Peeraddr, dhcp6Opts = 0, 1, 2, 3, 4, 5
)

const (
	portDHCP6Client, portDHCP6Server = 546, 547
	dhcp6RelayForw, dhcp6RelayRepl   = 12, 13
	dhcp6RelayLen                    = 34 // a relay message's header
)

// dhcp6Binds binds DHCP6 on UDP as Scapy does: parsed on destination
// port 547 or 546 (bind_bottom_up), built 546 to 547 as DHCP6's
// overload_fields say. It runs from init.
func dhcp6Binds() {
	UDP.binds = append(UDP.binds,
		Binding{Field: udpDport, Value: portDHCP6Server, Upper: DHCP6, also: &Binding{Field: udpSport, Value: portDHCP6Client}},
		Binding{Field: udpDport, Value: portDHCP6Client, Upper: DHCP6, parseOnly: true})
	DHCP6.encode, DHCP6.decode, DHCP6.present = encodeDHCP6, decodeDHCP6, dhcp6Present
}

// dhcp6Relay reports whether a message type is a relay message's.
func dhcp6Relay(msgtype uint64) bool { return msgtype == dhcp6RelayForw || msgtype == dhcp6RelayRepl }

// dhcp6Present says which fields the message type puts on the wire.
func dhcp6Present(l *Layer, i int) bool {
	switch i {
	case dhcp6Trid:
		return !dhcp6Relay(l.Uint(dhcp6Msgtype))
	case dhcp6Hopcount, dhcp6Linkaddr, dhcp6Peeraddr:
		return dhcp6Relay(l.Uint(dhcp6Msgtype))
	}
	return true
}

func encodeDHCP6(b *Builder, i int) {
	l := b.layers[i]
	msgtype := b.num(i, dhcp6Msgtype)
	b.u8(msgtype)
	if dhcp6Relay(msgtype) {
		b.u8(b.num(i, dhcp6Hopcount))
		b.addr(i, dhcp6Linkaddr)
		b.addr(i, dhcp6Peeraddr)
	} else {
		t := b.num(i, dhcp6Trid)
		b.buf = append(b.buf, byte(t>>16), byte(t>>8), byte(t))
	}
	b.buf = append(b.buf, l.data...)
}

// decodeDHCP6 reads the header the message type has and takes the rest
// as options. Data of fewer than 2 bytes, or of a type Scapy has no
// class for, is no DHCPv6 message but payload, as Scapy reads it.
func decodeDHCP6(l *Layer, d []byte) (decoded, error) {
	if len(d) < 2 || d[0] == 0 || int(d[0]) >= len(dhcp6Types) {
		return decoded{}, nil // Scapy's _dhcp6_dispatcher: Raw
	}
	need := 4
	if dhcp6Relay(uint64(d[0])) {
		need = dhcp6RelayLen
	}
	if len(d) < need {
		return decoded{}, truncated(len(d), need)
	}
	l.put(dhcp6Msgtype, uint64(d[0]))
	if need == 4 {
		l.put(dhcp6Trid, uint64(d[1])<<16|u16(d[2:]))
	} else {
		l.put(dhcp6Hopcount, uint64(d[1]))
		l.putAddr(dhcp6Linkaddr, d[2:18])
		l.putAddr(dhcp6Peeraddr, d[18:34])
	}
	l.data = d[need:]
	return decoded{hdr: len(d), end: -1}, nil
}
