package rtnl

import (
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

func TestAddrMessage(t *testing.T) {
	tests := []struct {
		cidr   string
		family uint8
		bcast  string
	}{
		{"198.18.0.1/24", unix.AF_INET, "198.18.0.255"},
		{"198.18.5.9/22", unix.AF_INET, "198.18.7.255"},
		{"198.18.0.1/31", unix.AF_INET, "<nil>"},
		{"fd00::1/64", unix.AF_INET6, "<nil>"},
	}
	for _, tt := range tests {
		p := netip.MustParsePrefix(tt.cidr)
		m := AddrMessage(7, p)
		got := net.IP(m.Attributes.Broadcast).String()
		if m.Family != tt.family || m.Index != 7 || int(m.PrefixLength) != p.Bits() || got != tt.bcast ||
			!net.IP(m.Attributes.Local).Equal(p.Addr().AsSlice()) {
			t.Errorf("%s: family %d, prefix %d, broadcast %s", tt.cidr, m.Family, m.PrefixLength, got)
		}
	}
}
