package lab

import (
	"fmt"
	"sort"
)

// A Spec describes a topology to build: hosts, switches and routers by
// name, and the links between them, as a course hands it out.
type Spec struct {
	Hosts, Switches, Routers []string
	Links                    []LinkSpec
}

// A LinkSpec is one link of a Spec, between the nodes called A and B.
// Opts go to the link function of Build untouched (lab:link's options
// in Lua: shaping, VLANs).
type LinkSpec struct {
	A, B string
	Opts any
}

// A LinkFunc links x and y with the options of a LinkSpec.
type LinkFunc func(x, y *Host, opts any) error

// Build makes the nodes of s, links them with link (nil: Link, which
// ignores Opts) and installs routes (see Route). Links between switches
// come first, so that a segment of several switches has one subnet
// whatever the order of s.Links. On failure the caller closes the lab.
func (l *Lab) Build(s Spec, link LinkFunc) error {
	if link == nil {
		link = func(x, y *Host, _ any) error {
			_, _, err := l.Link(x, y)
			return err
		}
	}
	if err := l.buildNodes(s); err != nil {
		return err
	}
	links := append([]LinkSpec(nil), s.Links...)
	sort.SliceStable(links, func(i, j int) bool {
		return l.trunkSpec(links[i]) && !l.trunkSpec(links[j])
	})
	for _, ls := range links {
		x, y := l.Named(ls.A), l.Named(ls.B)
		if x == nil || y == nil {
			return fmt.Errorf("link %s - %s: no node called %s", ls.A, ls.B, missing(ls, x))
		}
		if err := link(x, y, ls.Opts); err != nil {
			return err
		}
	}
	return l.Route()
}

// buildNodes makes the hosts, switches and routers of s.
func (l *Lab) buildNodes(s Spec) error {
	for _, name := range s.Hosts {
		if _, err := l.Host(name); err != nil {
			return err
		}
	}
	for _, name := range s.Switches {
		if _, err := l.Switch(name, SwitchOptions{}); err != nil {
			return err
		}
	}
	for _, name := range s.Routers {
		if _, err := l.Router(name); err != nil {
			return err
		}
	}
	return nil
}

// trunkSpec reports whether ls links two switches.
func (l *Lab) trunkSpec(ls LinkSpec) bool {
	x, y := l.Named(ls.A), l.Named(ls.B)
	return x != nil && y != nil && x.sw != nil && y.sw != nil
}

// missing is the name of ls that names no node, x being A's node.
func missing(ls LinkSpec, x *Host) string {
	if x == nil {
		return ls.A
	}
	return ls.B
}

// names is prefix1 ... prefixN.
func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

// Single is Mininet's single,n: hosts h1...hn on the switch s1.
func Single(n int) Spec {
	s := Spec{Hosts: names("h", n), Switches: []string{"s1"}}
	for _, h := range s.Hosts {
		s.Links = append(s.Links, LinkSpec{A: h, B: "s1"})
	}
	return s
}

// Linear is Mininet's linear,n: switches s1...sn in a chain, host hi on
// switch si; one segment, one subnet.
func Linear(n int) Spec {
	s := Spec{Hosts: names("h", n), Switches: names("s", n)}
	for i := range n {
		s.Links = append(s.Links, LinkSpec{A: s.Hosts[i], B: s.Switches[i]})
		if i > 0 {
			s.Links = append(s.Links, LinkSpec{A: s.Switches[i-1], B: s.Switches[i]})
		}
	}
	return s
}

// Tree is Mininet's tree,depth,fanout: a tree of switches depth levels
// deep, each with fanout children, hosts at the leaves, numbered as
// Mininet numbers them (switches in preorder, hosts left to right).
func Tree(depth, fanout int) Spec {
	var s Spec
	var add func(level int) string
	add = func(level int) string {
		if level == depth {
			s.Hosts = append(s.Hosts, fmt.Sprintf("h%d", len(s.Hosts)+1))
			return s.Hosts[len(s.Hosts)-1]
		}
		sw := fmt.Sprintf("s%d", len(s.Switches)+1)
		s.Switches = append(s.Switches, sw)
		for range fanout {
			s.Links = append(s.Links, LinkSpec{A: sw, B: add(level + 1)})
		}
		return sw
	}
	add(0)
	return s
}

// Ring is n routers r1...rn in a ring, router ri with host hi beside it.
// Routers, not switches: a ring of switches is a loop, which only STP
// (and its seconds of delay) would break.
func Ring(n int) Spec {
	s := Spec{Hosts: names("h", n), Routers: names("r", n)}
	for i := range n {
		s.Links = append(s.Links, LinkSpec{A: s.Hosts[i], B: s.Routers[i]})
	}
	for i := range n {
		s.Links = append(s.Links, LinkSpec{A: s.Routers[i], B: s.Routers[(i+1)%n]})
	}
	return s
}

// Dumbbell is left hosts on switch s1 behind router r1, right hosts on
// switch s2 behind router r2, and the bottleneck link r1 - r2, whose
// options are bottleneck. The routers link first, so each is .1 of its
// side's subnet.
func Dumbbell(left, right int, bottleneck any) Spec {
	s := Spec{Hosts: names("h", left+right), Switches: []string{"s1", "s2"}, Routers: []string{"r1", "r2"}}
	s.Links = []LinkSpec{{A: "r1", B: "s1"}, {A: "r2", B: "s2"}, {A: "r1", B: "r2", Opts: bottleneck}}
	for i, h := range s.Hosts {
		sw := "s1"
		if i >= left {
			sw = "s2"
		}
		s.Links = append(s.Links, LinkSpec{A: h, B: sw})
	}
	return s
}
