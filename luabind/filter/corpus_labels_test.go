package filter

import "encoding/binary"

// Corpus frames for the primitives of issue 18: MPLS label stacks (also
// behind a VLAN tag, and on the multicast EtherType "mpls" does not
// match), 802.2 headers of every frame format and command "llc" names,
// IPv4 to the all-zeros and all-ones addresses ("ip broadcast"), and
// PPPoE sessions carrying IPv4, IPv6, LCP and MPLS.

// mplsEntry is one label stack entry: label, TC 0, bottom of stack, TTL 64.
func mplsEntry(label uint32, bottom bool) []byte {
	v := label<<12 | 64
	if bottom {
		v |= 1 << 8
	}
	return binary.BigEndian.AppendUint32(nil, v)
}

// mplsStack is the entries of labels, the last one the bottom.
func mplsStack(labels ...uint32) []byte {
	var out []byte
	for i, l := range labels {
		out = append(out, mplsEntry(l, i == len(labels)-1)...)
	}
	return out
}

func addLabels(add func(string, []byte)) {
	tcp80 := v4("10.0.0.1", "10.0.0.2", 6, tcp(1234, 80, fSYN, nil))
	udp53 := v4("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, []byte("q")))
	six443 := ip6("2001:db8::1", "2001:db8::2", 6, tcp(5000, 443, fSYN, nil))
	add("mpls 100 ipv4 tcp 80", eth(macB, macA, 0x8847, cat(mplsStack(100), tcp80)))
	add("mpls 1/2 ipv4 udp 53", eth(macB, macA, 0x8847, cat(mplsStack(1, 2), udp53)))
	add("mpls 16/17/18 ipv6 tcp 443", eth(macB, macA, 0x8847, cat(mplsStack(16, 17, 18), six443)))
	add("mpls 1048575 ipv6 udp 53", eth(macB, macA, 0x8847, cat(mplsStack(0xfffff),
		ip6("2001:db8::1", "2001:db8::2", 17, udp(5000, 53, []byte("q"))))))
	add("mpls 5 then ethernet pseudowire", pad(eth(macB, macA, 0x8847, cat(mplsStack(5), repeat(0, 4), mac(macA), mac(macB)))))
	add("mpls 7 not bottom, truncated", eth(macB, macA, 0x8847, mplsEntry(7, false)))
	add("mpls 100/2 ipv4 to 255.255.255.255", eth(macBC, macA, 0x8847, cat(mplsStack(100, 2),
		v4("10.0.0.1", "255.255.255.255", 17, udp(68, 67, repeat(0, 8))))))
	add("mpls 100/200 ipv4 icmp", eth(macB, macA, 0x8847, cat(mplsStack(100, 200), v4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0)))))
	add("mpls multicast ethertype 100 ipv4", eth(macB, macA, 0x8848, cat(mplsStack(100), tcp80)))
	add("vlan 10 mpls 200 ipv4 tcp 80", tagged(macB, macA, [][2]uint16{{0x8100, 10}}, 0x8847, cat(mplsStack(200), tcp80)))
	add("ipv4 udp to 0.0.0.0", pad(eth(macB, macA, 0x0800, v4("10.0.0.1", "0.0.0.0", 17, udp(1, 2, nil)))))
	add("ipv4 udp to 10.255.255.255", pad(eth(macBC, macA, 0x0800, v4("10.0.0.1", "10.255.255.255", 17, udp(1, 2, nil)))))
	sess := func(id uint16, ppp uint16, payload []byte) []byte {
		return cat([]byte{0x11, 0}, be16(id), be16(uint16(len(payload)+2)), be16(ppp), payload)
	}
	add("pppoes 0x1234 ipv6 udp 53", eth(macB, macA, 0x8864, sess(0x1234, 0x0057,
		ip6("2001:db8::1", "2001:db8::2", 17, udp(5000, 53, []byte("q"))))))
	add("pppoes 7 ipv4 tcp 80", eth(macB, macA, 0x8864, sess(7, 0x0021, tcp80)))
	add("pppoes 7 lcp", pad(eth(macB, macA, 0x8864, sess(7, 0xc021, []byte{1, 1, 0, 4}))))
	add("vlan 10 pppoes 5 ipv4 udp 53", tagged(macB, macA, [][2]uint16{{0x8100, 10}}, 0x8864, sess(5, 0x0021, udp53)))
	add("pppoes 9 mpls 100 ipv4 tcp 80", eth(macB, macA, 0x8864, sess(9, 0x0281, cat(mplsStack(100), tcp80))))
	for _, c := range []struct {
		name string
		ctrl []byte
	}{
		{"i", []byte{0x00, 0x02}}, {"i with n(s) 5", []byte{0x0a, 0x03}}, {"s rr", []byte{0x01, 0x00}},
		{"s rnr", []byte{0x05, 0x01}}, {"s rej", []byte{0x09, 0x00}}, {"u ui", []byte{0x03}},
		{"u ui with poll", []byte{0x13}}, {"u ua", []byte{0x73}}, {"u disc", []byte{0x43}},
		{"u dm", []byte{0x0f}}, {"u sabme", []byte{0x7f}}, {"u test", []byte{0xe3}},
		{"u xid", []byte{0xaf}}, {"u frmr", []byte{0x87}},
	} {
		add("llc sna "+c.name, pad(llc(macB, macA, cat([]byte{0x04, 0x04}, c.ctrl, repeat(0, 20)))))
	}
}
