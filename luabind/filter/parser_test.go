package filter

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// sexpr shows a tree with its grouping: (and a b), [dst port 80], ...
func sexpr(n node) string {
	switch n := n.(type) {
	case *binaryNode:
		return fmt.Sprintf("(%s %s %s)", map[tokKind]string{tAnd: "and", tOr: "or"}[n.op], sexpr(n.l), sexpr(n.r))
	case *notNode:
		return "(not " + sexpr(n.x) + ")"
	case *abbrevNode:
		return n.proto.String()
	case *primNode:
		q := []string{n.q.proto.String(), map[dir]string{dSrc: "src", dDst: "dst", dSrcOrDst: "src|dst", dSrcAndDst: "src&dst"}[n.q.dir],
			map[addr]string{aHost: "host", aNet: "net", aPort: "port", aPortrange: "portrange", aProto: "proto"}[n.q.addr], n.val.tok.text}
		return "[" + strings.Join(strings.Fields(strings.Join(q, " ")), " ") + "]"
	case *relNode:
		return fmt.Sprintf("{%s %s %s}", arithSexpr(n.l), relWords[n.op], arithSexpr(n.r))
	case *vlanNode:
		if n.hasID {
			return fmt.Sprintf("vlan%d", n.id)
		}
		return "vlan"
	}
	return fmt.Sprintf("%T", n)
}

func arithSexpr(a arith) string {
	switch a := a.(type) {
	case *numArith:
		return a.tok.text
	case *lenArith:
		return "len"
	case *negArith:
		return "(- " + arithSexpr(a.x) + ")"
	case *loadArith:
		return fmt.Sprintf("%s[%s:%d]", a.proto, arithSexpr(a.index), a.size)
	case *binArith:
		return fmt.Sprintf("(%s %s %s)", a.op.text, arithSexpr(a.l), arithSexpr(a.r))
	}
	return "?"
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// and/or have the same precedence and group to the left.
		{"tcp or udp and port 53", "(and (or tcp udp) [port 53])"},
		{"tcp and udp or icmp", "(or (and tcp udp) icmp)"},
		{"not tcp and udp", "(and (not tcp) udp)"},
		{"tcp or (udp and port 53)", "(or tcp (and udp [port 53]))"},
		// Repeated qualifiers.
		{"port 53 or 80", "(or [port 53] [port 80])"},
		{"tcp dst port 80 or 8080", "(or [tcp dst port 80] [tcp dst port 8080])"},
		{"host 10.0.0.1 and not 10.0.0.2", "(and [host 10.0.0.1] (not [host 10.0.0.2]))"},
		{"src or dst host 10.0.0.1 or 10.0.0.2", "(or [src|dst host 10.0.0.1] [src|dst host 10.0.0.2])"},
		{"dst and src net 10 or 192.168", "(or [src&dst net 10] [src&dst net 192.168])"},
		{"port (80 or 443)", "(or [port 80] [port 443])"},
		{"port ((80) or 443)", "(or [port 80] [port 443])"},
		{"host 1.1.1.1 and (port 80) or 2.2.2.2", "(or (and [host 1.1.1.1] [port 80]) [host 2.2.2.2])"},
		{"host 1.1.1.1 and (port 80 or 443)", "(and [host 1.1.1.1] (or [port 80] [port 443]))"},
		{"ether src 0:1:2:3:4:5 or 6:7:8:9:a:b", "(or [ether src 0:1:2:3:4:5] [ether src 6:7:8:9:a:b])"},
		{`ether proto \arp or \rarp`, "(or [ether proto arp] [ether proto rarp])"},
		{"ip6 net 2001:db8::/32", "[ip6 net 2001:db8::]"},
		{"src 10.0.0.1", "[src 10.0.0.1]"},
		{"vlan 100 and vlan", "(and vlan100 vlan)"},
		// Arithmetic: yacc's precedence, and % and ^ without one.
		{"2 + 3 * 4 = 14", "{(+ 2 (* 3 4)) = 14}"},
		{"10 - 2 - 3 = 5", "{(- (- 10 2) 3) = 5}"},
		{"1 << 2 + 1 = 8", "{(<< 1 (+ 2 1)) = 8}"},
		{"1 | 2 & 3 = 3", "{(| 1 (& 2 3)) = 3}"},
		{"a % b + c", ""},
		{"ip[0] % 16 + 1 = 6", "{(% ip[0:1] (+ 16 1)) = 6}"},
		{"2 * 3 % 4 = 6", "{(* 2 (% 3 4)) = 6}"},
		{"2 ^ 3 & 1 = 3", "{(^ 2 (& 3 1)) = 3}"},
		{"-len * 2 < 0", "{(* (- len) 2) < 0}"},
		{"-len % 7 = 3", "{(- (% len 7)) = 3}"},
		{"(ip[0] & 0xf) * 4 > 20", "{(* (& ip[0:1] 0xf) 4) > 20}"},
		{"tcp[tcp[12] >> 4:2] != 0", "{tcp[(>> tcp[12:1] 4):2] != 0}"},
		{"(1) = 1", "{1 = 1}"},
		{"not ip[0] = 0x45", "(not {ip[0:1] = 0x45})"},
		{"ip[9] = 6 or 17 = ip[9]", "(or {ip[9:1] = 6} {17 = ip[9:1]})"},
	} {
		n, err := parse(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("parse(%q) = %s, want an error", tc.in, sexpr(n))
			}
			continue
		}
		if err != nil || sexpr(n) != tc.want {
			t.Errorf("parse(%q)\n got %v (%v)\nwant %s", tc.in, sexprOrNil(n), err, tc.want)
		}
	}
}

func sexprOrNil(n node) string {
	if n == nil {
		return "nil"
	}
	return sexpr(n)
}

// TestErrors checks messages and columns, syntax and compile errors alike.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want    string
		unsupported bool
	}{
		{"tcp port ", "filter: expected a port number after 'port', got the end at column 10", false},
		{"udp dst portrange", "filter: expected a port range after 'portrange', got the end at column 18", false},
		{"host", "filter: expected an address after 'host', got the end at column 5", false},
		{"tcp and", "filter: expected a primitive, got the end at column 8", false},
		{"(tcp", "filter: expected ')', got the end at column 5", false},
		{"tcp))", "filter: expected 'and', 'or' or the end, got ')' at column 4", false},
		{"tcp or 80", "filter: '80' needs a qualifier such as 'host' or 'port' at column 8", false},
		{"src or foo", "filter: expected 'dst' after 'src or', got 'foo' at column 8", false},
		{"ip[1:3] = 2", "filter: data size must be 1, 2, or 4 at column 6", false},
		{"ip[0] = = 1", "filter: expected a number, 'len' or a byte access such as ip[9], got '=' at column 9", false},
		{"port 99999", "filter: illegal port number 99999 > 65535 at column 6", false},
		{"udp port http", "filter: port 'http' is tcp at column 10", false},
		{"net 10.0.0.1/8", `filter: non-network bits set in "10.0.0.1/8" at column 5`, false},
		{"vlan 5000", "filter: VLAN tag 5000 greater than maximum 4095 at column 1", false},
		{"ip[0] / 0 = 1", "filter: division by zero at column 7", false},
		{"14 / ip[0] = 1", "filter: division by zero at column 4", false},
		{"len-1 > 0", "filter: 'len-1' needs a qualifier such as 'host' or 'net' (a '-' inside a word is part of the name; put spaces around it to subtract) at column 1", false},
		{"tcp and udp", "filter: expression rejects all packets", false},
		{"tcp protochain 6", "filter: bad protocol applied for 'protochain' at column 16", false},
		{"protochain 1.2", "filter: 'protochain' modifier applied to ip host at column 12", false},
		{"gateway router", "filter: 'gateway' is not supported at column 1", true},
		{"vxlan 5", "filter: 'vxlan' is not a primitive of libpcap 1.10, which netlua follows: over IPv4, write udp dst port 4789 and udp[8] = 0x08 (and udp[12:4] >> 8 = VNI) at column 1", false},
		{"udp and vxlan", "filter: 'vxlan' is not a primitive of libpcap 1.10, which netlua follows: over IPv4, write udp dst port 4789 and udp[8] = 0x08 (and udp[12:4] >> 8 = VNI) at column 9", false},
		{"geneve 16777216", "filter: Geneve VNI 16777216 greater than maximum 16777215 at column 1", false},
		{"geneve or tcp", "filter: tests after 'geneve' where it may not have matched (after 'or' or 'not') are not supported: libpcap reads offsets it never set there; write geneve ... and (...) with the alternatives inside at column 1", true},
		{"pppoes 70000", "filter: PPPoE session number 70000 greater than maximum 65535 at column 1", false},
		{"mpls 1048576", "filter: MPLS label 1048576 greater than maximum 1048575 at column 1", false},
		{"tcp and mpls and arp", "filter: unsupported protocol over mpls at column 9", false},
		{"mpls and vlan", "filter: no VLAN match after MPLS at column 10", false},
		{"llc foo", `filter: unknown LLC type name "foo" at column 5`, false},
	} {
		_, err := Compile(tc.in)
		var fe *Error
		if !errors.As(err, &fe) || err.Error() != tc.want || fe.Expr != tc.in {
			t.Errorf("Compile(%q)\n got %v\nwant %s", tc.in, err, tc.want)
			continue
		}
		if errors.Is(err, ErrUnsupported) != tc.unsupported {
			t.Errorf("Compile(%q): errors.Is(err, ErrUnsupported) = %v", tc.in, !tc.unsupported)
		}
	}
}

// TestExplainAll checks that every expression of the lists has words.
func TestExplainAll(t *testing.T) {
	for _, e := range append(append(allExprs(), protochainExprs...), geneveExprs...) {
		p, err := Compile(e)
		if err != nil {
			continue
		}
		if words := p.Explain(); strings.Contains(words, "?") || words == "" {
			t.Errorf("%q explains as %q", e, words)
		}
	}
	got := MustCompile("vlan 100 and ip[9] = 6 or less 60").Explain()
	want := "any of:\n" +
		"  all of:\n" +
		"    frames tagged with VLAN ID 100; every test written after this looks inside the tag\n" +
		"    the byte at offset 9 of the IPv4 header = 6\n" +
		"  frames of 60 bytes or fewer\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
