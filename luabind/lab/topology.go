package lab

import (
	"fmt"
	"strings"
)

// A link as the topology views show it: two ends, listed once.
type linkView struct{ a, b *End }

// links lists every link of the lab once, in the order of its first
// end's host and interface.
func (l *Lab) links() []linkView {
	seen := map[*End]bool{}
	var ls []linkView
	for _, h := range l.hosts {
		for _, e := range h.ends {
			if seen[e] || e.Peer == nil {
				continue
			}
			seen[e], seen[e.Peer] = true, true
			ls = append(ls, linkView{e, e.Peer})
		}
	}
	return ls
}

// linkShaping describes the shaping of the link an end is on ("delay
// 10ms, rate 10Mbit/s"), each direction's when they differ, or "".
func linkShaping(e *End) string {
	out, _ := e.Shaping()
	if e.Peer == nil {
		return out.String()
	}
	back, _ := e.Peer.Shaping()
	switch {
	case out == back:
		return out.String()
	case back.IsZero():
		return e.Host.name + " out: " + out.String()
	case out.IsZero():
		return e.Peer.Host.name + " out: " + back.String()
	}
	return e.Host.name + " out: " + out.String() + "; " + e.Peer.Host.name + " out: " + back.String()
}

// Show describes the lab as text: each host with its role and its
// interfaces (MAC, addresses, what the other end is), then the links.
func (l *Lab) Show() string {
	var b strings.Builder
	ls := l.links()
	fmt.Fprintf(&b, "lab: %d hosts, %d links\n", len(l.hosts), len(ls))
	for _, h := range l.hosts {
		fmt.Fprintf(&b, "%s (%s)\n", h.name, h.Kind())
		for _, e := range h.ends {
			fmt.Fprintf(&b, "  %s %s", e.Ifname, e.MAC)
			for _, p := range endAddrs(e) {
				fmt.Fprintf(&b, " %s", p)
			}
			fmt.Fprintf(&b, " -> %s %s\n", e.Peer.Host.name, e.Peer.Ifname)
		}
	}
	for _, lv := range ls {
		fmt.Fprintf(&b, "link %s:%s -- %s:%s", lv.a.Host.name, lv.a.Ifname, lv.b.Host.name, lv.b.Ifname)
		if s := linkShaping(lv.a); s != "" {
			b.WriteString(" " + s)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// DOT describes the lab in Graphviz's DOT language, as an undirected
// graph: a node per host (boxes for hosts, ovals for routers, diamonds
// for switches, each labelled with its name and role), an edge per link
// with each end's interface and addresses at its side and the link's
// shaping, if any, in the middle.
func (l *Lab) DOT() string {
	var b strings.Builder
	// Room between nodes and labels away from them: a port's name and
	// addresses sit at its end of the edge.
	b.WriteString("graph lab {\n\tgraph [overlap=false, nodesep=1.2, ranksep=1.0];\n\tnode [fontname=\"monospace\"];\n" +
		"\tedge [fontname=\"monospace\", fontsize=9, labelfontsize=9, labeldistance=2.5];\n")
	shapes := map[string]string{"host": "box", "router": "oval", "switch": "diamond"}
	for _, h := range l.hosts {
		kind := h.Kind()
		fmt.Fprintf(&b, "\t%s [label=%s, shape=%s];\n", dotQuote(h.name), dotQuote(h.name+"\n"+kind), shapes[kind])
	}
	for _, lv := range l.links() {
		fmt.Fprintf(&b, "\t%s -- %s [taillabel=%s, headlabel=%s",
			dotQuote(lv.a.Host.name), dotQuote(lv.b.Host.name), dotQuote(endLabel(lv.a)), dotQuote(endLabel(lv.b)))
		if s := linkShaping(lv.a); s != "" {
			fmt.Fprintf(&b, ", label=%s", dotQuote(s))
		}
		b.WriteString("];\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// endLabel is an end's interface and addresses, a line each.
func endLabel(e *End) string {
	parts := []string{e.Ifname}
	for _, p := range endAddrs(e) {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, "\n")
}

// dotQuote is s as a DOT quoted string: quotes and backslashes escaped,
// newlines as DOT's \n line break.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
