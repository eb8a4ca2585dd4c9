package packet

import (
	"encoding/binary"

	"github.com/netlua/netlua/luabind/frame"
)

// A layout is where the headers that a blast's vary works on lie in a
// frame: the first IP header and the transport header right after it.
// Offsets are from the frame's start; -1 for a header it does not have.
type layout struct {
	ip, ipHdr, ipEnd int          // the IP header, its length, where its packet ends
	ipProto          *frame.Proto // IPv4 or IPv6; nil for none
	l4, l4End        int          // the transport header and where its checksum's data ends
	l4Proto          *frame.Proto // UDP, TCP, ICMPv4, ICMPv6 or another; nil for none
	l4Sum            int          // its checksum's offset in the header; -1 for none
}

// parseLayout finds the headers of data with the frame module's parser.
// header is the link header's length: 14 on Ethernet, 0 when frames
// start at the IP header.
func parseLayout(data []byte, header int) *layout {
	first := frame.Ether
	if header == 0 {
		first = frame.ForIP(data)
	}
	var p frame.Packet
	frame.NewRegistry().Parse(&p, data, first)
	lay := &layout{ip: -1, l4: -1, l4Sum: -1}
	off := 0
	for i := range p.Layers {
		proto := p.Layers[i].Proto
		if lay.ip >= 0 {
			lay.setTransport(data, off, proto)
			break
		}
		if proto == frame.IPv4 || proto == frame.IPv6 {
			lay.setIP(data, off, proto)
			off += lay.ipHdr
			continue
		}
		n := linkLen(proto)
		if n == 0 {
			break // what follows is not where vary looks
		}
		off += n
	}
	return lay
}

// linkLen is the length of a link-layer header, 0 for other protocols.
func linkLen(proto *frame.Proto) int {
	switch proto {
	case frame.Ether:
		return 14
	case frame.VLAN:
		return 4
	}
	return 0
}

// setIP records the IP header of protocol proto at off.
func (lay *layout) setIP(data []byte, off int, proto *frame.Proto) {
	lay.ip, lay.ipProto = off, proto
	var total int
	if proto == frame.IPv4 {
		lay.ipHdr = 4 * int(data[off]&0x0f)
		total = int(binary.BigEndian.Uint16(data[off+2:]))
	} else {
		lay.ipHdr = 40
		total = 40 + int(binary.BigEndian.Uint16(data[off+4:]))
	}
	lay.ipEnd = off + max(total, lay.ipHdr)
	lay.ipEnd = min(lay.ipEnd, len(data))
}

// setTransport records the header of protocol proto at off, right after
// the IP header, and where its checksum is.
func (lay *layout) setTransport(data []byte, off int, proto *frame.Proto) {
	lay.l4, lay.l4Proto, lay.l4End = off, proto, lay.ipEnd
	switch proto {
	case frame.UDP:
		lay.l4End = min(off+max(int(binary.BigEndian.Uint16(data[off+4:])), 8), len(data))
		if binary.BigEndian.Uint16(data[off+6:]) != 0 { // 0: no checksum, and it stays so
			lay.l4Sum = 6
		}
	case frame.TCP:
		lay.l4Sum = 16
	case frame.ICMPv4, frame.ICMPv6:
		lay.l4Sum = 2
	}
}

// pseudo is where the addresses that the transport checksum's
// pseudo-header covers lie, when it has one: start == end when not.
func (lay *layout) pseudo() (start, end int) {
	switch {
	case lay.l4Proto == frame.ICMPv4:
		return 0, 0
	case lay.ipProto == frame.IPv4:
		return lay.ip + 12, lay.ip + 20
	}
	return lay.ip + 8, lay.ip + 40
}

// sums records in op the checksums its bytes are under. A field that
// overlaps a checksum sets it: that checksum is left alone.
func (lay *layout) sums(op *varyOp) {
	if lay.ipProto == frame.IPv4 {
		op.addSum(lay.ip+10, lay.ip, lay.ip+lay.ipHdr, false)
	}
	if lay.l4Sum < 0 {
		return
	}
	at, udp := lay.l4+lay.l4Sum, lay.l4Proto == frame.UDP
	op.addSum(at, lay.l4, lay.l4End, udp)
	start, end := lay.pseudo()
	op.addSum(at, start, end, udp)
}

// addSum records the checksum at "at", over data from start to end, if
// some of op's bytes are in that data and none are in the checksum.
func (op *varyOp) addSum(at, start, end int, udp bool) {
	var mask uint8
	for j := range op.width {
		b := op.off + j
		if b == at || b == at+1 {
			return
		}
		if b >= start && b < end {
			mask |= 1 << j
		}
	}
	if mask != 0 {
		op.sums[op.nsums] = sumRef{off: at, mask: mask, odd: (op.off-start)&1 == 1, udp: udp}
		op.nsums++
	}
}
