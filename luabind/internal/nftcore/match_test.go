package nftcore

import (
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMatchCheck(t *testing.T) {
	tests := []struct {
		name  string
		match Match
		want  string // "" for no error
	}{
		{"nothing", Match{}, ""},
		{"every hook", Match{Hook: "forward", Iface: "a", Oface: "b"}, ""},
		{"unknown hook", Match{Hook: "inptu"}, "option 'hook' names no hook: 'inptu' (have: forward, ingress, input, output, postrouting, prerouting)"},
		{"ingress without iface", Match{Hook: "ingress"}, "option 'hook' 'ingress' needs iface"},
		{"iface on output", Match{Hook: "output", Iface: "veth0"}, "option 'iface' cannot match in hook 'output'"},
		{"oface on input", Match{Oface: "veth0"}, "option 'oface' cannot match in hook 'input'"},
		{"port without proto", Match{Dport: Port(80)}, "option 'dport' needs proto"},
		{"port of icmp", Match{Proto: unix.IPPROTO_ICMP, Sport: Port(1)}, "option 'sport' needs proto"},
		{"empty range", Match{Proto: unix.IPPROTO_TCP, Dport: Ports(90, 80)}, "option 'dport' range 90-80 is empty"},
		{"family 5", Match{Family: 5}, "option 'family' must be 4 or 6"},
		{"family against src", Match{Family: 6, Src: netip.MustParsePrefix("198.18.0.0/15")}, "option 'src' is an IPv4 address where the rule matches IPv6"},
		{"src against dst", Match{Src: netip.MustParsePrefix("198.18.0.1/32"), Dst: netip.MustParsePrefix("::1/128")}, "option 'dst' is an IPv6 address where the rule matches IPv4"},
		{"empty contains", Match{Contains: []byte{}}, "option 'contains' is empty"},
		{"contains of 128", Match{Contains: make([]byte, 128)}, ""},
		{"contains of 129", Match{Contains: make([]byte, 129)}, "option 'contains' is 129 bytes long; the kernel's string match takes at most 128"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.match.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestMatchString(t *testing.T) {
	tests := []struct {
		match Match
		want  string
	}{
		{Match{}, ""},
		{Match{Family: 6}, "meta nfproto ipv6"},
		{Match{Proto: unix.IPPROTO_ICMP}, "meta l4proto icmp"},
		{Match{Proto: 200}, "meta l4proto 200"},
		{Match{Proto: unix.IPPROTO_TCP, Sport: Port(1), Dport: Ports(80, 88)}, "tcp sport 1 tcp dport 80-88"},
		{Match{Iface: "veth0", Src: netip.MustParsePrefix("198.18.0.9/15"), Dst: netip.MustParsePrefix("198.18.0.2/32")},
			`iifname "veth0" ip saddr 198.18.0.0/15 ip daddr 198.18.0.2`},
		{Match{Hook: "ingress", Iface: "veth0", Contains: []byte("GET \x00")}, `contains "GET \x00"`},
		{Match{Hook: "output", Oface: "lo", Dst: netip.MustParsePrefix("2001:db8::/32")}, `oifname "lo" ip6 daddr 2001:db8::/32`},
	}
	for _, tt := range tests {
		if got := tt.match.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.match, got, tt.want)
		}
	}
}

func TestRuleString(t *testing.T) {
	tb := NewTable(nil, false)
	r := &Rule{table: tb, Chain: "input", Handle: 4, Match: Match{Proto: unix.IPPROTO_TCP, Contains: []byte("HTTP")}, Action: Drop}
	want := `inet netlua input: meta l4proto tcp contains "HTTP" counter drop # handle 4`
	if got := r.String(); got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
	r = &Rule{table: tb, Chain: "input", Handle: 5, Action: QueueTo(1024)}
	if got := r.String(); got != "inet netlua input: counter queue num 1024 bypass # handle 5" {
		t.Errorf("%q", got)
	}
}
