package netlink

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// Groups is a set of the rtnetlink multicast groups a Watcher joins.
type Groups uint8

// The groups a watcher can join.
const (
	GroupLink Groups = 1 << iota
	GroupAddr4
	GroupAddr6
	GroupRoute4
	GroupRoute6
	GroupNeigh
)

// groupNames are the names scripts give groups.
var groupNames = map[string]Groups{
	"link":   GroupLink,
	"addr":   GroupAddr4 | GroupAddr6,
	"addr4":  GroupAddr4,
	"addr6":  GroupAddr6,
	"route":  GroupRoute4 | GroupRoute6,
	"route4": GroupRoute4,
	"route6": GroupRoute6,
	"neigh":  GroupNeigh,
}

// GroupNames lists the group names, sorted.
func GroupNames() []string {
	names := make([]string, 0, len(groupNames))
	for n := range groupNames {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ParseGroup reads a group name: link, addr, addr4, addr6, route,
// route4, route6 or neigh.
func ParseGroup(name string) (Groups, error) {
	if g, ok := groupNames[name]; ok {
		return g, nil
	}
	return 0, fmt.Errorf("unknown group '%s', have: %s", name, strings.Join(GroupNames(), ", "))
}

// String lists the groups by name, the pairs as one: "link,route".
func (g Groups) String() string {
	var names []string
	for _, n := range []string{"link", "addr", "addr4", "addr6", "route", "route4", "route6", "neigh"} {
		if want := groupNames[n]; g&want == want {
			names = append(names, n)
			g &^= want
		}
	}
	return strings.Join(names, ",")
}

// mask is the legacy RTMGRP_* bitmask to bind to. The link group is
// always joined: the watcher names interfaces from it and sees links go
// down.
func (g Groups) mask() uint32 {
	m := uint32(unix.RTMGRP_LINK)
	for bit, grp := range map[Groups]uint32{
		GroupAddr4: unix.RTMGRP_IPV4_IFADDR, GroupAddr6: unix.RTMGRP_IPV6_IFADDR,
		GroupRoute4: unix.RTMGRP_IPV4_ROUTE, GroupRoute6: unix.RTMGRP_IPV6_ROUTE,
		GroupNeigh: unix.RTMGRP_NEIGH,
	} {
		if g&bit != 0 {
			m |= grp
		}
	}
	return m
}

// family is the IP version a dump of the groups v4 and v6 asks for: 0 for
// both, 4 or 6 for one, -1 when g has neither.
func (g Groups) family(v4, v6 Groups) int {
	switch {
	case g&v4 != 0 && g&v6 != 0:
		return 0
	case g&v4 != 0:
		return 4
	case g&v6 != 0:
		return 6
	}
	return -1
}

// delivers reports whether a script watching g gets ev: the watcher's own
// events always, link events only when it asked for links (the others
// come only from groups it joined).
func (g Groups) delivers(ev *Event) bool {
	return ev.Kind != "link" || g&GroupLink != 0
}
