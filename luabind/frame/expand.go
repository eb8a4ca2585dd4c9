package frame

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
)

// MaxExpand bounds the frames a generator makes, and the values of one of
// its fields: 2^20, a /12 of IPv4 addresses.
const MaxExpand = 1 << 20

// A numberRange is a field value "lo-hi" of a numeric field, as Scapy's
// (lo, hi) tuple: the numbers lo to hi, both included.
type numberRange struct{ lo, hi uint64 }

// parseRange reads "lo-hi" (decimal or 0x hex); ok is false when s has
// no such form, so that flag and enum names go through as text.
func parseRange(s string) (r numberRange, ok bool, err error) {
	lo, hi, found := strings.Cut(s, "-")
	if !found {
		return r, false, nil
	}
	a, err1 := strconv.ParseUint(lo, 0, 64)
	b, err2 := strconv.ParseUint(hi, 0, 64)
	if err1 != nil || err2 != nil {
		return r, false, nil
	}
	if b < a {
		return r, true, fmt.Errorf("range %q goes down: write it low-high", s)
	}
	if b-a >= MaxExpand {
		return r, true, fmt.Errorf("range %q has %d values, more than %d", s, b-a+1, MaxExpand)
	}
	return numberRange{a, b}, true, nil
}

// parseNet reads an address field's CIDR value "198.18.0.0/28", as
// Scapy's Net: every address of the prefix, network and broadcast
// included, from the lowest. ok is false when s is no prefix.
func parseNet(s string) (p netip.Prefix, ok bool, err error) {
	if !strings.Contains(s, "/") {
		return p, false, nil
	}
	p, err = netip.ParsePrefix(s)
	if err != nil {
		return p, true, fmt.Errorf("%q is not an address prefix: %w", s, err)
	}
	if host := p.Addr().BitLen() - p.Bits(); host > 20 {
		return p, true, fmt.Errorf("%q has 2^%d addresses, more than %d", s, host, MaxExpand)
	}
	return p.Masked(), true, nil
}

// netAddrs lists the addresses of p, from the lowest.
func netAddrs(p netip.Prefix) []netip.Addr {
	n := 1 << (p.Addr().BitLen() - p.Bits())
	out := make([]netip.Addr, 0, n)
	for a := p.Addr(); len(out) < n; a = a.Next() {
		out = append(out, a)
	}
	return out
}

// product is the number of frames of generator dimensions of the given
// sizes, or an error past MaxExpand.
func product(sizes []int) (int, error) {
	n := big.NewInt(1)
	for _, s := range sizes {
		n.Mul(n, big.NewInt(int64(s)))
	}
	if n.Cmp(big.NewInt(MaxExpand)) > 0 {
		return 0, fmt.Errorf("the generator makes %s frames, more than %d", n, MaxExpand)
	}
	return int(n.Int64()), nil
}
