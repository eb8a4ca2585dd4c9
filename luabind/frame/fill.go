package frame

import (
	"fmt"
	"net"
	"net/netip"
)

// An AddrSource answers what Fill asks of the interface a frame leaves
// by, in its namespace. It keeps frame free of netlink: the packet and
// rawip sockets hand in one built on the kernel's routes and neighbours.
type AddrSource interface {
	// LinkAddr is the interface's own MAC (nil when it has none).
	LinkAddr() net.HardwareAddr
	// Source is the source address the kernel's route to dst picks.
	Source(dst netip.Addr) (netip.Addr, error)
	// MAC is the link address a frame to dst goes to: the next hop's,
	// or a broadcast or multicast address.
	MAC(dst netip.Addr) (net.HardwareAddr, error)
}

// arpWhoHas is the op of an ARP request.
const arpWhoHas = 1

// Fill fills in the addresses the script left unset, as Scapy does when
// it sends: in the first Ethernet layer, src is the interface's MAC and
// dst the next hop's MAC toward the first network layer's dst; in the
// first IPv4 or IPv6 layer, src is the source the route to dst picks; in
// an ARP layer, hwsrc is the interface's MAC and psrc the source the
// route to pdst picks. One choice differs from Scapy: above an ARP
// request ether.dst is broadcast, as arping sends it, where Scapy first
// resolves pdst by an ARP request of its own (and falls back to
// broadcast). A field given is never changed, and neither are the layers:
// each one Fill fills is replaced in the slice by a filled copy.
func Fill(layers []*Layer, src AddrSource) error {
	nw := -1 // the first IPv4, IPv6 or ARP layer
	for i, l := range layers {
		if l.Proto == IPv4 || l.Proto == IPv6 || l.Proto == ARP {
			nw = i
			break
		}
	}
	if nw >= 0 {
		if err := fillNet(layers, nw, src); err != nil {
			return err
		}
	}
	for i, l := range layers {
		if l.Proto == Ether {
			return fillEther(layers, i, nw, src)
		}
	}
	return nil
}

// fillNet fills the network layer at i: its source address, and an ARP
// layer's hardware source.
func fillNet(layers []*Layer, i int, src AddrSource) error {
	l := layers[i]
	srcField, dstField := ipSrc, ipDst
	switch l.Proto {
	case IPv6:
		srcField, dstField = v6Src, v6Dst
	case ARP:
		srcField, dstField = arpPsrc, arpPdst
	}
	var a netip.Addr
	if dst := l.Addr(dstField); !l.Given(srcField) && !dst.IsUnspecified() {
		var err error
		if a, err = src.Source(dst); err != nil {
			return err
		}
		if a.Is4() != dst.Is4() {
			return fmt.Errorf("route to %s: source %s of another family", dst, a)
		}
	}
	hw := l.Proto == ARP && !l.Given(arpHwsrc) && src.LinkAddr() != nil
	if !a.IsValid() && !hw {
		return nil
	}
	l = own(layers, i)
	if a.IsValid() {
		l.setAddr(&l.Proto.Fields[srcField], a)
	}
	if hw {
		l.put(arpHwsrc, macValue(src.LinkAddr()))
	}
	return nil
}

// fillEther fills the Ethernet layer at i; nw is the network layer's
// index, or -1.
func fillEther(layers []*Layer, i, nw int, src AddrSource) error {
	l := layers[i]
	fillSrc := !l.Given(ethSrc) && src.LinkAddr() != nil
	var dst net.HardwareAddr
	if !l.Given(ethDst) && nw > i { // else the default, broadcast, stays
		var err error
		if dst, err = nextHopMAC(layers[nw], src); err != nil {
			return err
		}
	}
	if !fillSrc && dst == nil {
		return nil
	}
	l = own(layers, i)
	if fillSrc {
		l.put(ethSrc, macValue(src.LinkAddr()))
	}
	if dst != nil {
		l.put(ethDst, macValue(dst))
	}
	return nil
}

// nextHopMAC is where a frame carrying network layer l goes.
func nextHopMAC(l *Layer, src AddrSource) (net.HardwareAddr, error) {
	switch l.Proto {
	case IPv4:
		return src.MAC(l.Addr(ipDst))
	case IPv6:
		return src.MAC(l.Addr(v6Dst))
	}
	if l.Uint(arpOp) == arpWhoHas {
		return net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, nil // to broadcast, as arping asks
	}
	return src.MAC(l.Addr(arpPdst))
}

// own replaces layers[i] by a copy, which it returns, so that filling
// leaves the script's layer as it was.
func own(layers []*Layer, i int) *Layer {
	c := *layers[i]
	layers[i] = &c
	return &c
}

// macValue is mac as a MAC field holds it, in the low 48 bits.
func macValue(mac net.HardwareAddr) uint64 {
	var v uint64
	for _, b := range mac {
		v = v<<8 | uint64(b)
	}
	return v
}

// FillDst sets the dst of the first IPv4 or IPv6 layer to dst when the
// script left it unset and dst is of its family: a raw IP socket's
// packet given as layers goes to the address sendto names.
func FillDst(layers []*Layer, dst netip.Addr) {
	for i, l := range layers {
		if l.Proto != IPv4 && l.Proto != IPv6 {
			continue
		}
		f := ipDst
		if l.Proto == IPv6 {
			f = v6Dst
		}
		if !l.Given(f) && dst.Is4() == (l.Proto == IPv4) {
			l = own(layers, i)
			l.setAddr(&l.Proto.Fields[f], dst)
		}
		return
	}
}

// Memo returns src with its answers kept, errors too, for as long as the
// returned value lives. An sr call fills many frames toward a few
// destinations, and each of src's answers is a netlink round trip (and
// a silent next hop a whole resolution timeout): with Memo each
// destination costs one.
func Memo(src AddrSource) AddrSource {
	return &memo{AddrSource: src, sources: map[netip.Addr]answer[netip.Addr]{}, macs: map[netip.Addr]answer[net.HardwareAddr]{}}
}

// memo is Memo's AddrSource.
type memo struct {
	AddrSource
	sources map[netip.Addr]answer[netip.Addr]
	macs    map[netip.Addr]answer[net.HardwareAddr]
}

// answer is what an AddrSource said of one destination.
type answer[T any] struct {
	v   T
	err error
}

// Source implements AddrSource.
func (m *memo) Source(dst netip.Addr) (netip.Addr, error) {
	return recall(m.sources, dst, m.AddrSource.Source)
}

// MAC implements AddrSource.
func (m *memo) MAC(dst netip.Addr) (net.HardwareAddr, error) {
	return recall(m.macs, dst, m.AddrSource.MAC)
}

// recall is ask(dst), asked once.
func recall[T any](seen map[netip.Addr]answer[T], dst netip.Addr, ask func(netip.Addr) (T, error)) (T, error) {
	a, ok := seen[dst]
	if !ok {
		a.v, a.err = ask(dst)
		seen[dst] = a
	}
	return a.v, a.err
}
