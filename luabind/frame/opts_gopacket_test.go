package frame

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the option vectors' TCP and IPv4 options, kind, length
// and data, and the headers around them, to the same values as parse.
func TestOptsVectorsGopacket(t *testing.T) {
	checked := checkGopacketFile(t, optsVectorFile, gopacketBaseCheckers(), nil)
	wantAtLeast(t, checked, map[string]int{"ipv4": 25, "tcp": 25, "ipv4.options": 150, "tcp.options": 150})
}

// checkIPv4 compares the header and the options: gopacket reads nothing
// after an EOL, and Scapy reads each option by its fixed fields.
func checkIPv4(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPv4)
	cs := []gopacketCheck{{"ipv4", "version", uint64(l.Version)}, {"ipv4", "ihl", uint64(l.IHL)},
		{"ipv4", "tos", uint64(l.TOS)}, {"ipv4", "len", uint64(l.Length)}, {"ipv4", "id", uint64(l.Id)},
		{"ipv4", "flags", uint64(l.Flags)}, {"ipv4", "frag", uint64(l.FragOffset)},
		{"ipv4", "ttl", uint64(l.TTL)}, {"ipv4", "proto", uint64(l.Protocol)},
		{"ipv4", "chksum", uint64(l.Checksum)}, {"ipv4", "src", ipAddr(l.SrcIP)}, {"ipv4", "dst", ipAddr(l.DstIP)}}
	opts := gopacketOptions{fixed: true}
	for _, o := range l.Options {
		opts.tlvs = append(opts.tlvs, gopacketTLV{kind: uint64(o.OptionType), length: uint64(o.OptionLength), data: o.OptionData})
		opts.stopped = o.OptionType == 0
	}
	return append(cs, gopacketCheck{"ipv4", "options", opts})
}

// checkTCP compares the header, the flags as parse's 9 bits, and the
// options, with the values of those gopacket's data says in Scapy's form.
func checkTCP(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.TCP)
	flags := b2u(l.FIN) | b2u(l.SYN)<<1 | b2u(l.RST)<<2 | b2u(l.PSH)<<3 | b2u(l.ACK)<<4 |
		b2u(l.URG)<<5 | b2u(l.ECE)<<6 | b2u(l.CWR)<<7 | b2u(l.NS)<<8
	cs := []gopacketCheck{{"tcp", "sport", uint64(l.SrcPort)}, {"tcp", "dport", uint64(l.DstPort)},
		{"tcp", "seq", uint64(l.Seq)}, {"tcp", "ack", uint64(l.Ack)},
		{"tcp", "dataofs", uint64(l.DataOffset)}, {"tcp", "flags", flags},
		{"tcp", "window", uint64(l.Window)}, {"tcp", "chksum", uint64(l.Checksum)},
		{"tcp", "urgptr", uint64(l.Urgent)}}
	var opts gopacketOptions
	for _, o := range l.Options {
		opts.tlvs = append(opts.tlvs, gopacketTLV{kind: uint64(o.OptionType), length: uint64(o.OptionLength),
			data: o.OptionData, lossy: tcpLossy(uint8(o.OptionType), o.OptionData),
			named: !strings.HasPrefix(o.OptionType.String(), "Unknown"), value: tcpValue(o)})
	}
	// gopacket keeps as padding what follows an EOL, or an option it
	// cannot read.
	opts.stopped = len(l.Padding) > 0
	return append(cs, gopacketCheck{"tcp", "options", opts})
}

// tcpSizes are the data sizes of the TCP options Scapy reads by a fixed
// format: MSS, WScale, SAckOK, Timestamp, MD5, UTO (RFC 9293, 7323, 2018,
// 2385, 5482).
var tcpSizes = map[uint8]int{2: 2, 3: 1, 4: 0, 8: 8, 19: 16, 28: 2}

// tcpLossy reports whether Scapy's value of a TCP option cannot say its
// data: a fixed format of another size, an AO of less than its two key
// ids (RFC 5925), or a Mood whose first byte is not the length of the
// rest (Scapy reads a Pascal string where RFC 5841 has plain characters).
func tcpLossy(kind uint8, data []byte) bool {
	if n, ok := tcpSizes[kind]; ok {
		return len(data) != n
	}
	switch kind {
	case 29:
		return len(data) < 2
	case 25:
		return len(data) == 0 || int(data[0]) != len(data)-1
	}
	return false
}

// tcpValue is a TCP option's value in Scapy's form, read from gopacket's
// data: MSS, WScale and UTO a number, Timestamp {tsval, tsecr}, SAck the
// list of its edges (one edge alone, as Scapy has it); nil for the other
// kinds.
func tcpValue(o layers.TCPOption) any {
	d := o.OptionData
	switch o.OptionType {
	case 2, 28:
		if len(d) == 2 {
			return uint64(binary.BigEndian.Uint16(d))
		}
	case 3:
		if len(d) == 1 {
			return uint64(d[0])
		}
	case 5, 8:
		if len(d)%4 != 0 || o.OptionType == 8 && len(d) != 8 {
			return nil
		}
		var it Item
		for ; len(d) > 0; d = d[4:] {
			it.Values = append(it.Values, uint64(binary.BigEndian.Uint32(d)))
		}
		if len(it.Values) == 1 {
			return it.Values[0] // Scapy unwraps a tuple of one
		}
		return it
	}
	return nil
}
