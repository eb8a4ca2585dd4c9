package filter

import "fmt"

// PPPoE sessions (libpcap's gen_pppoes and ethertype_to_ppptype).

const (
	etherPPPoES = 0x8864
	pppMPLS     = 0x0281 // PPP's protocol number of unicast MPLS
)

// pppTypes are the EtherTypes and SAPs PPP numbers otherwise; the rest
// are tested as written.
var pppTypes = map[uint32]uint32{
	etherIP: 0x0021, etherIPv6: 0x0057, etherDECnet: 0x0027, etherATalk: 0x0029,
	0x0600: 0x0025, sapISO: 0x0023, sapSTP: 0x0031, sapIPX: 0x002b,
}

// pppType is the PPP protocol number of an EtherType or SAP.
func pppType(v uint32) uint32 {
	if t, ok := pppTypes[v]; ok {
		return t
	}
	return v
}

// pppoes matches PPPoE session frames, of session id if given; then the
// link is PPP: its 2-byte protocol field, 6 bytes into the PPPoE header,
// is the type later tests check, and the network header follows it.
func (g *gen) pppoes(n *pppoesNode) cond {
	if n.hasID && n.id > 0xffff {
		fail(n.at, "PPPoE session number %d greater than maximum 65535", n.id)
	}
	c := g.linkType(etherPPPoES) // refused after mpls, as in libpcap
	if g.vary {
		// A live program's varying offsets would have to move too.
		unsupported(n.at, "'pppoes' after a live 'vlan' is not supported")
	}
	if n.hasID {
		c = and(c, g.mcmp(orLinkPL, 0, 4, n.id, 0xffff))
	}
	g.offLinkHdr = g.offLinkPL + 6
	g.offLinkType = g.offLinkHdr
	g.offLinkPL = g.offLinkHdr + 2
	g.offNoSnap = 0
	g.ppp = true
	return c
}

// pppoesPhrase explains "pppoes [id]".
func pppoesPhrase(n *pppoesNode) string {
	s := "PPPoE session frames"
	if n.hasID {
		s = fmt.Sprintf("PPPoE session %d", n.id)
	}
	return s + "; every test written after this looks inside the PPP frame"
}
