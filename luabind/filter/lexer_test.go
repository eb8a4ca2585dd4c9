package filter

import (
	"fmt"
	"strings"
	"testing"
)

// lexString shows the tokens of expr as kind:text (numbers as kind=value).
func lexString(expr string) (string, error) {
	toks, err := lex(expr)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, t := range toks[:len(toks)-1] {
		switch t.kind {
		case tNum:
			parts = append(parts, fmt.Sprintf("num=%d", t.num))
		case tPname:
			parts = append(parts, "pname:"+proto(t.num).String())
		default:
			parts = append(parts, kindNames[t.kind]+":"+t.text)
		}
	}
	return strings.Join(parts, " "), nil
}

var kindNames = map[tokKind]string{
	tID: "id", tHID: "hid", tHID6: "hid6", tEID: "eid", tLParen: "(", tRParen: ")", tLBrack: "[",
	tRBrack: "]", tColon: ":", tPlus: "+", tMinus: "-", tStar: "*", tSlash: "/", tPercent: "%",
	tAmp: "&", tPipe: "|", tCaret: "^", tLsh: "<<", tRsh: ">>", tEq: "=", tNeq: "!=", tLt: "<",
	tLeq: "<=", tGt: ">", tGeq: ">=", tNot: "not", tAnd: "and", tOr: "or", tSrc: "src", tDst: "dst",
	tHost: "host", tNet: "net", tMask: "mask", tPort: "port", tPortrange: "portrange", tProto: "proto",
	tLen: "len", tLess: "less", tGreater: "greater", tByte: "byte", tBroadcast: "broadcast",
	tMulticast: "multicast", tVlan: "vlan", tPppoed: "pppoed", tMpls: "mpls", tPppoes: "pppoes", tLlc: "llc", tProtochain: "protochain",
	tUnsupported: "unsupported",
}

func TestLex(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Keywords win over names of the same length, lose to longer names.
		{"ip ip6 ipx ip6x", "pname:ip pname:ip6 pname:ipx id:ip6x"},
		{"ether link wlan es-is is-is", "pname:ether pname:ether pname:ether pname:esis pname:isis"},
		{"and && or || not !", "and:and and:&& or:or or:|| not:not not:!"},
		{"len length", "len:len len:length"},
		// Named constants are numbers; a '-' inside a word belongs to it.
		{"tcp-syn icmp-echo icmp-echoreply tcpflags", "num=2 num=8 num=0 num=13"},
		{"len-1 1-1024 tcp-sy", "id:len-1 id:1-1024 id:tcp-sy"},
		{"len - 1", "len:len -:- num=1"},
		// Numbers: decimal, hex, octal.
		{"80 0x50 0X1F 010 0", "num=80 num=80 num=31 num=8 num=0"},
		{"0x 1f", "id:0x id:1f"},
		// Addresses.
		{"10.1.2.3 10.1 10.1.2 1.2.3.4.5", "hid:10.1.2.3 hid:10.1 hid:10.1.2 id:1.2.3.4.5"},
		{"aa:bb:cc:dd:ee:ff 0:1:2:3:4:5 00-11-22-33-44-55", "eid:aa:bb:cc:dd:ee:ff eid:0:1:2:3:4:5 eid:00-11-22-33-44-55"},
		{"0011.2233.4455 001122334455 1.2.3.4.5.6", "eid:0011.2233.4455 eid:001122334455 eid:1.2.3.4.5.6"},
		{"fe80::1 :: ::1 2001:db8::/32", "hid6:fe80::1 hid6::: hid6:::1 hid6:2001:db8:: /:/ num=32"},
		{"::ffff:10.0.0.1 1:2:3:4:5:6:7:8", "hid6:::ffff:10.0.0.1 hid6:1:2:3:4:5:6:7:8"},
		// Operators, longest first.
		{">= <= != == << >> < > = !", ">=:>= <=:<= !=:!= =:== <<:<< >>:>> <:< >:> =:= not:!"},
		{"ip[2:2]&0xf0", "pname:ip [:[ num=2 ::: num=2 ]:] &:& num=240"},
		// A backslash makes a name of anything up to a space or a paren.
		{`\tcp \ip6 \80]`, "id:tcp id:ip6 id:80]"},
		{"gateway protochain pppoes mpls llc", "unsupported:gateway protochain:protochain pppoes:pppoes mpls:mpls llc:llc"},
	} {
		got, err := lexString(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("lex(%q)\n got %s (%v)\nwant %s", tc.in, got, err, tc.want)
		}
	}
}

func TestLexErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ip[09]", "filter: number 09 contains non-octal digit at column 4"},
		{"ip[0x100000000]", "filter: number 0x100000000 overflows 32 bits at column 4"},
		{"ip[4294967296]", "filter: number 4294967296 overflows 32 bits at column 4"},
		{"tcp # 1", "filter: unexpected character '#' at column 5"},
		{"ether host 1:2:3", "filter: bogus ethernet address 1:2: at column 12"},
		{"host 1:2:3:4:5:6:7::8:9", "filter: bogus ethernet address 1:2:3:4:5:6:7::8: at column 6"},
		{"host 1:2:3:4:5:6:1.2.3.999", "filter: bogus IPv6 address 1:2:3:4:5:6:1.2.3.999 at column 6"},
		{"host $1", "filter: ARCnet addresses are not supported at column 6"},
	} {
		_, err := lexString(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("lex(%q): got %v, want %s", tc.in, err, tc.want)
		}
	}
}
