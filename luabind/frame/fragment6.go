package frame

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// IPv6 fragmentation and reassembly on frames as bytes, with the semantics
// of Scapy 2.5's fragment6 and defragment6. The fragment header is written
// here as bytes (RFC 8200 section 4.5): next header, a reserved byte, the
// offset in 8-byte units with two reserved bits and M, and the id.

const (
	ipv6HeaderLen = 40
	fragHeaderLen = 8
	nhFragment    = 44
)

// ipv6Offset is where the IPv6 header of frame starts (see etherPayload).
func ipv6Offset(frame []byte, ether bool) (off int, ok bool) {
	off, ok = etherPayload(frame, ether, etherIPv6)
	if !ok || len(frame) < off+ipv6HeaderLen || frame[off]>>4 != 6 {
		return 0, false
	}
	return off, true
}

// v6Frame is an IPv6 frame cut where its fragment header is.
type v6Frame struct {
	frame []byte // up to the end of the payload length (no trailer)
	ip    int    // where the IPv6 header starts
	nhAt  int    // the next-header byte that names the fragment header
	frag  int    // where the fragment header starts, or -1
}

// splitV6 finds the fragment header of an IPv6 frame, after any hop-by-hop,
// routing and destination options headers.
func splitV6(frame []byte, ether bool) (v6Frame, bool) {
	off, ok := ipv6Offset(frame, ether)
	if !ok {
		return v6Frame{}, false
	}
	end := min(len(frame), off+ipv6HeaderLen+int(binary.BigEndian.Uint16(frame[off+4:])))
	v := v6Frame{frame: frame[:end], ip: off, nhAt: off + 6, frag: -1}
	pos := off + ipv6HeaderLen
	for {
		switch nh := v.frame[v.nhAt]; {
		case nh == nhFragment && pos+fragHeaderLen <= end:
			v.frag = pos
			return v, true
		case (nh == 0 || nh == 43 || nh == 60) && pos+2 <= end:
			v.nhAt = pos
			pos += (int(v.frame[pos+1]) + 1) * 8
		default:
			return v, true
		}
	}
}

// setPlen computes the payload length of the IPv6 header at off in f.
func setPlen(f []byte, off int) {
	binary.BigEndian.PutUint16(f[off+4:], uint16(len(f)-off-ipv6HeaderLen))
}

// Fragment6 cuts an IPv6 frame into fragments as Scapy's fragment6(pkt,
// fragsize) does. fragsize bounds the whole frame, headers before IPv6
// included. A frame without a fragment header gets one right after the
// IPv6 header, with id; one with a fragment header keeps its id. A frame
// that fits is returned whole (with the header added). The part after the
// fragment header is cut in multiples of 8 bytes, the last piece taking
// what is left; each fragment repeats the headers before the fragment
// header, with the payload length computed.
func Fragment6(frame []byte, fragsize int, ether bool, id uint32) ([][]byte, error) {
	v, ok := splitV6(frame, ether)
	if !ok {
		return nil, errors.New("fragment6: the frame has no IPv6 header")
	}
	var unfrag, fh, data []byte
	if v.frag >= 0 {
		unfrag = v.frame[:v.frag]
		fh = append([]byte(nil), v.frame[v.frag:v.frag+fragHeaderLen]...)
		data = v.frame[v.frag+fragHeaderLen:]
	} else {
		at := v.ip + ipv6HeaderLen
		unfrag = append([]byte(nil), v.frame[:at]...)
		fh = []byte{unfrag[v.ip+6], 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(fh[4:], id)
		unfrag[v.ip+6] = nhFragment
		data = v.frame[at:]
	}
	if len(unfrag)+fragHeaderLen+len(data) <= fragsize {
		return [][]byte{v6Fragment(unfrag, fh, data, v.ip, v.frag >= 0)}, nil
	}
	last := fragsize - len(unfrag) - fragHeaderLen
	inner := last - last%8
	if last <= 0 || inner == 0 {
		return nil, fmt.Errorf("fragment6: fragment size %d too small: must be more than %d", fragsize, len(unfrag)+fragHeaderLen)
	}
	var frags [][]byte
	offset := 0
	for len(data) > last {
		setFragField(fh, offset, true)
		frags = append(frags, v6Fragment(unfrag, fh, data[:inner], v.ip, false))
		data, offset = data[inner:], offset+inner/8
	}
	setFragField(fh, offset, false)
	return append(frags, v6Fragment(unfrag, fh, data, v.ip, false)), nil
}

// setFragField writes offset (in 8-byte units) and M into the fragment
// header fh, keeping its reserved bits.
func setFragField(fh []byte, offset int, more bool) {
	w := binary.BigEndian.Uint16(fh[2:])&0x6 | uint16(offset)<<3
	if more {
		w |= 1
	}
	binary.BigEndian.PutUint16(fh[2:], w)
}

// v6Fragment joins a fragment, computing its payload length unless keep.
func v6Fragment(unfrag, fh, data []byte, ip int, keep bool) []byte {
	f := append(append(append(make([]byte, 0, len(unfrag)+len(fh)+len(data)), unfrag...), fh...), data...)
	if !keep {
		setPlen(f, ip)
	}
	return f
}

// Defragment6 reassembles IPv6 fragments as Scapy's defragment6 does, and
// reports false when frames hold no fragment. Only the fragments with the
// id of the first fragment in the list are used; the others and the
// frames that are not fragments are dropped. The fragments are sorted by
// offset (stably; Scapy 2.5 means to sort but its loop keeps the list's
// order) and their data joined: a hole is filled with 'X' bytes, and a
// fragment that overlaps the data before it (or repeats it) is appended
// whole after it, as Scapy does; nothing is overwritten. The datagram is
// the first fragment's headers without the fragment header, whose next
// header goes to the header before it, with the payload length computed.
func Defragment6(frames [][]byte, ether bool) ([]byte, bool) {
	var lst []v6Frame
	for _, f := range frames {
		if v, ok := splitV6(f, ether); ok && v.frag >= 0 {
			lst = append(lst, v)
		}
	}
	if len(lst) == 0 {
		return nil, false
	}
	id := lst[0].fragID()
	kept := lst[:0]
	for _, v := range lst {
		if v.fragID() == id {
			kept = append(kept, v)
		}
	}
	sort.SliceStable(kept, func(a, b int) bool { return kept[a].fragOffset() < kept[b].fragOffset() })
	first := kept[0]
	d := append([]byte(nil), first.frame[:first.frag]...)
	d[first.nhAt] = first.frame[first.frag]
	start := len(d)
	for _, v := range kept {
		if pad := v.fragOffset() - (len(d) - start); pad > 0 {
			d = append(d, bytes.Repeat([]byte{'X'}, pad)...)
		}
		d = append(d, v.frame[v.frag+fragHeaderLen:]...)
	}
	setPlen(d, first.ip)
	return d, true
}

// fragID is the fragment header's identification.
func (v v6Frame) fragID() uint32 { return binary.BigEndian.Uint32(v.frame[v.frag+4:]) }

// fragOffset is the fragment's offset in bytes.
func (v v6Frame) fragOffset() int { return int(binary.BigEndian.Uint16(v.frame[v.frag+2:])>>3) * 8 }
