package testrun

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"

	"github.com/netlua/netlua/luabind/frame"
)

// bytesFailure is the failure of t:bytes(got, want): where the byte
// strings first differ, the frame field that falls in when they parse as
// a frame ("ipv4.ttl"), and the 16-byte row around it in both.
func bytesFailure(where, msg string, got, want []byte) testFailure {
	off := firstDifference(got, want)
	field := diffField(got, want, off)
	if msg == "" {
		msg = fmt.Sprintf("t:bytes: first difference at byte %d", off)
		if field != "" {
			msg += " (" + field + ")"
		}
	}
	return testFailure{Message: where + ": " + msg, Detail: hexDiff(got, want, off)}
}

// firstDifference is the offset of the first byte that differs, or the
// length of the shorter string when it is a prefix of the other.
func firstDifference(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// diffField names the field holding the first differing bit: in want,
// or in got where want has ended.
func diffField(got, want []byte, off int) string {
	bit := 8 * off
	if off < len(got) && off < len(want) {
		bit += bits.LeadingZeros8(got[off] ^ want[off])
	}
	if off < len(want) {
		return fieldAt(want, bit)
	}
	return fieldAt(got, bit)
}

// fieldAt names the field of frame data that holds bit ("ipv4.ttl",
// "payload"), or "" when data does not parse as a frame of the built-in
// protocols. Data that starts with an IP header whose length field is
// the data's length is taken as a packet from a raw IP socket.
func fieldAt(data []byte, bit int) string {
	var p frame.Packet
	first := frame.Ether
	if isIPPacket(data) {
		first = frame.ForIP(data)
	}
	frame.NewRegistry().Parse(&p, data, first)
	if first == frame.Ether && len(p.Layers) < 2 {
		return "" // any 14 bytes are an Ethernet header: no proof of a frame
	}
	start := 0
	for i := range p.Layers {
		l := &p.Layers[i]
		for f := range l.Proto.Fields {
			start += fieldBits(l, f)
			if bit < start {
				return l.Proto.Name + "." + l.Proto.Fields[f].Name
			}
		}
	}
	if bit < start+8*len(p.Payload) {
		return "payload"
	}
	return "padding"
}

// fieldBits is the width of field f of l on the wire.
func fieldBits(l *frame.Layer, f int) int {
	fd := &l.Proto.Fields[f]
	switch fd.Kind {
	case frame.MAC:
		return 48
	case frame.IPv4Addr:
		return 32
	case frame.IPv6Addr:
		return 128
	case frame.IPAddr: // ARP's protocol addresses: 4 or 16 bytes
		if l.Addr(f).Is4() {
			return 32
		}
		return 128
	case frame.Bytes, frame.List:
		return 8 * len(l.Bytes(f))
	}
	return fd.Bits
}

// isIPPacket reports whether data starts with an IPv4 or IPv6 header
// whose length field gives the length of data.
func isIPPacket(data []byte) bool {
	switch {
	case len(data) >= 20 && data[0]>>4 == 4:
		return int(binary.BigEndian.Uint16(data[2:])) == len(data)
	case len(data) >= 40 && data[0]>>4 == 6:
		return int(binary.BigEndian.Uint16(data[4:]))+40 == len(data)
	}
	return false
}

// hexDiff shows the byte values at off and the 16-byte row holding off
// in got and want, with a mark under the first difference.
func hexDiff(got, want []byte, off int) []string {
	lines := []string{fmt.Sprintf("at byte %d: got %s, want %s", off, byteAt(got, off), byteAt(want, off))}
	if len(got) != len(want) {
		lines = append(lines, fmt.Sprintf("length: got %d bytes, want %d", len(got), len(want)))
	}
	row := off &^ 15
	lines = append(lines, "got:  "+hexRow(got, row), "want: "+hexRow(want, row))
	return append(lines, strings.Repeat(" ", len("want: 0000  ")+3*(off-row))+"^^")
}

// byteAt is the byte at off in hex, or "end" past the last one.
func byteAt(data []byte, off int) string {
	if off >= len(data) {
		return fmt.Sprintf("the end (%d bytes)", len(data))
	}
	return fmt.Sprintf("%02x", data[off])
}

// hexRow is 16 bytes of data from row, as hexdump shows them.
func hexRow(data []byte, row int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%04x ", row)
	for i := row; i < row+16 && i < len(data); i++ {
		fmt.Fprintf(&b, " %02x", data[i])
	}
	return b.String()
}
