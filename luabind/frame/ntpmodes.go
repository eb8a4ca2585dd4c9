package frame

// NTP's control (mode 6) and private (mode 7) messages, as Scapy 2.5's
// NTPControl and NTPPrivate have them. They are layers of their own, not
// fields of ntp that depend on the mode as icmp4's depend on the type:
// Scapy has three classes with three layouts (only version and mode sit
// in the same bits; err is one bit in a control message and four in a
// private one), picked by its dispatcher on the mode, and the ntp layer's
// dispatch picks them so (on 8 bytes or more, as Scapy's does).
//
// Each has its data as one byte string, as on the wire: Scapy's data
// packets (NTPPeerStatusDataPacket, the mode 7 request and response items)
// are not decoded. What follows the data, Scapy's authenticator field (a
// MAC, or mode 7's req_pkt_tail), is the payload here. A control message
// with a status_word (a response) writes it as 2 bytes when not given,
// where Scapy's empty default writes none.

// NTPControl is an NTP control message (mode 6).
var NTPControl = builtinProto("ntp_control", "NTP control message (mode 6), Scapy's NTPControl; "+
	"status_word when response is 1, status when 0; count computed (the data's length); "+
	"data is Scapy's data as bytes: count rounded up to 4, at least 12 when count > 0, on parse; "+
	"what follows (Scapy's authenticator) is payload", []Field{
	{Name: "zeros", Bits: 2}, {Name: "version", Bits: 3}, {Name: "mode", Bits: 3},
	{Name: "response", Bits: 1}, {Name: "err", Bits: 1}, {Name: "more", Bits: 1}, {Name: "op_code", Bits: 5},
	{Name: "sequence", Bits: 16}, {Name: "status_word", Bits: 16, Hex: true}, {Name: "status", Bits: 16, Hex: true},
	{Name: "association_id", Bits: 16}, {Name: "offset", Bits: 16}, {Name: "count", Bits: 16, Auto: true},
	{Name: "data", Kind: Bytes},
}, "version", 2, "mode", 6)

// NTPPrivate is an NTP private message (mode 7).
var NTPPrivate = builtinProto("ntp_private", "NTP private message (mode 7, ntpdc), Scapy's NTPPrivate; "+
	"mode defaults to 0 as in Scapy (set 7); data (alias req_data) is the nb_items items of data_item_size bytes "+
	"Scapy reads, and for a request with auth its padding; the request's 28-byte tail (Scapy's authenticator) is payload", []Field{
	{Name: "response", Bits: 1}, {Name: "more", Bits: 1}, {Name: "version", Bits: 3}, {Name: "mode", Bits: 3},
	{Name: "auth", Bits: 1}, {Name: "seq", Bits: 7}, {Name: "implementation", Bits: 8}, {Name: "request_code", Bits: 8},
	{Name: "err", Bits: 4}, {Name: "nb_items", Bits: 12}, {Name: "mbz", Bits: 4}, {Name: "data_item_size", Bits: 12},
	{Name: "data", Kind: Bytes, Aliases: []string{"req_data"}},
}, "version", 2)

// Field indexes of NTPControl and NTPPrivate, in the order of their Fields.
const (
	ntpcResponse, ntpcStatusWord, ntpcStatus, ntpcCount, ntpcData = 3, 8, 9, 12, 13
	ntppResponse, ntppAuth, ntppNbItems, ntppItemSize, ntppData   = 0, 4, 9, 11, 12
)

const (
	ntpControlLen = 12
	ntpPrivateLen = 8
	// ntpPrivateTail is mode 7's req_pkt_tail: a timestamp, a key id and
	// an MD5 digest, after a request's data when auth is set.
	ntpPrivateTail = 28
)

// ntpModeBinds binds the two layers on UDP 123 for building (parse goes
// through ntp's dispatch) and gives them their codecs. ntpBinds calls it.
func ntpModeBinds() {
	for _, p := range []*Proto{NTPControl, NTPPrivate} {
		UDP.binds = append(UDP.binds, Binding{Field: udpDport, Value: portNTP, Upper: p,
			also: &Binding{Field: udpSport, Value: portNTP}})
	}
	NTP.dispatch = ntpDispatch
	NTPControl.encode, NTPControl.decode, NTPControl.present = encodeNTPControl, decodeNTPControl, ntpControlPresent
	NTPPrivate.encode, NTPPrivate.decode = encodeNTPPrivate, decodeNTPPrivate
}

// ntpDispatch is Scapy's _ntp_dispatcher: on 8 bytes or more, mode 6 is a
// control message, 7 a private one, others the header.
func ntpDispatch(d []byte) *Proto {
	if len(d) >= ntpPrivateLen {
		switch d[0] & 7 {
		case 6:
			return NTPControl
		case 7:
			return NTPPrivate
		}
	}
	return NTP
}

// ntpControlPresent: a response has a status_word, a request a status.
func ntpControlPresent(l *Layer, i int) bool {
	switch i {
	case ntpcStatusWord:
		return l.Uint(ntpcResponse) == 1
	case ntpcStatus:
		return l.Uint(ntpcResponse) != 1
	}
	return true
}

// encodeBits writes the numeric fields of layer i up to (not including)
// field last, those present, packed most significant bit first.
func encodeBits(b *Builder, i, last int, present func(*Layer, int) bool) {
	l := b.layers[i]
	hdr := make([]byte, 0, 16)
	off := 0
	for f := range last {
		if present != nil && !present(l, f) {
			continue
		}
		width := l.Proto.Fields[f].Bits
		for len(hdr)*8 < off+width {
			hdr = append(hdr, 0)
		}
		putBits(hdr, off, width, b.num(i, f))
		off += width
	}
	b.buf = append(b.buf, hdr...)
}

// decodeBits reads the numeric fields of l up to field last, as
// encodeBits writes them, from d, which holds them all.
func decodeBits(l *Layer, d []byte, last int, present func(*Layer, int) bool) {
	off := 0
	for f := range last {
		if present != nil && !present(l, f) {
			continue
		}
		width := l.Proto.Fields[f].Bits
		l.put(f, getBits(d, off, width))
		off += width
	}
}

func encodeNTPControl(b *Builder, i int) {
	l := b.layers[i]
	encodeBits(b, i, ntpcData, ntpControlPresent)
	if !l.Given(ntpcCount) { // Scapy's post_build: the data's length
		b.put16(i, ntpControlLen-2, uint16(len(l.data)))
	}
	b.buf = append(b.buf, l.data...)
}

// decodeNTPControl reads the header and the data as Scapy's
// NTPControlDataPacketLenField does: count bytes, at least 12 when count
// is not 0, rounded up to 4, as far as there are bytes.
func decodeNTPControl(l *Layer, d []byte) (decoded, error) {
	if len(d) < ntpControlLen {
		return decoded{}, nil // Scapy fails on its fields: Raw
	}
	l.put(ntpcResponse, uint64(d[1]>>7))
	decodeBits(l, d, ntpcData, ntpControlPresent)
	n := int(l.Uint(ntpcCount))
	if n > 0 {
		n = max(n, 12)
		n += (4 - n%4) % 4
	}
	n = min(ntpControlLen+n, len(d))
	if rest := len(d) - n; rest > 0 && rest < 4 {
		return decoded{}, nil // Scapy's NTPAuthenticator fails on its key_id: Raw
	}
	l.data = d[ntpControlLen:n:n]
	return decoded{hdr: n, end: -1}, nil
}

func encodeNTPPrivate(b *Builder, i int) {
	encodeBits(b, i, ntppData, nil)
	b.buf = append(b.buf, b.layers[i].data...)
}

// decodeNTPPrivate reads the header and the data items as Scapy's
// NTPPrivateRespPacketListField (a response) and
// NTPPrivateReqPacketListField (a request, with the padding before the
// tail when auth is set) do.
func decodeNTPPrivate(l *Layer, d []byte) (decoded, error) {
	if len(d) < ntpPrivateLen {
		return decoded{}, nil
	}
	decodeBits(l, d, ntppData, nil)
	rest := len(d) - ntpPrivateLen
	size, count := int(l.Uint(ntppItemSize)), int(l.Uint(ntppNbItems))
	n := 0
	if size > 0 {
		for k := 0; k < count; k++ {
			if l.Uint(ntppResponse) == 1 && rest-n < size ||
				l.Uint(ntppResponse) == 0 && rest-n < size*count {
				break
			}
			n += size
		}
	}
	if l.Uint(ntppResponse) == 0 && l.Uint(ntppAuth) == 1 {
		n += max(rest-n-ntpPrivateTail, 0)
		// Scapy's NTPPrivatePktTail fails on a timestamp or key_id cut
		// short, and the whole message is Raw.
		if tail := rest - n; tail > 0 && tail < 8 || tail > 8 && tail < 12 {
			return decoded{}, nil
		}
	}
	end := ntpPrivateLen + n
	l.data = d[ntpPrivateLen:end:end]
	return decoded{hdr: end, end: -1}, nil
}
