package filter

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// Host names: "host NAME" is resolved once, when the expression is
// compiled, and matches any of the addresses (libpcap's gen_scode).

// Options are the settings of CompileWith.
type Options struct {
	Live    bool     // compile for a packet socket, as CompileLive
	Resolve Resolver // resolves host names; nil is SystemResolver
	Names   *NameDB  // port, protocol, network and MAC names; nil is SystemNameDB()
}

// A Resolver returns the addresses of a host name, IPv4 and IPv6, in the
// order the filter tests them; an error or no address makes the name
// unknown.
type Resolver func(name string) ([]netip.Addr, error)

// resolveTimeout bounds a lookup, so that a compile never hangs on DNS.
const resolveTimeout = 10 * time.Second

// SystemResolver resolves a name through the system's resolver
// (/etc/hosts, then DNS), as libpcap's getaddrinfo does.
func SystemResolver(name string) ([]netip.Addr, error) {
	ctx, cancel := context.WithTimeout(context.Background(), resolveTimeout)
	defer cancel()
	return net.DefaultResolver.LookupNetIP(ctx, "ip", name)
}

// hostName compiles "host NAME": the tests of each address, IPv4 ones
// under the protocols an IPv4 host has, IPv6 ones under ip6, or'ed in
// the resolver's order. A protocol qualifier keeps the addresses of its
// family only.
func (g *gen) hostName(t token, q qual) cond {
	addrs, err := g.resolve(t.text)
	if err != nil || len(addrs) == 0 {
		fail(t.pos, "unknown host '%s'", t.text)
	}
	var c cond
	for _, a := range addrs {
		a = a.Unmap()
		var tc cond
		switch {
		case a.Is4() && q.proto != pIPv6:
			b := a.As4()
			v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
			tc = g.host(v, 0xffffffff, q, t.pos)
		case a.Is6() && q.proto != pIP:
			if q.proto != pDefault && q.proto != pIPv6 {
				fail(t.pos, "'%s' modifier applied to ip6 host", q.proto)
			}
			tc = g.hostDir(q.dir, func(off uint32) cond { return g.ipv6Field(off, a, 128) }, 8, 24)
		default:
			continue
		}
		if c == nil {
			c = tc
		} else {
			c = or(c, tc)
		}
	}
	if c == nil {
		fail(t.pos, "unknown host '%s' for specified address family", t.text)
	}
	return c
}
