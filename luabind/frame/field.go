package frame

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// A Kind is what a field holds and how it reads as text.
type Kind uint8

// The kinds of fields.
const (
	Uint     Kind = iota // an unsigned number of Bits bits
	IPFlags              // IPv4 flags: a number or "MF", "DF", "evil" joined by "+"
	TCPFlags             // TCP flags: a number or letters from "FSRPAUECN"
	MAC                  // a MAC address: "aa:bb:cc:dd:ee:ff"
	IPv4Addr             // an IPv4 address
	IPv6Addr             // an IPv6 address
	IPAddr               // an IPv4 or IPv6 address (ARP's protocol addresses)
	Bytes                // a byte string: options, a payload
	List                 // a list of items in Scapy's form, kept as its bytes (see list.go)
)

// slots is how many uint64 slots of Layer.num a field of the kind takes.
func (k Kind) slots() int {
	switch k {
	case IPv6Addr, IPAddr:
		return 2
	case Bytes, List:
		return 0
	}
	return 1
}

// slots is how many slots of Layer.num the field takes: a shared list
// has one, for where its part of the data is.
func (f *Field) slots() int {
	if f.Shared {
		return 1
	}
	return f.Kind.slots()
}

// bytes reports whether the field's value is a byte string in Layer.data.
func (k Kind) bytes() bool { return k == Bytes || k == List }

// numeric reports whether the field is a number (flags included).
func (k Kind) numeric() bool { return k <= TCPFlags }

// A Field describes one field of a protocol.
type Field struct {
	Name string
	Kind Kind
	Bits int       // width of numbers and flags, in bits
	Auto bool      // computed at build time unless given (lengths, checksums)
	Hex  bool      // shown in hex by Show, as Scapy does
	List ListCodec // the items of a List field
	Size int       // bytes of a fixed-size byte string (fixedbytes.go), else 0
	// Enum names a number's values, by value, as Scapy's EnumFields do
	// (dhcp6's msgtype "solicit"): a name is accepted where the number is.
	Enum []string
	// Shared: a List field that shares the layer's data with the other
	// shared lists, as DNS's sections do (shared.go).
	Shared bool
	// Aliases are other names the field answers to, Scapy's where netlua
	// chose another (vlan's pcp is Scapy's prio): f.vlan{prio = 5} and
	// p.vlan.prio work, while parse, show and docs use Name.
	Aliases []string
	slot    int // first slot in Layer.num
	off     int // where a byte-string field starts in Layer.data
}

// max is the largest value a numeric field holds.
func (f *Field) max() uint64 {
	if f.Bits >= 64 {
		return math.MaxUint64
	}
	return 1<<f.Bits - 1
}

// Want says what the field accepts, for error messages.
func (f *Field) Want() string {
	switch f.Kind {
	case IPFlags:
		return `a number 0..7 or "DF", "MF", "DF+MF"`
	case TCPFlags:
		return `a number 0..511 or letters from "FSRPAUECN"`
	case MAC:
		return `a MAC address like "02:00:00:00:00:01"`
	case IPv4Addr:
		return `an IPv4 address like "198.18.0.1"`
	case IPv6Addr:
		return `an IPv6 address like "2001:db8::1"`
	case IPAddr:
		return `an IP address like "198.18.0.1" or "2001:db8::1"`
	case Bytes:
		return "a string of bytes"
	case List:
		return f.List.Form() + " or a string of bytes"
	}
	if f.Enum != nil {
		return fmt.Sprintf("a number 0..%d or a name (%s)", f.max(), enumNames(f.Enum))
	}
	return fmt.Sprintf("a number 0..%d", f.max())
}

// A FieldError is a value a field cannot hold.
type FieldError struct {
	Field *Field
	Got   string // the value as users wrote it: "x" quoted, 70000, table
}

// Error says what the field expects: field 'dport' expects a number
// 0..65535, got "x".
func (e *FieldError) Error() string {
	return fmt.Sprintf("field '%s' expects %s, got %s", e.Field.Name, e.Field.Want(), e.Got)
}

// An UnknownFieldError is a field name the protocol does not have.
type UnknownFieldError struct {
	Proto *Proto
	Name  string
}

// Error names the field, the fields near it and all the protocol's fields:
// unknown field 'tll' (did you mean 'ttl'? have: version, ihl, ...).
func (e *UnknownFieldError) Error() string {
	names := e.Proto.fieldNames()
	return fmt.Sprintf("unknown field '%s' (%shave: %s)", e.Name, didYouMean(e.Name, names), strings.Join(names, ", "))
}

// quoteText is how a string value appears in an error: "x".
func quoteText(s string) string { return strconv.Quote(s) }

// numberText is how a number appears in an error: 70000, 1.5.
func numberText(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ipFlagNames are Scapy's names of the IPv4 flag bits, lowest bit first.
var ipFlagNames = [3]string{"MF", "DF", "evil"}

// tcpFlagLetters are Scapy's letters of the TCP flag bits, lowest bit first.
const tcpFlagLetters = "FSRPAUECN"

// parseIPFlags reads "DF", "MF+DF", "" (any order, any case).
func parseIPFlags(s string) (uint64, bool) {
	var v uint64
	if s == "" {
		return 0, true
	}
	for part := range strings.SplitSeq(s, "+") {
		bit := -1
		for i, name := range ipFlagNames {
			if strings.EqualFold(part, name) {
				bit = i
			}
		}
		if bit < 0 {
			return 0, false
		}
		v |= 1 << bit
	}
	return v, true
}

// ipFlagsText is Scapy's text of IPv4 flags: "", "DF", "MF+DF".
func ipFlagsText(v uint64) string {
	var parts []string
	for i, name := range ipFlagNames {
		if v&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "+")
}

// parseTCPFlags reads letters from FSRPAUECN, in any order and case.
func parseTCPFlags(s string) (uint64, bool) {
	var v uint64
	for i := 0; i < len(s); i++ {
		bit := strings.IndexByte(tcpFlagLetters, upper(s[i]))
		if bit < 0 {
			return 0, false
		}
		v |= 1 << bit
	}
	return v, true
}

// tcpFlagsText is Scapy's text of TCP flags, in bit order: "S", "SA", "PA".
func tcpFlagsText(v uint64) string {
	var b [len(tcpFlagLetters)]byte
	n := 0
	for i := range len(tcpFlagLetters) {
		if v&(1<<i) != 0 {
			b[n] = tcpFlagLetters[i]
			n++
		}
	}
	return string(b[:n])
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// parseMAC reads "aa:bb:cc:dd:ee:ff" (or with dashes) into the low 48 bits.
func parseMAC(s string) (uint64, bool) {
	if len(s) != 17 {
		return 0, false
	}
	var v uint64
	for i := 0; i < 17; i += 3 {
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 || (i < 15 && s[i+2] != ':' && s[i+2] != '-') {
			return 0, false
		}
		v = v<<8 | uint64(hi<<4|lo)
	}
	return v, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// macText is the text of a MAC held in the low 48 bits of v.
func macText(v uint64) string {
	const digits = "0123456789abcdef"
	var b [17]byte
	for i := 5; i >= 0; i-- {
		c := byte(v >> (8 * (5 - i)))
		b[3*i], b[3*i+1] = digits[c>>4], digits[c&15]
		if i < 5 {
			b[3*i+2] = ':'
		}
	}
	return string(b[:])
}

// parseIP reads an IP address of the field's kind. An IPv4 address is
// kept in its IPv4-mapped IPv6 form when the field holds either family.
func parseIP(k Kind, s string) (netip.Addr, bool) {
	if a, ok := parseIPv4(s); ok && k != IPv6Addr {
		if k == IPAddr {
			a = netip.AddrFrom16(a.As16())
		}
		return a, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	switch k {
	case IPv4Addr:
		return a, a.Is4()
	case IPv6Addr:
		return a, a.Is6()
	}
	if a.Is4() {
		a = netip.AddrFrom16(a.As16())
	}
	return a, true
}

// parseIPv4 reads a dotted quad, the common case, faster than
// netip.ParseAddr, which also reads IPv6.
func parseIPv4(s string) (netip.Addr, bool) {
	var b [4]byte
	part, digits := 0, 0
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 && v == 0 { // no leading zeros, as netip
				return netip.Addr{}, false
			}
			v = v*10 + int(c-'0')
			digits++
			if v > 255 {
				return netip.Addr{}, false
			}
		case c == '.' && digits > 0 && part < 3:
			b[part] = byte(v)
			part, digits, v = part+1, 0, 0
		default:
			return netip.Addr{}, false
		}
	}
	if part != 3 || digits == 0 {
		return netip.Addr{}, false
	}
	b[3] = byte(v)
	return netip.AddrFrom4(b), true
}
