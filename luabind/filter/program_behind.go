package filter

import "math"

// MatchBehind is MatchLen for a packet that a caller put behind a link
// header of header bytes its capture did not have, such as an IP packet
// of a raw IP socket or capture behind an Ethernet header made up for
// it: "len", "less" and "greater" test length, the packet's own length
// (under len(frame)-header it counts as that), as tcpdump -r tests them
// on a raw IP capture, while the program reads the frame as it is.
func (p *Program) MatchBehind(frame []byte, header, length int) bool {
	in := input{data: frame, len: uint32(min(max(length, len(frame)-header, 0), math.MaxUint32))}
	if p.live {
		in.aux = &untagged
	}
	ret, _ := run(p.raw, &in)
	return ret != 0
}
