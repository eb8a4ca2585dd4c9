package frame

// IPv6 jumbograms (RFC 2675) and BIG TCP, as tcpdump 4.99 reads them.
//
// An IPv6 header whose payload length is 0 and whose hop-by-hop header
// carries a valid Jumbo Payload option (length byte 4, a value of 65536
// or more) has the option's value as its payload length: what follows,
// the hop-by-hop header included, is decoded to there, and the rest is
// padding. Without such an option, a payload length of 0 is an empty
// payload, as tcpdump has it: Linux's BIG TCP packets, which leave the
// length 0 and carry no option, show no TCP layer, their bytes padding.
// A hop-by-hop header without a valid option is that payload, and what
// follows it padding: tcpdump decodes it and says "No valid Jumbo Payload
// Hop-by-Hop option found", and Scapy takes it as the payload when it
// finds no jumbo option (hbhOnlyLen).
//
// Not as Scapy, and why: Scapy 2.5's IPv6.extract_padding reads the
// option's value in the machine's byte order and adds the hop-by-hop
// header's length to it, so that on x86 it takes almost any jumbogram to
// the end of the data; netlua reads the value as RFC 2675 and tcpdump do.
// Building is Scapy's: plen is computed unless given (plen = 0 and the
// option's bytes in ipv6_hbh's options make a jumbogram).

// hbhOnlyLen is the payload length of IPv6 packet d (header included)
// whose payload length is 0 and that has no valid jumbo option: its
// hop-by-hop header's length when it has one, as Scapy's
// IPv6.extract_padding reads it on 8 bytes or more, else 0.
//
// Not as Scapy, and why: Scapy looks for a 0xc2 byte at every offset 4n +
// 2 of the whole payload, past the hop-by-hop header too, and takes it as
// a jumbo option (ipv6_missing_jumbo_payload_option.pcap, whose eighth
// hop-by-hop header has one, reads to the end there); netlua, as tcpdump,
// looks in the first hop-by-hop header only.
func hbhOnlyLen(d []byte) int {
	if len(d) < 48 || d[6] != protoHBH {
		return 0
	}
	return 8 * (int(d[41]) + 1)
}

// jumboMin is the least valid jumbo payload length.
const jumboMin = 65536

// jumboLen returns the payload length of IPv6 packet d (header included)
// from a valid Jumbo Payload option of its hop-by-hop header, as tcpdump's
// option walk finds it: options of type 0 (Pad1) are one byte, others
// their length byte and two; an option cut short ends the walk.
func jumboLen(d []byte) (int, bool) {
	const optPad1, optJumbo = 0, 0xc2
	if len(d) < 42 || d[6] != protoHBH || u16(d[4:]) != 0 {
		return 0, false
	}
	opts := d[42:min(40+8*(int(d[41])+1), len(d))]
	for len(opts) > 0 {
		if opts[0] == optPad1 {
			opts = opts[1:]
			continue
		}
		if len(opts) < 2 || 2+int(opts[1]) > len(opts) {
			return 0, false
		}
		if opts[0] == optJumbo {
			if opts[1] != 4 || u32(opts[2:]) < jumboMin {
				return 0, false
			}
			return int(u32(opts[2:])), true
		}
		opts = opts[2+int(opts[1]):]
	}
	return 0, false
}
