package rawip

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
)

// errNoHost is what a name that does not exist resolves to.
var errNoHost = errors.New("no such host")

// lookupFunc is the shape of net.Resolver.LookupNetIP, which Resolve asks;
// tests answer names with one of their own.
type lookupFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)

// Resolve looks host up: an address as it is, or a name (from /etc/hosts
// or DNS). family 4 or 6 asks for that family; 0 prefers IPv4.
func Resolve(ctx context.Context, host string, family int) (netip.Addr, error) {
	return resolveWith(ctx, net.DefaultResolver.LookupNetIP, host, family)
}

// resolveWith is Resolve asking lookup. As RFC 6761 asks of resolver
// libraries, localhost names are the loopback address and names under
// .invalid get errNoHost, at once: nothing the machine holds can change
// what these names mean.
func resolveWith(ctx context.Context, lookup lookupFunc, host string, family int) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a, nil
	}
	switch special(host) {
	case "localhost":
		if family == 6 {
			return netip.IPv6Loopback(), nil
		}
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	case "invalid":
		return netip.Addr{}, errNoHost
	}
	network := map[int]string{0: "ip", 4: "ip4", 6: "ip6"}[family]
	addrs, err := lookup(ctx, network, host)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return netip.Addr{}, errNoHost
		}
		return netip.Addr{}, err
	}
	for _, a := range addrs {
		if a.Unmap().Is4() {
			return a.Unmap(), nil
		}
	}
	return addrs[0], nil
}

// special is "localhost" or "invalid" when name is that name or under it
// (RFC 6761 6.3 and 6.4), or "".
func special(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for _, top := range []string{"localhost", "invalid"} {
		if name == top || strings.HasSuffix(name, "."+top) {
			return top
		}
	}
	return ""
}
