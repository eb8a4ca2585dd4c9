package frame

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// IPv4 fragmentation and reassembly on frames as bytes, with the semantics
// of Scapy 2.5's fragment and defragment, so that a lab written against
// Scapy gives the same fragments here.

// DefaultFragSize is Scapy's default fragsize: the payload bytes of each
// fragment but the last.
const DefaultFragSize = 1480

// etherPayload is where the header of EtherType t starts in frame: 0 when
// frame is an IP packet (ether false), else after the Ethernet header and
// any 802.1Q or 802.1ad tags. ok is false when the frame carries no t.
func etherPayload(frame []byte, ether bool, t uint16) (off int, ok bool) {
	if !ether {
		return 0, true
	}
	for off = 12; len(frame) >= off+2; off += 2 { // off += 2: a tag's TCI
		typ := binary.BigEndian.Uint16(frame[off:])
		off += 2
		if typ == t {
			return off, true
		}
		if typ != etherVLAN && typ != 0x88a8 {
			return 0, false
		}
	}
	return 0, false
}

// ipv4Offset is where the IPv4 header of frame starts (see etherPayload).
// ok is false when the frame carries no whole IPv4 header.
func ipv4Offset(frame []byte, ether bool) (off int, ok bool) {
	off, ok = etherPayload(frame, ether, etherIPv4)
	if !ok || len(frame) < off+20 || frame[off]>>4 != 4 {
		return 0, false
	}
	ihl := int(frame[off]&0x0f) * 4
	if ihl < 20 || len(frame) < off+ihl {
		return 0, false
	}
	return off, true
}

// ipv4Payload is the payload of the IPv4 header at off: the bytes after
// the header, cut at the total length (what is beyond is padding), as
// Scapy's IP layer reads it.
func ipv4Payload(frame []byte, off int) []byte {
	ihl := int(frame[off]&0x0f) * 4
	end := off + int(binary.BigEndian.Uint16(frame[off+2:]))
	if end > len(frame) {
		end = len(frame)
	}
	if end < off+ihl {
		end = off + ihl
	}
	return frame[off+ihl : end]
}

// Fragment cuts the IPv4 payload of frame into fragments as Scapy's
// fragment(pkt, fragsize) does: every fragment but the last carries
// fragsize rounded down to a multiple of 8 bytes, the last up to fragsize
// bytes; each copies the headers before IPv4 and the whole IPv4 header
// (options too), sets MF on all but the last (the last keeps the flags it
// had), adds its offset to the frag field, and gets its length and header
// checksum computed. An empty payload gives no fragments, as in Scapy.
// ether says whether frame starts with an Ethernet header or with IPv4.
func Fragment(frame []byte, fragsize int, ether bool) ([][]byte, error) {
	if fragsize < 8 {
		return nil, fmt.Errorf("fragment size %d: must be at least 8", fragsize)
	}
	off, ok := ipv4Offset(frame, ether)
	if !ok {
		return nil, errors.New("fragment: the frame has no IPv4 header")
	}
	ihl := int(frame[off]&0x0f) * 4
	head, payload := frame[:off+ihl], ipv4Payload(frame, off)
	last, size := fragsize, fragsize-fragsize%8
	n := floorDiv(len(payload)-last+size-1, size) + 1 // Scapy's count
	flags := binary.BigEndian.Uint16(frame[off+6:])
	var frags [][]byte
	for i := 0; i < n; i++ {
		start, end, ff := i*size, (i+1)*size, flags
		if i == n-1 {
			end = i*size + last
		} else {
			ff |= 0x2000 // MF
		}
		end = min(end, len(payload))
		start = min(start, end)
		ff = ff&0xe000 | (ff+uint16(i*size/8))&0x1fff
		f := append(append([]byte(nil), head...), payload[start:end]...)
		ip := f[off:]
		binary.BigEndian.PutUint16(ip[2:], uint16(ihl+end-start))
		binary.BigEndian.PutUint16(ip[6:], ff)
		setIPv4Checksum(ip[:ihl])
		frags = append(frags, f)
	}
	return frags, nil
}

// floorDiv is Python's a // b for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// setIPv4Checksum computes the checksum of the IPv4 header h in place.
func setIPv4Checksum(h []byte) {
	h[10], h[11] = 0, 0
	binary.BigEndian.PutUint16(h[10:], checksum(h))
}

// fragKey groups the fragments of one datagram, as Scapy does: by id,
// source, destination and protocol.
type fragKey struct {
	id       uint16
	src, dst [4]byte
	proto    byte
}

// fragPiece is one fragment of a list to reassemble.
type fragPiece struct {
	pos   int // its place in the list
	frame []byte
	off   int // where its IPv4 header starts
}

func (p fragPiece) ip() []byte     { return p.frame[p.off:] }
func (p fragPiece) offset() int    { return int(binary.BigEndian.Uint16(p.ip()[6:])&0x1fff) * 8 }
func (p fragPiece) more() bool     { return p.ip()[6]&0x20 != 0 }
func (p fragPiece) headerLen() int { return int(p.ip()[0]&0x0f) * 4 }

// dataLen is the payload length the header claims (total length minus
// header length), which Scapy's reassembly counts with.
func (p fragPiece) dataLen() int {
	return int(binary.BigEndian.Uint16(p.ip()[2:])) - p.headerLen()
}

// Defragment reassembles the IPv4 fragments among frames as Scapy's
// defragment does, and returns the list with each datagram it could
// reassemble in place of its fragments (at the place of the last of them
// in the list), and every other frame as it was. Fragments are grouped by
// (id, src, dst, proto) and sorted by offset (stably, so a duplicate keeps
// its order). A group is reassembled only when it starts at offset 0,
// ends with a fragment without MF and each fragment starts exactly where
// the one before ends; otherwise (a hole, a duplicate, an overlap) all of
// its fragments are returned unchanged, as Scapy does: it never chooses
// between overlapping bytes. The datagram is the first fragment's frame
// (its headers before IPv4 and its IPv4 header and options) with MF
// cleared, the payloads joined, the length and header checksum computed.
func Defragment(frames [][]byte, ether bool) [][]byte {
	out := make([][]byte, len(frames))
	copy(out, frames)
	groups := map[fragKey][]fragPiece{}
	var order []fragKey
	for i, f := range frames {
		off, ok := ipv4Offset(f, ether)
		if !ok {
			continue
		}
		p := fragPiece{pos: i, frame: f, off: off}
		if p.offset() == 0 && !p.more() {
			continue
		}
		ip := p.ip()
		k := fragKey{id: binary.BigEndian.Uint16(ip[4:]), proto: ip[9]}
		copy(k.src[:], ip[12:16])
		copy(k.dst[:], ip[16:20])
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	for _, k := range order {
		g := groups[k]
		sort.SliceStable(g, func(a, b int) bool { return g[a].offset() < g[b].offset() })
		d, ok := reassemble(g)
		if !ok {
			continue
		}
		last := 0
		for _, p := range g {
			out[p.pos] = nil
			last = max(last, p.pos)
		}
		out[last] = d
	}
	kept := out[:0]
	for _, f := range out {
		if f != nil {
			kept = append(kept, f)
		}
	}
	return kept
}

// reassemble joins the fragments g, sorted by offset, into one datagram,
// or reports false when they do not follow one another exactly.
func reassemble(g []fragPiece) ([]byte, bool) {
	first := g[0]
	if first.offset() != 0 || g[len(g)-1].more() {
		return nil, false
	}
	n := first.dataLen()
	for _, p := range g[1:] {
		if n != p.offset() {
			return nil, false
		}
		n += p.dataLen()
	}
	ihl := first.headerLen()
	d := append([]byte(nil), first.frame[:first.off+ihl]...)
	for _, p := range g {
		d = append(d, ipv4Payload(p.frame, p.off)...)
	}
	ip := d[first.off:]
	binary.BigEndian.PutUint16(ip[2:], uint16(len(ip)))
	ip[6] &^= 0x20
	setIPv4Checksum(ip[:ihl])
	return d, true
}
