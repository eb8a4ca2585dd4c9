package lab

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// The IPv6 address of a link end mirrors its IPv4 one: the /24's number
// in 198.18.0.0/15 is the /64's in 2001:2::/48.
func TestAddr6(t *testing.T) {
	tests := []struct{ v4, v6 string }{
		{"198.18.0.1/24", "2001:2::1/64"},
		{"198.18.3.2/24", "2001:2:0:3::2/64"},
		{"198.19.1.250/24", "2001:2:0:101::fa/64"},
	}
	l := New(Config{})
	for _, tt := range tests {
		if got := l.addr6(netip.MustParsePrefix(tt.v4)); got.String() != tt.v6 {
			t.Errorf("addr6(%s) = %s, want %s", tt.v4, got, tt.v6)
		}
	}
	if got := New(Config{NoIPv6: true}).addr6(netip.MustParsePrefix("198.18.0.1/24")); got.IsValid() {
		t.Errorf("without IPv6, addr6 = %s", got)
	}
}

// Link ends get their IPv6 address usable at once (not tentative, as ip
// shows it), and none when the lab leaves IPv6 out.
func TestLinkIPv6(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b := mustLink(t, l, mustHost(t, l, "a"), mustHost(t, l, "b"))
	// The kernel adds an address's local route from a work queue; Link
	// waits for it, so the address takes traffic when Link returns.
	if out := run(t, b.Host, "ip", "-6", "route", "show", "table", "local", "dev", "veth0"); !strings.Contains(out, "local 2001:2::2 ") || !strings.Contains(out, "local fe80::") {
		t.Errorf("b's local routes lack its addresses:\n%s", out)
	}
	out := run(t, a.Host, "ip", "-6", "-o", "addr", "show", "dev", "veth0")
	if !strings.Contains(out, "inet6 2001:2::1/64 scope global") || strings.Contains(out, "tentative") {
		t.Errorf("a's veth0:\n%s", out)
	}
	pings(t, a.Host, b.Addr6.Addr().String())

	l4 := testLab(t, Config{NoIPv6: true})
	c, _ := mustLink(t, l4, mustHost(t, l4, "c"), mustHost(t, l4, "d"))
	if out := run(t, c.Host, "ip", "-6", "-o", "addr"); c.Addr6.IsValid() || strings.Contains(out, "2001:2:") {
		t.Errorf("an IPv4-only lab has IPv6 addresses (%s):\n%s", c.Addr6, out)
	}
}
