package lab

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// gcThresh3 is the file of the kernel's hard limit on ARP entries: one
// limit for the neighbour tables of all namespaces together, set only
// in the machine's own namespace.
const gcThresh3 = "/proc/sys/net/ipv4/neigh/default/gc_thresh3"

// neighbourNeed is how many ARP entries pinging every pair of the lab
// takes: on each IPv4 subnet of k addressed ends, each learns the k-1
// others.
func (l *Lab) neighbourNeed() int {
	ends := map[netip.Prefix]int{}
	for _, h := range l.hosts {
		for _, e := range h.ends {
			if e.Addr.IsValid() && e.Addr.Addr().Is4() {
				ends[e.Addr.Masked()]++
			}
		}
	}
	need := 0
	for _, k := range ends {
		need += k * (k - 1)
	}
	return need
}

// neighbourLimit reads the kernel's gc_thresh3, or 0 when it cannot.
func neighbourLimit() int {
	b, err := os.ReadFile(gcThresh3)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// PingHint explains pings that failed because the lab outgrew the
// kernel's neighbour table, whose limit (gc_thresh3, 0 if unknown) all
// namespaces share: "" when every IPv4 ping was answered or the lab fits.
func (l *Lab) PingHint(pings []Ping, limit int) string {
	failed := false
	for _, p := range pings {
		failed = failed || !p.OK && p.Addr.Is4()
	}
	need := l.neighbourNeed()
	if !failed || limit <= 0 || need <= limit {
		return ""
	}
	return fmt.Sprintf("the lab needs about %d ARP entries, and the kernel keeps at most %d for all namespaces together "+
		"(net.ipv4.neigh.default.gc_thresh3): raise it for labs this big, as root: sysctl -w net.ipv4.neigh.default.gc_thresh3=%d",
		need, limit, 2*(need+limit))
}
