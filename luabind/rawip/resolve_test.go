package rawip

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
)

// names is a lookup of the test's own: what a resolver answers, with no
// file or DNS server of the machine asked.
func names(t *testing.T) lookupFunc {
	addrs := func(ss ...string) []netip.Addr {
		var as []netip.Addr
		for _, s := range ss {
			as = append(as, netip.MustParseAddr(s))
		}
		return as
	}
	answers := map[string][]netip.Addr{
		"ip dual":   addrs("2001:2::7", "::ffff:198.18.0.7", "198.18.0.8"),
		"ip4 dual":  addrs("198.18.0.8"),
		"ip6 dual":  addrs("2001:2::7"),
		"ip v6only": addrs("2001:2::9"),
	}
	return func(_ context.Context, network, host string) ([]netip.Addr, error) {
		switch host {
		case "gone":
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		case "broken":
			return nil, &net.DNSError{Err: "server misbehaving", Name: host}
		}
		if as, ok := answers[network+" "+host]; ok {
			return as, nil
		}
		t.Errorf("asked %s %s", network, host)
		return nil, errors.New("unexpected question")
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		host    string
		family  int
		want    string
		wantErr string
	}{
		{host: "198.18.0.9", want: "198.18.0.9"},
		{host: "::1", want: "::1"},
		{host: "dual", want: "198.18.0.7"}, // IPv4 first, an IPv4-mapped one unmapped
		{host: "dual", family: 4, want: "198.18.0.8"},
		{host: "dual", family: 6, want: "2001:2::7"},
		{host: "v6only", want: "2001:2::9"},
		{host: "gone", wantErr: "no such host"},
		{host: "broken", wantErr: "lookup broken: server misbehaving"},
		// RFC 6761: never asked (names would fail the test).
		{host: "no-such-host.invalid", wantErr: "no such host"},
		{host: "x.INVALID.", wantErr: "no such host"},
		{host: "invalid", wantErr: "no such host"},
		{host: "localhost", want: "127.0.0.1"},
		{host: "LocalHost.", family: 4, want: "127.0.0.1"},
		{host: "a.localhost", family: 6, want: "::1"},
	}
	for _, tt := range tests {
		got, err := resolveWith(context.Background(), names(t), tt.host, tt.family)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("resolve(%s, %d) = %v, %v; want the error %q", tt.host, tt.family, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("resolve(%s, %d) = %v, %v; want %s", tt.host, tt.family, got, err, tt.want)
		}
	}
}

// Resolve answers addresses as they are, localhost and .invalid names
// without asking the machine's resolver.
func TestResolveAsksNothing(t *testing.T) {
	for host, want := range map[string]string{"198.18.0.9": "198.18.0.9", "2001:2::1": "2001:2::1", "localhost": "127.0.0.1"} {
		if got, err := Resolve(context.Background(), host, 0); err != nil || got.String() != want {
			t.Errorf("Resolve(%s) = %v, %v", host, got, err)
		}
	}
	if _, err := Resolve(context.Background(), "no-such-host.invalid", 0); !errors.Is(err, errNoHost) {
		t.Errorf("Resolve(no-such-host.invalid): %v", err)
	}
}
