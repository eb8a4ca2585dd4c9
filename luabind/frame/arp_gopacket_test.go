package frame

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the ARP packets of other address sizes (gen_corpusfix.py)
// to the same fixed fields and address bytes as parse, whether parse has
// an address as bytes or, where Scapy's conditions hold, as a MAC or an
// IP address.
func TestARPOtherSizesGopacket(t *testing.T) {
	n := 0
	for _, v := range loadCorpusfix(t).ARP {
		data, _ := hex.DecodeString(v.Hex)
		g := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		a, ok := g.Layer(layers.LayerTypeARP).(*layers.ARP)
		l := Parse(data).Layer("arp")
		if !ok || l == nil {
			t.Errorf("%s: gopacket's arp %v, parse's %v", v.Name, ok, l != nil)
			continue
		}
		n++
		for name, want := range map[string]uint64{"hwtype": uint64(a.AddrType), "ptype": uint64(a.Protocol),
			"hwlen": uint64(a.HwAddressSize), "plen": uint64(a.ProtAddressSize), "op": uint64(a.Operation)} {
			wantUint(t, l, name, want)
		}
		for f, want := range map[int][]byte{arpHwsrc: a.SourceHwAddress, arpPsrc: a.SourceProtAddress,
			arpHwdst: a.DstHwAddress, arpPdst: a.DstProtAddress} {
			if got := arpAddrBytes(l, f); !bytes.Equal(got, want) {
				t.Errorf("%s: %s %x, gopacket reads %x", v.Name, l.Proto.Fields[f].Name, got, want)
			}
		}
	}
	if n < 20 {
		t.Errorf("%d ARP packets compared with gopacket, want 20 or more", n)
	}
}

// arpAddrBytes is address field f of an ARP layer as it is on the wire.
func arpAddrBytes(l *Layer, f int) []byte {
	if raw, _, ok := l.rawAddr(f); ok {
		return raw
	}
	if f == arpHwsrc || f == arpHwdst {
		return binary.BigEndian.AppendUint64(nil, l.Uint(f))[2:]
	}
	a := l.Addr(f)
	if l.Uint(arpPlen) == 4 {
		b := a.Unmap().As4()
		return b[:]
	}
	b := a.As16()
	return b[:]
}
