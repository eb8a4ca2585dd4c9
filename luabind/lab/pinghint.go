package lab

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// gcThresh3 is the file of the kernel's hard limit on neighbour entries
// of a family (ipv4: ARP, ipv6: NDP): one limit for the tables of all
// namespaces together, set only in the machine's own namespace.
func gcThresh3(family string) string {
	return "/proc/sys/net/" + family + "/neigh/default/gc_thresh3"
}

// neighbourNeed is how many neighbour entries of the family pinging
// every pair of the lab takes: on each subnet of k ends with an address
// of the family, each learns the k-1 others.
func (l *Lab) neighbourNeed(is func(netip.Addr) bool) int {
	ends := map[netip.Prefix]int{}
	for _, h := range l.hosts {
		for _, e := range h.ends {
			for _, p := range endAddrs(e) {
				if is(p.Addr()) {
					ends[p.Masked()]++
				}
			}
		}
	}
	need := 0
	for _, k := range ends {
		need += k * (k - 1)
	}
	return need
}

// NeighbourLimit reads the kernel's gc_thresh3 of the family ("ipv4",
// "ipv6"), or 0 when it cannot.
func NeighbourLimit(family string) int {
	b, err := os.ReadFile(gcThresh3(family))
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// PingHint explains pings that failed because the lab outgrew the
// kernel's neighbour table of their family, whose limit (gc_thresh3,
// from limit; 0 if unknown) all namespaces share: "" when every ping of
// the family was answered or the lab fits.
func (l *Lab) PingHint(pings []Ping, limit func(family string) int) string {
	var hints []string
	for _, fam := range []struct {
		name string
		is   func(netip.Addr) bool
	}{{"ipv4", netip.Addr.Is4}, {"ipv6", netip.Addr.Is6}} {
		failed := false
		for _, p := range pings {
			failed = failed || !p.OK && fam.is(p.Addr)
		}
		need, max := l.neighbourNeed(fam.is), limit(fam.name)
		if failed && max > 0 && need > max {
			hints = append(hints, fmt.Sprintf("the lab needs about %d %s neighbour entries, and the kernel keeps at most %d for all namespaces together: "+
				"raise it for labs this big, as root: sysctl -w net.%s.neigh.default.gc_thresh3=%d", need, fam.name, max, fam.name, 2*(need+max)))
		}
	}
	return strings.Join(hints, "; ")
}
