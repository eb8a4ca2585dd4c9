package filter

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
)

// Host names, resolved by a resolver the test gives: each expression
// must compile to tcpdump -d's program for the same expression with the
// addresses written out, and select the corpus frames tcpdump -r selects
// for it. No test here asks the machine's resolver.

var testHosts = map[string][]string{
	"dual.test":   {"10.0.0.1", "2001:db8::1"},
	"v4.test":     {"10.0.0.2", "192.168.1.10"},
	"v6.test":     {"2001:db8::2"},
	"mapped.test": {"::ffff:172.16.5.4"},
}

// testResolver resolves testHosts; other names are unknown.
func testResolver(name string) ([]netip.Addr, error) {
	list, ok := testHosts[name]
	if !ok {
		return nil, fmt.Errorf("lookup %s: no such host", name)
	}
	var out []netip.Addr
	for _, a := range list {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

// hostNameExprs pairs an expression with names and the one tcpdump
// compiles the same, addresses written out in the resolver's order.
var hostNameExprs = [][2]string{
	{"host dual.test", "host 10.0.0.1 or host 2001:db8::1"},
	{"src host v4.test", "src host 10.0.0.2 or src host 192.168.1.10"},
	{"dst v6.test and tcp", "dst host 2001:db8::2 and tcp"},
	{"ip host dual.test", "ip host 10.0.0.1"},
	{"ip6 host dual.test", "ip6 host 2001:db8::1"},
	{"arp host v4.test", "arp host 10.0.0.2 or arp host 192.168.1.10"},
	{"host mapped.test", "host 172.16.5.4"},
	{"host v4.test or v6.test", "host 10.0.0.2 or host 192.168.1.10 or host 2001:db8::2"},
	{"not host dual.test and udp", "not (host 10.0.0.1 or host 2001:db8::1) and udp"},
	{"src and dst host v4.test", "src and dst host 10.0.0.2 or src and dst host 192.168.1.10"},
}

func TestHostNamesLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	frames := loadCorpus(t)
	for _, c := range hostNameExprs {
		if msg := judgeNamed(tcpdump, c, frames); msg != "" {
			t.Error(msg)
		}
	}
}

func TestHostNameErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"host nosuch.invalid", "filter: unknown host 'nosuch.invalid' at column 6"},
		{"tcp and dst nosuch.invalid", "filter: unknown host 'nosuch.invalid' at column 13"},
		{"ip host v6.test", "filter: unknown host 'v6.test' for specified address family at column 9"},
		{"ip6 host v4.test", "filter: unknown host 'v4.test' for specified address family at column 10"},
		{"arp host v6.test", "filter: 'arp' modifier applied to ip6 host at column 10"},
		{"ether host dual.test", "filter: unknown ether host 'dual.test' at column 12"},
	} {
		_, err := CompileWith(tc.in, testOptions)
		var fe *Error
		if !errors.As(err, &fe) || err.Error() != tc.want || fe.Expr != tc.in {
			t.Errorf("CompileWith(%q)\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
}
