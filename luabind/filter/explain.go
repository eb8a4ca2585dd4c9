package filter

import (
	"fmt"
	"strings"
)

// Explain says in words what the program matches, as an outline:
// "all of:" and "any of:" over indented lines, one per primitive.
func (p *Program) Explain() string {
	if p.tree == nil {
		return "every frame\n"
	}
	var b strings.Builder
	explainNode(&b, p.tree, 0)
	return b.String()
}

// explainNode writes n at an indentation depth.
func explainNode(b *strings.Builder, n node, depth int) {
	pad := strings.Repeat("  ", depth)
	switch n := n.(type) {
	case *binaryNode:
		b.WriteString(pad + map[tokKind]string{tAnd: "all of:", tOr: "any of:"}[n.op] + "\n")
		for _, part := range flatten(n, n.op) {
			explainNode(b, part, depth+1)
		}
	case *notNode:
		b.WriteString(pad + "not:\n")
		explainNode(b, n.x, depth+1)
	default:
		b.WriteString(pad + phrase(n) + "\n")
	}
}

// flatten lists the operands of a chain of the same operator.
func flatten(n node, op tokKind) []node {
	if bn, ok := n.(*binaryNode); ok && bn.op == op {
		return append(flatten(bn.l, op), flatten(bn.r, op)...)
	}
	return []node{n}
}

// protoWords name protocols for people.
var protoWords = map[proto]string{
	pDefault: "", pLink: "Ethernet", pIP: "IPv4", pARP: "ARP", pRARP: "RARP", pIPv6: "IPv6",
	pTCP: "TCP", pUDP: "UDP", pSCTP: "SCTP", pICMP: "ICMP", pICMPv6: "ICMPv6", pIGMP: "IGMP",
	pIGRP: "IGRP", pPIM: "PIM", pVRRP: "VRRP", pCARP: "CARP", pAH: "IPsec AH", pESP: "IPsec ESP",
}

func protoWord(p proto) string {
	if w, ok := protoWords[p]; ok {
		return w
	}
	return p.String()
}

// phrase describes one primitive.
func phrase(n node) string {
	switch n := n.(type) {
	case *abbrevNode:
		return abbrevPhrase(n.proto)
	case *primNode:
		return primPhrase(n)
	case *relNode:
		return fmt.Sprintf("%s %s %s", arithText(n.l), relWords[n.op], arithText(n.r))
	case *lenNode:
		if n.greater {
			return fmt.Sprintf("frames of %d bytes or more", n.n)
		}
		return fmt.Sprintf("frames of %d bytes or fewer", n.n)
	case *byteNode:
		return fmt.Sprintf("byte %d of the frame %s %d", n.idx, relWords[n.op.kind], n.val)
	case *castNode:
		return castPhrase(n)
	case *vlanNode:
		s := "VLAN-tagged frames (802.1Q, 802.1ad or QinQ)"
		if n.hasID {
			s = fmt.Sprintf("frames tagged with VLAN ID %d", n.id)
		}
		return s + "; every test written after this looks inside the tag"
	case *pppoedNode:
		return "PPPoE discovery frames"
	case *mplsNode:
		return mplsPhrase(n)
	case *llcNode:
		return llcPhrase(n)
	case *pppoesNode:
		return pppoesPhrase(n)
	case *geneveNode:
		return genevePhrase(n)
	}
	return "?"
}

var relWords = map[tokKind]string{tEq: "=", tNeq: "!=", tLt: "<", tLeq: "<=", tGt: ">", tGeq: ">="}

func abbrevPhrase(p proto) string {
	switch p {
	case pTCP, pUDP, pSCTP, pPIM, pAH, pESP:
		return protoWord(p) + " over IPv4 or IPv6 (also after an IPv6 fragment header)"
	case pICMP, pIGMP, pIGRP, pVRRP, pCARP:
		return protoWord(p) + " over IPv4"
	case pICMPv6:
		return "ICMPv6 (also after an IPv6 fragment header)"
	}
	return protoWord(p) + " frames"
}

// primPhrase describes a value with its qualifiers.
func primPhrase(n *primNode) string {
	q, v := n.q, n.val
	text := v.tok.text
	if v.hasLen {
		text = fmt.Sprintf("%s/%d", text, v.masklen)
	} else if v.mask != nil {
		text += " mask " + v.mask.text
	}
	switch q.addr {
	case aPort, aPortrange:
		return portPhrase(q, text)
	case aProtochain:
		return protochainPhrase(q, text)
	case aProto:
		inside := protoWord(q.proto)
		if q.proto == pDefault {
			inside = "IPv4 or IPv6"
		}
		return fmt.Sprintf("%s carrying protocol %s", inside, text)
	}
	return addrPhrase(q, v, text)
}

func portPhrase(q qual, text string) string {
	protos := protoWord(q.proto)
	if q.proto == pDefault {
		protos = "TCP, UDP or SCTP"
	}
	what := "port"
	if q.addr == aPortrange {
		what = "ports"
	}
	return fmt.Sprintf("%s %s %s %s (IPv4 first fragments, or IPv6)", protos, dirWords[q.dir], what, text)
}

var dirWords = map[dir]string{dDefault: "source or destination", dSrc: "source", dDst: "destination",
	dSrcOrDst: "source or destination", dSrcAndDst: "source and destination"}

func addrPhrase(q qual, v value, text string) string {
	what := "host"
	if q.addr == aNet || v.hasLen || v.mask != nil {
		what = "network"
	}
	where := protoWord(q.proto)
	switch {
	case v.tok.kind == tEID:
		return fmt.Sprintf("Ethernet %s address %s", dirWords[q.dir], text)
	case v.tok.kind == tHID6:
		where = "IPv6"
	case q.proto == pDefault:
		where = "IPv4, ARP or RARP"
	}
	return fmt.Sprintf("%s %s %s %s", where, dirWords[q.dir], what, text)
}

func castPhrase(n *castNode) string {
	switch {
	case n.proto == pIP && !n.multicast:
		return "IPv4 broadcast (destination 0.0.0.0 or 255.255.255.255: netmask 0, as tcpdump -r)"
	case n.proto == pIP:
		return "IPv4 multicast (destination 224.0.0.0 and up)"
	case n.proto == pIPv6:
		return "IPv6 multicast (destination ff00::/8)"
	case n.multicast:
		return "Ethernet multicast or broadcast (group bit of the destination set)"
	}
	return "Ethernet broadcast (destination ff:ff:ff:ff:ff:ff)"
}

// arithText writes arithmetic back as an expression, loads in words.
func arithText(a arith) string {
	switch a := a.(type) {
	case *numArith:
		return a.tok.text
	case *lenArith:
		return "the frame's length"
	case *negArith:
		return "-" + arithText(a.x)
	case *loadArith:
		return fmt.Sprintf("the %s at offset %s of the %s", sizeWords[a.size], arithText(a.index), loadBase(a.proto))
	case *binArith:
		return fmt.Sprintf("(%s %s %s)", arithText(a.l), a.op.text, arithText(a.r))
	}
	return "?"
}

var sizeWords = map[uint32]string{1: "byte", 2: "16-bit word", 4: "32-bit word"}

func loadBase(p proto) string {
	switch {
	case p == pLink:
		return "frame"
	case transportProtos[p]:
		return protoWord(p) + " header (IPv4)"
	case p == pICMPv6:
		return "ICMPv6 header"
	}
	return protoWord(p) + " header"
}
