package filter

import "fmt"

// MPLS label stacks and 802.2 LLC headers (libpcap's gen_mpls,
// gen_mpls_linktype, gen_llc and gen_llc_*).

// prevMPLS is the offset of the label stack entry before the network
// header, -4 in 32-bit arithmetic (libpcap's OR_PREVMPLSHDR).
const prevMPLS = ^uint32(3)

// mpls matches an MPLS label stack entry, with its label if given: the
// first behind EtherType 0x8847, each later one behind an entry whose
// bottom-of-stack bit is clear. Then it moves the network offsets past
// the entry (libpcap's off_nl), so "mpls and ip" looks behind it.
func (g *gen) mpls(n *mplsNode) cond {
	if n.hasLabel && n.label > 0xfffff {
		fail(n.at, "MPLS label %d greater than maximum %d", n.label, 0xfffff)
	}
	var c cond
	switch {
	case g.mplsDepth > 0:
		c = g.mcmp(orLinkPL, prevMPLS+2, 1, 0, 0x01)
	case g.ppp:
		c = g.cmp(orLinkType, 0, 2, pppMPLS)
	default:
		c = g.linkType(etherMPLS)
	}
	if n.hasLabel {
		c = and(c, g.mcmp(orLinkPL, 0, 4, n.label<<12, 0xfffff000))
	}
	g.offLinkPL += 4
	g.mplsDepth++
	g.mplsAt = n.at
	return c
}

// mplsLinkType replaces an EtherType test after an MPLS label: the entry
// before is the bottom of the stack, and the version nibble says IPv4 or
// IPv6. libpcap knows no other protocol there.
func (g *gen) mplsLinkType(v uint32) cond {
	version := map[uint32]uint32{etherIP: 0x40, etherIPv6: 0x60}[v]
	if version == 0 {
		fail(g.mplsAt, "unsupported protocol over mpls")
	}
	return and(g.mcmp(orLinkPL, prevMPLS+2, 1, 0x01, 0x01), g.mcmp(orLinkPL, 0, 1, version, 0xf0))
}

// llcFormats are the frame formats "llc i", "llc s" and "llc u" test, as
// the low bits of the control byte (value, mask; "i" is bit 0 clear).
var llcFormats = map[string][2]uint32{"i": {0x00, 0x01}, "s": {0x01, 0x03}, "u": {0x03, 0x03}}

// llcCommands are the supervisory (mask 0x0f) and unnumbered (mask 0xef,
// the poll/final bit ignored) commands of libpcap's grammar.
var llcCommands = map[string][2]uint32{
	"rr": {0x01, 0x0f}, "rnr": {0x05, 0x0f}, "rej": {0x09, 0x0f},
	"ui": {0x03, 0xef}, "ua": {0x63, 0xef}, "disc": {0x43, 0xef}, "dm": {0x0f, 0xef},
	"sabme": {0x6f, 0xef}, "test": {0xe3, 0xef}, "xid": {0xaf, 0xef}, "frmr": {0x87, 0xef},
}

// llc matches an 802.3 frame with an 802.2 header (not Novell's raw
// 0xffff), and the type of its control byte if given.
func (g *gen) llc(n *llcNode) cond {
	if g.ppp {
		fail(0, "'llc' not supported for PPP")
	}
	// The 802.2 header is at the link payload, before any MPLS label
	// (libpcap's OR_LLC).
	llcOff := 0 - 4*g.mplsDepth
	c := and(not(g.cmpGT(orLinkType, 0, 2, etherMTU)), not(g.cmp(orLinkPL, llcOff, 2, 0xffff)))
	if !n.hasKind {
		return c
	}
	vm, ok := llcFormats[n.kind.text]
	if !ok {
		vm, ok = llcCommands[n.kind.text]
	}
	if !ok {
		fail(n.kind.pos, "unknown LLC type name \"%s\"", n.kind.text)
	}
	return and(c, g.mcmp(orLinkPL, llcOff+2, 1, vm[0], vm[1]))
}

// mplsPhrase explains "mpls [label]".
func mplsPhrase(n *mplsNode) string {
	s := "MPLS-labelled frames (EtherType 0x8847, or the next label of the stack)"
	if n.hasLabel {
		s = fmt.Sprintf("MPLS label %d (EtherType 0x8847, or the next label of the stack)", n.label)
	}
	return s + "; every test written after this looks behind the label"
}

// llcPhrase explains "llc [type]".
func llcPhrase(n *llcNode) string {
	if !n.hasKind {
		return "802.3 frames with an 802.2 LLC header (not Novell raw 802.3)"
	}
	return fmt.Sprintf("802.3 frames with an 802.2 LLC header of type %s", n.kind.text)
}
