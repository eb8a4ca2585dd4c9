package netlink

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// A nameTable names the values of a small kernel enumeration, as ip(8)
// prints them (/etc/iproute2/rt_protos, rt_scopes, rt_tables).
type nameTable map[uint32]string

// name is v's name, or v in decimal when it has none.
func (t nameTable) name(v uint32) string {
	if s, ok := t[v]; ok {
		return s
	}
	return strconv.FormatUint(uint64(v), 10)
}

// parse reads a name of the table or a decimal number up to max.
func (t nameTable) parse(s string, max uint32) (uint32, error) {
	for v, name := range t {
		if name == s {
			return v, nil
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || uint32(n) > max {
		return 0, fmt.Errorf("%q is not a number up to %d or one of %s", s, max, t.names())
	}
	return uint32(n), nil
}

// names lists the table's names, sorted.
func (t nameTable) names() string {
	names := make([]string, 0, len(t))
	for _, n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// protocols names who installed a route (rtm_protocol).
var protocols = nameTable{
	unix.RTPROT_UNSPEC: "unspec", unix.RTPROT_REDIRECT: "redirect", unix.RTPROT_KERNEL: "kernel",
	unix.RTPROT_BOOT: "boot", unix.RTPROT_STATIC: "static", unix.RTPROT_GATED: "gated",
	unix.RTPROT_RA: "ra", unix.RTPROT_MRT: "mrt", unix.RTPROT_ZEBRA: "zebra",
	unix.RTPROT_BIRD: "bird", unix.RTPROT_DNROUTED: "dnrouted", unix.RTPROT_XORP: "xorp",
	unix.RTPROT_NTK: "ntk", unix.RTPROT_DHCP: "dhcp", unix.RTPROT_MROUTED: "mrouted",
	unix.RTPROT_KEEPALIVED: "keepalived", unix.RTPROT_BABEL: "babel", unix.RTPROT_OPENR: "openr",
	unix.RTPROT_BGP: "bgp", unix.RTPROT_ISIS: "isis", unix.RTPROT_OSPF: "ospf",
	unix.RTPROT_RIP: "rip", unix.RTPROT_EIGRP: "eigrp",
}

// scopes names how far a route or an address reaches.
var scopes = nameTable{
	unix.RT_SCOPE_UNIVERSE: "global", unix.RT_SCOPE_SITE: "site", unix.RT_SCOPE_LINK: "link",
	unix.RT_SCOPE_HOST: "host", unix.RT_SCOPE_NOWHERE: "nowhere",
}

// routeTypes names what a route does with packets (rtm_type).
var routeTypes = nameTable{
	unix.RTN_UNSPEC: "unspec", unix.RTN_UNICAST: "unicast", unix.RTN_LOCAL: "local",
	unix.RTN_BROADCAST: "broadcast", unix.RTN_ANYCAST: "anycast", unix.RTN_MULTICAST: "multicast",
	unix.RTN_BLACKHOLE: "blackhole", unix.RTN_UNREACHABLE: "unreachable", unix.RTN_PROHIBIT: "prohibit",
	unix.RTN_THROW: "throw", unix.RTN_NAT: "nat", unix.RTN_XRESOLVE: "xresolve",
}

// tables names the routing tables every kernel has.
var tables = nameTable{
	unix.RT_TABLE_DEFAULT: "default", unix.RT_TABLE_MAIN: "main", unix.RT_TABLE_LOCAL: "local",
}

// operStates names IFLA_OPERSTATE (RFC 2863) as ip prints it.
var operStates = []string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"}

// operState names an operational state.
func operState(s uint8) string {
	if int(s) < len(operStates) {
		return operStates[s]
	}
	return strconv.Itoa(int(s))
}

// neighStates names the NUD_* bits of a neighbour entry, in bit order.
var neighStates = []string{"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"}

// neighState names the state bits s as ip does, joined by commas: "REACHABLE".
func neighState(s uint16) string {
	if s == 0 {
		return "NONE"
	}
	var names []string
	for i, name := range neighStates {
		if s&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return strings.Join(names, ",")
}

// family is the IP version of an address family: 4, 6, or 0 for others.
func family(af int) int {
	switch af {
	case unix.AF_INET:
		return 4
	case unix.AF_INET6:
		return 6
	}
	return 0
}

// addressFamily is the address family of IP version v (0: AF_UNSPEC).
func addressFamily(v int) int {
	switch v {
	case 4:
		return unix.AF_INET
	case 6:
		return unix.AF_INET6
	}
	return unix.AF_UNSPEC
}
