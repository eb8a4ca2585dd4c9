package frame

import (
	"fmt"
	"net/netip"
)

// VRRP's addrlist follows the IP version below, as Scapy 2.5's VRRPv3
// has it (a MultipleTypeField on its underlayer): IPv4 addresses under
// IPv4, IPv6 addresses under IPv6. Version 2 (Scapy's VRRP) has IPv4
// addresses under either. The layer keeps each address with its family,
// a byte 4 or 6 then its 4 or 16 bytes, for the family is known only
// from the layer below: parse has it from the binding (vrrpOverIPv6),
// build from the layer the builder finds below. Raw bytes given for the
// list are a byte 0 then the bytes, written as they are.
//
// Not as Scapy, and why: an address of the other family (an IPv6 address
// under IPv4, an IPv4 one under IPv6 version 3) makes Scapy fail; netlua
// writes an IPv6 address in its 16 bytes wherever it is, and an IPv4 one
// as ::ffff:a.b.c.d under IPv6.

// vrrpAddrList is the codec of VRRP's addrlist: {"198.18.0.1", ...} or
// {"2001:2::1", ...}.
type vrrpAddrList struct{}

// Encode keeps each address with its family.
func (vrrpAddrList) Encode(dst []byte, items []Item) ([]byte, error) {
	for n, it := range items {
		s, ok := it.Value(0).(string)
		a, err := netip.ParseAddr(s)
		if !ok || err != nil || a.Zone() != "" || len(it.Values) != 1 || len(it.Fields) > 0 {
			return nil, itemErr(n, fmt.Errorf(`want an IP address like "198.18.0.1" or "2001:2::1", got %s`, valueText(it.Value(0))))
		}
		if a.Is4() {
			b := a.As4()
			dst = append(append(dst, 4), b[:]...)
		} else {
			b := a.As16()
			dst = append(append(dst, 6), b[:]...)
		}
	}
	return dst, nil
}

// Decode reads the addresses as Encode keeps them.
func (vrrpAddrList) Decode(data []byte) []Item {
	var items []Item
	for len(data) > 0 {
		var a netip.Addr
		switch {
		case data[0] == 4 && len(data) >= 5:
			a, data = netip.AddrFrom4([4]byte(data[1:5])), data[5:]
		case data[0] == 6 && len(data) >= 17:
			a, data = netip.AddrFrom16([16]byte(data[1:17])), data[17:]
		default: // raw bytes (FromRaw)
			return append(items, Item{Values: []any{string(data[1:])}})
		}
		items = append(items, Item{Values: []any{a.String()}})
	}
	return items
}

// Form shows the items' form.
func (vrrpAddrList) Form() string {
	return `a list of IP addresses, IPv4 under IPv4 and IPv6 under IPv6 (version 3), like {"198.18.0.1"} (parse returns {{"198.18.0.1"}})`
}

// FromRaw keeps raw bytes given for the list: they are written as given.
func (vrrpAddrList) FromRaw(b []byte) []byte { return append([]byte{0}, b...) }

// vrrpAddrs returns the n addresses of size bytes at the start of d in
// the codec's form.
func vrrpAddrs(d []byte, n, size int) []byte {
	out := make([]byte, 0, n*(size+1))
	for k := range n {
		out = append(out, byte(4+2*(size/16)))
		out = append(out, d[k*size:(k+1)*size]...)
	}
	return out
}

// vrrpCount is the number of addresses a layer holds; raw bytes count
// as addresses of 16 bytes when v6 (version 3 under IPv6), else of 4.
func vrrpCount(data []byte, v6 bool) (n int) {
	for len(data) > 0 {
		switch data[0] {
		case 4:
			data = data[min(5, len(data)):]
		case 6:
			data = data[min(17, len(data)):]
		default:
			if v6 {
				return n + (len(data)-1)/16
			}
			return n + (len(data)-1)/4
		}
		n++
	}
	return n
}

// writeVRRPAddrs writes the addresses, 16 bytes each when v6 (version 3
// under IPv6), else IPv4 ones in 4 bytes and IPv6 ones in 16.
func writeVRRPAddrs(b *Builder, data []byte, v6 bool) {
	for _, it := range (vrrpAddrList{}).Decode(data) {
		a, err := netip.ParseAddr(it.Values[0].(string))
		if err != nil { // raw bytes
			b.buf = append(b.buf, it.Values[0].(string)...)
			continue
		}
		if a.Is4() && !v6 {
			b4 := a.As4()
			b.buf = append(b.buf, b4[:]...)
			continue
		}
		b16 := a.As16()
		b.buf = append(b.buf, b16[:]...)
	}
}

// vrrpOverIPv6 is VRRP as parse meets it above IPv6: its decoder reads
// version 3's addresses as IPv6, and the layer it makes is a vrrp layer
// (the defaults it starts from are VRRP's). It is no protocol of its own:
// only IPv6's parse binding names it.
var vrrpOverIPv6 = new(Proto)

// vrrpIPv6Binds binds VRRP on IPv6: parse through vrrpOverIPv6, build
// with nh 112, as Scapy's bind_layers(IPv6, VRRPv3, nh=112). vrrpBinds
// calls it.
func vrrpIPv6Binds() {
	*vrrpOverIPv6 = *VRRP
	vrrpOverIPv6.decode = func(l *Layer, d []byte) (decoded, error) { return decodeVRRPOn(l, d, true) }
	IPv6.binds = append(IPv6.binds,
		Binding{Field: v6NH, Value: protoVRRP, Upper: vrrpOverIPv6, parseOnly: true},
		Binding{Field: v6NH, Value: protoVRRP, Upper: VRRP})
}
