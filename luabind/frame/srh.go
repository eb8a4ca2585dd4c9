package frame

import (
	"fmt"
	"net/netip"
)

// The segment routing header (RFC 8754): an IPv6 routing header of type 4,
// as Scapy 2.5's IPv6ExtHdrSegmentRouting lays it out. It is the ipv6_rh
// layer with type 4, whose 32 bits after segleft are lastentry, the flag
// bits and tag instead of reserved. Its addresses are the lastentry+1
// segments; the TLVs after them, bytes as they are, are a last
// {"Raw", bytes} item of the addresses list.
//
// As Scapy builds it: segleft and lastentry are the number of addresses
// less one (0 with none), and len, unless given, counts the header padded
// to 8 bytes with a PadN TLV, or with Scapy's 3-byte Pad1 TLV where one
// byte is missing (which leaves the header unaligned, as Scapy does). A
// TCP/UDP/ICMPv6 checksum covers the first address when segleft is not 0,
// as Scapy's in6_chksum. TLVs given as a {"Raw", bytes} item of 16 bytes
// or more need segleft and lastentry given: else they count as addresses.

const srhDoc = "type 4 is a segment routing header: lastentry (computed), unused1, protected, oam, alert, hmac, unused2, tag " +
	"instead of reserved, segleft computed as lastentry, the TLVs a last {\"Raw\", bytes} item of addresses"

// Field indexes of ipv6_rh's segment routing fields, and its type.
const (
	rhLastentry, rhUnused1, rhProtected, rhOAM, rhAlert, rhHMAC, rhUnused2, rhTag = 5, 6, 7, 8, 9, 10, 11, 12

	rhTypeSRH = 4
)

// rhPresent reports whether field i of a routing header is on the wire:
// reserved, or the segment routing fields, by type.
func rhPresent(l *Layer, i int) bool {
	srh := l.Uint(rhType) == rhTypeSRH
	switch {
	case i == rhReserved:
		return !srh
	case i >= rhLastentry && i <= rhTag:
		return srh
	}
	return true
}

// srhCount is the number of addresses in data, as lastentry (given or
// parsed) says, else all whole ones.
func srhCount(l *Layer, data []byte) int {
	if l.Given(rhLastentry) {
		return min(int(l.Uint(rhLastentry))+1, len(data)/16)
	}
	return len(data) / 16
}

func encodeSRH(b *Builder, i int) {
	data := b.layers[i].Bytes(rhAddresses)
	last := uint64(max(len(data)/16-1, 0)) // segleft and lastentry, unless given
	start := len(b.buf)
	b.u8(b.num(i, rhNH))
	b.u8(b.num(i, rhLen))
	b.u8(rhTypeSRH)
	for _, f := range []int{rhSegleft, rhLastentry} {
		if b.given(i, f) {
			b.u8(b.num(i, f))
		} else {
			b.u8(last)
		}
	}
	b.u8(b.num(i, rhUnused1)<<7 | b.num(i, rhProtected)<<6 | b.num(i, rhOAM)<<5 |
		b.num(i, rhAlert)<<4 | b.num(i, rhHMAC)<<3 | b.num(i, rhUnused2))
	b.u16(b.num(i, rhTag))
	b.buf = append(b.buf, data...)
	if b.given(i, rhLen) {
		return
	}
	switch pad := -(len(b.buf) - start) & 7; pad {
	case 0:
	case 1:
		b.buf = append(b.buf, 0, 1, 0) // Scapy's Pad1 TLV, built with its 1-byte padding
	default:
		b.buf = append(append(b.buf, 4, byte(pad-2)), make([]byte, pad-2)...)
	}
	b.buf[start+1] = byte((len(b.buf) - start - 8) / 8)
}

// decodeSRH reads lastentry+1 addresses (or those there are) and the TLVs
// to where len says, as Python slices them; an address cut short leaves
// the header undecoded, as Scapy leaves it Raw.
func decodeSRH(l *Layer, d []byte) (decoded, error) {
	last := int(d[4])
	na, ok := addrsLen(d[8:], last+1, 16)
	if !ok {
		return decoded{}, fmt.Errorf("segment cut short: %d bytes after the header", len(d)-8)
	}
	tlvs, _ := pySlice(d[8+na:], 8*int(d[1])-16*(last+1))
	n := 8 + na + len(tlvs)
	l.put(rhNH, uint64(d[0]))
	l.put(rhLen, uint64(d[1]))
	l.put(rhType, uint64(d[2]))
	l.put(rhSegleft, uint64(d[3]))
	l.put(rhReserved, 0)
	l.put(rhLastentry, uint64(d[4]))
	for k, f := range []int{rhUnused1, rhProtected, rhOAM, rhAlert, rhHMAC} {
		l.put(f, uint64(d[5]>>(7-k)&1))
	}
	l.put(rhUnused2, uint64(d[5]&7))
	l.put(rhTag, u16(d[6:]))
	l.data = d[8:n]
	return decoded{hdr: n, end: -1}, nil
}

// DecodeIn reads a segment routing header's addresses as lastentry says,
// and its TLVs as a last {"Raw", bytes} item; other routing headers' as
// Decode.
func (c addressList) DecodeIn(l *Layer, data []byte) []Item {
	if l.Uint(rhType) != rhTypeSRH {
		return c.Decode(data)
	}
	n := 16 * srhCount(l, data)
	items := c.Decode(data[:n])
	if n < len(data) {
		items = append(items, Item{Values: []any{"Raw", string(data[n:])}})
	}
	return items
}

// srhFirst is the first address of a segment routing header's data.
func srhFirst(a []byte) netip.Addr { return netip.AddrFrom16([16]byte(a[:16])) }
