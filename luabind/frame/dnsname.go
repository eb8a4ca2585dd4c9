package frame

import (
	"fmt"
	"slices"
	"strings"
)

// DNS names and the names of DNS types and classes, as Scapy 2.5's
// dns_get_str, dns_encode and tables have them.

// Bounds on reading one name, so that a malformed message never makes
// parse loop or grow without end. Scapy follows pointers until one
// repeats; no name of a real message comes near these.
const (
	dnsMaxJumps   = 64   // pointers followed
	dnsMaxNameLen = 1024 // bytes of text once a pointer is followed
)

// dnsName reads the name at pos of s as Scapy's dns_get_str does, and
// returns its text ("www.example.com.", "." for the root) and where it
// ends in s. A pointer counts from the message's start, 12 bytes before
// full, the message after its header; the first one moves the reading
// from s (a record's rdata) to full. Like Scapy, a label cut short gives
// what there is, a pointer below 12 reads from the end of full (Python's
// negative index), and a pointer already followed ends the name.
func dnsName(s, full []byte, pos int) (string, int) {
	var buf [256]byte // most names: no allocation but the string's
	name := buf[:0]
	var jumps [dnsMaxJumps]int
	nj, after := 0, -1
	for abs(pos) < len(s) && (nj == 0 || len(name) <= dnsMaxNameLen) {
		c := s[pyIndex(pos, len(s))]
		pos++
		if c&0xc0 == 0 {
			if c == 0 {
				break
			}
			name = append(append(name, pyRange(s, pos, pos+int(c))...), '.')
			pos += int(c)
			continue
		}
		if after < 0 {
			after = pos + 1
		}
		if pos >= len(s) {
			break
		}
		pos = int(c&0x3f)<<8 + int(s[pyIndex(pos, len(s))]) - dnsHeaderLen
		if nj == dnsMaxJumps || slices.Contains(jumps[:nj], pos) {
			break
		}
		jumps[nj], nj = pos, nj+1
		s = full
	}
	if after >= 0 {
		pos = after
	}
	if len(name) == 0 {
		return ".", pos
	}
	return string(name), pos
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// pyIndex is index i of a sequence of n as Python reads it, for |i| < n.
func pyIndex(i, n int) int {
	if i < 0 {
		return i + n
	}
	return i
}

// pyRange is Python's s[lo:hi].
func pyRange(s []byte, lo, hi int) []byte {
	clamp := func(i int) int {
		if i < 0 {
			i += len(s)
		}
		return max(0, min(i, len(s)))
	}
	lo, hi = clamp(lo), clamp(hi)
	if lo >= hi {
		return nil
	}
	return s[lo:hi]
}

// appendDNSName writes name x as Scapy's dns_encode: labels of at most
// 63 bytes (longer ones cut) and a zero; "" and "." are the root; a
// name already in its wire form (no dot, ending in a zero or a pointer,
// as "\192\12") is written as it is, so that a script can compress by
// hand.
func appendDNSName(dst []byte, x string) []byte {
	if x == "" || x == "." {
		return append(dst, 0)
	}
	if isWireName(x) {
		return append(dst, x...)
	}
	start := len(dst)
	for label := range strings.SplitSeq(x, ".") {
		label = label[:min(len(label), 63)]
		dst = append(append(dst, byte(len(label))), label...)
	}
	if dst[len(dst)-1] != 0 || len(dst)-start == 0 {
		dst = append(dst, 0)
	}
	return dst
}

// isWireName is Scapy's _is_ptr: a name already encoded.
func isWireName(x string) bool {
	n := len(x)
	return !strings.Contains(x, ".") && (n > 0 && x[n-1] == 0 || n >= 2 && x[n-2]&0xc0 == 0xc0)
}

// The DNS types whose rdata has a form of its own.
const (
	dnsTypeA, dnsTypeNS, dnsTypeMD, dnsTypeMF, dnsTypeCNAME, dnsTypeSOA = 1, 2, 3, 4, 5, 6
	dnsTypePTR, dnsTypeMX, dnsTypeTXT, dnsTypeAAAA, dnsTypeSRV          = 12, 15, 16, 28, 33
	dnsTypeOPT                                                          = 41
)

// A dnsCode is a number and Scapy's name for it, a string held as any
// so that parse gives it without boxing it anew.
type dnsCode struct {
	n    uint64
	name any
}

// dnsTypes are Scapy 2.5's dnstypes.
var dnsTypes = []dnsCode{
	{0, "ANY"}, {1, "A"}, {2, "NS"}, {3, "MD"}, {4, "MF"}, {5, "CNAME"}, {6, "SOA"}, {7, "MB"},
	{8, "MG"}, {9, "MR"}, {10, "NULL"}, {11, "WKS"}, {12, "PTR"}, {13, "HINFO"}, {14, "MINFO"},
	{15, "MX"}, {16, "TXT"}, {17, "RP"}, {18, "AFSDB"}, {19, "X25"}, {20, "ISDN"}, {21, "RT"},
	{22, "NSAP"}, {23, "NSAP-PTR"}, {24, "SIG"}, {25, "KEY"}, {26, "PX"}, {27, "GPOS"},
	{28, "AAAA"}, {29, "LOC"}, {30, "NXT"}, {31, "EID"}, {32, "NIMLOC"}, {33, "SRV"}, {34, "ATMA"},
	{35, "NAPTR"}, {36, "KX"}, {37, "CERT"}, {38, "A6"}, {39, "DNAME"}, {40, "SINK"}, {41, "OPT"},
	{42, "APL"}, {43, "DS"}, {44, "SSHFP"}, {45, "IPSECKEY"}, {46, "RRSIG"}, {47, "NSEC"},
	{48, "DNSKEY"}, {49, "DHCID"}, {50, "NSEC3"}, {51, "NSEC3PARAM"}, {52, "TLSA"}, {53, "SMIMEA"},
	{55, "HIP"}, {56, "NINFO"}, {57, "RKEY"}, {58, "TALINK"}, {59, "CDS"}, {60, "CDNSKEY"},
	{61, "OPENPGPKEY"}, {62, "CSYNC"}, {63, "ZONEMD"}, {64, "SVCB"}, {65, "HTTPS"}, {99, "SPF"},
	{100, "UINFO"}, {101, "UID"}, {102, "GID"}, {103, "UNSPEC"}, {104, "NID"}, {105, "L32"},
	{106, "L64"}, {107, "LP"}, {108, "EUI48"}, {109, "EUI64"}, {249, "TKEY"}, {250, "TSIG"},
	{256, "URI"}, {257, "CAA"}, {258, "AVC"}, {259, "DOA"}, {260, "AMTRELAY"}, {32768, "TA"},
	{32769, "DLV"}, {65535, "RESERVED"},
}

// dnsQTypes are Scapy's dnsqtypes: the types, and those only a question
// asks.
var dnsQTypes = append([]dnsCode{{251, "IXFR"}, {252, "AXFR"}, {253, "MAILB"}, {254, "MAILA"}, {255, "ALL"}}, dnsTypes...)

// dnsClasses are Scapy's dnsclasses.
var dnsClasses = []dnsCode{{1, "IN"}, {2, "CS"}, {3, "CH"}, {4, "HS"}, {255, "ANY"}}

// codeValue is n as parse gives it: Scapy's name, else the number.
func codeValue(n uint64, codes []dnsCode) any {
	for i := range codes {
		if codes[i].n == n {
			return codes[i].name
		}
	}
	return n
}

// codeNumber reads a type or class given by Scapy's name or by number.
func codeNumber(v any, codes []dnsCode, what string) (uint64, error) {
	s, ok := v.(string)
	if !ok {
		n, err := itemUint(v, 16)
		if err != nil {
			return 0, fmt.Errorf("%s: %w or a name", what, err)
		}
		return n, nil
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		if c.name == s {
			return c.n, nil
		}
		names[i] = c.name.(string)
	}
	return 0, fmt.Errorf("%s: unknown name '%s' (%sor a number 0..65535)", what, s, didYouMean(s, names))
}
