package frame

import (
	"encoding/binary"
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacketVectors decodes each vector of file with gopacket, from
// Ethernet, and hands check the packet and parse's; it returns how many
// vectors gopacket decoded a layer of type want in.
func gopacketVectors(t *testing.T, file string, want gopacket.LayerType, check func(t *testing.T, g gopacket.Packet, p *Packet)) int {
	t.Helper()
	n := 0
	for _, v := range readVectors(t, file) {
		data, _ := hex.DecodeString(v.Hex)
		g := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		if g.Layer(want) == nil {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) { check(t, g, Parse(data)) })
	}
	return n
}

// wantUint compares field name of layer l with gopacket's value.
func wantUint(t *testing.T, l *Layer, name string, want uint64) {
	t.Helper()
	i, _ := l.Proto.Field(name)
	if got := l.Uint(i); got != want {
		t.Errorf("%s.%s = %d, gopacket reads %d", l.Proto.Name, name, got, want)
	}
}

// gopacket decodes the DHCPv6 vectors' header and the code and length of
// each top-level option to the same values as parse.
func TestDHCP6VectorsGopacket(t *testing.T) {
	n := gopacketVectors(t, dhcp6VectorFile, layers.LayerTypeDHCPv6, func(t *testing.T, g gopacket.Packet, p *Packet) {
		d := g.Layer(layers.LayerTypeDHCPv6).(*layers.DHCPv6)
		l := p.Layer("dhcp6")
		if l == nil {
			t.Fatalf("no dhcp6 layer (error %v)", p.Err)
		}
		wantUint(t, l, "msgtype", uint64(d.MsgType))
		if d.TransactionID != nil {
			wantUint(t, l, "trid", beUint(d.TransactionID))
		} else {
			wantUint(t, l, "hopcount", uint64(d.HopCount))
			for name, a := range map[string][]byte{"linkaddr": d.LinkAddr, "peeraddr": d.PeerAddr} {
				i, _ := l.Proto.Field(name)
				if got := l.Addr(i).As16(); string(got[:]) != string(a) {
					t.Errorf("dhcp6.%s = %s, gopacket reads %x", name, l.Addr(i), a)
				}
			}
		}
		items := l.Items(dhcp6Opts)
		if len(items) != len(d.Options) {
			t.Fatalf("%d options, gopacket reads %d: %s", len(items), len(d.Options), itemsText(items))
		}
		for k, o := range d.Options {
			code := items[k].Value(0)
			if name, ok := code.(string); ok {
				opt, _ := dhcp6OptionNamed(name)
				code = uint64(opt.code)
			}
			optlen, _ := items[k].Field("optlen")
			if code != uint64(o.Code) || optlen != uint64(o.Length) {
				t.Errorf("option %d: code %v optlen %v, gopacket reads %d, %d", k+1, code, optlen, o.Code, o.Length)
			}
		}
	})
	if n < 25 {
		t.Errorf("gopacket decoded %d of the DHCPv6 vectors, want 25 or more", n)
	}
}

// gopacket decodes the NTP vectors' header to the same values as parse.
func TestNTPVectorsGopacket(t *testing.T) {
	n := gopacketVectors(t, ntpVectorFile, layers.LayerTypeNTP, func(t *testing.T, g gopacket.Packet, p *Packet) {
		d := g.Layer(layers.LayerTypeNTP).(*layers.NTP)
		l := p.Layer("ntp")
		if l == nil {
			// gopacket reads modes 6 and 7 as the header too; Scapy and
			// netlua read ntp_control and ntp_private.
			if d.Mode != 6 && d.Mode != 7 {
				t.Fatalf("no ntp layer (error %v)", p.Err)
			}
			return
		}
		for name, want := range map[string]uint64{
			"leap": uint64(d.LeapIndicator), "version": uint64(d.Version), "mode": uint64(d.Mode),
			"stratum": uint64(d.Stratum), "poll": uint64(uint8(d.Poll)), "precision": uint64(uint8(d.Precision)),
			"delay": uint64(d.RootDelay), "dispersion": uint64(d.RootDispersion),
			"ref": uint64(d.ReferenceTimestamp), "orig": uint64(d.OriginTimestamp),
			"recv": uint64(d.ReceiveTimestamp), "sent": uint64(d.TransmitTimestamp),
		} {
			wantUint(t, l, name, want)
		}
		i := ntpID
		if l.Uint(ntpStratum) < 2 {
			i = ntpRefID
		}
		var ref [4]byte
		binary.BigEndian.PutUint32(ref[:], uint32(d.ReferenceID))
		if got := l.Bytes(ntpRefID); i == ntpRefID && string(got) != string(ref[:]) {
			t.Errorf("ntp.ref_id = %x, gopacket reads %x", got, ref)
		}
		if got := l.Addr(ntpID).As4(); i == ntpID && got != ref {
			t.Errorf("ntp.id = %s, gopacket reads %x", l.Addr(ntpID), ref)
		}
	})
	if n < 25 {
		t.Errorf("gopacket decoded %d of the NTP vectors, want 25 or more", n)
	}
}

// gopacket decodes the SCTP vectors' common header to the same values as
// parse and, where it reads every chunk as Scapy does (no error, no Raw),
// each chunk's type and length and the numbers of data, init and sack.
func TestSCTPVectorsGopacket(t *testing.T) {
	chunks := 0
	n := gopacketVectors(t, sctpVectorFile, layers.LayerTypeSCTP, func(t *testing.T, g gopacket.Packet, p *Packet) {
		s := g.Layer(layers.LayerTypeSCTP).(*layers.SCTP)
		l := p.Layer("sctp")
		if l == nil && g.ErrorLayer() != nil {
			return // both cut short
		}
		if l == nil {
			t.Fatalf("no sctp layer (error %v)", p.Err)
		}
		wantUint(t, l, "sport", uint64(s.SrcPort))
		wantUint(t, l, "dport", uint64(s.DstPort))
		wantUint(t, l, "tag", uint64(s.VerificationTag))
		wantUint(t, l, "chksum", uint64(s.Checksum))
		items := l.Items(sctpChunksField)
		var want []gopacketChunk
		for _, gl := range g.Layers() {
			if c, ok := gopacketSCTPChunk(gl); ok {
				want = append(want, c)
			}
		}
		if g.ErrorLayer() != nil || hasRaw(items) {
			return
		}
		if len(items) != len(want) {
			t.Fatalf("%d chunks, gopacket reads %d: %s", len(items), len(want), itemsText(items))
		}
		for k, c := range want {
			name, _ := items[k].Value(0).(string)
			if typ := c["type"]; sctpChunkNamed(name) == nil || uint64(sctpChunkNamed(name).typ) != typ {
				t.Errorf("chunk %d: %s, gopacket reads type %d", k+1, name, typ)
			}
			delete(c, "type")
			for name, v := range c {
				if got, _ := items[k].Field(name); got != v {
					t.Errorf("chunk %d: %s = %v, gopacket reads %d", k+1, name, got, v)
				}
			}
			chunks++
		}
	})
	if n < 25 || chunks < 25 {
		t.Errorf("gopacket decoded %d of the SCTP vectors, %d chunks compared; want 25 or more of each", n, chunks)
	}
}

// A gopacketChunk is the fields of one chunk gopacket decoded, by
// netlua's names; type is the type byte.
type gopacketChunk map[string]uint64

// gopacketSCTPChunk is the fields of gopacket layer l, if it is a chunk:
// its header, and the numbers of data, init, sack and shutdown.
func gopacketSCTPChunk(l gopacket.Layer) (gopacketChunk, bool) {
	c := gopacketChunk{}
	switch l := l.(type) {
	case *layers.SCTPData:
		c = gopacketChunk{"tsn": uint64(l.TSN), "stream_id": uint64(l.StreamId),
			"stream_seq": uint64(l.StreamSequence), "proto_id": uint64(l.PayloadProtocol)}
	case *layers.SCTPInit:
		c = gopacketChunk{"init_tag": uint64(l.InitiateTag), "a_rwnd": uint64(l.AdvertisedReceiverWindowCredit),
			"n_out_streams": uint64(l.OutboundStreams), "n_in_streams": uint64(l.InboundStreams), "init_tsn": uint64(l.InitialTSN)}
	case *layers.SCTPSack:
		c = gopacketChunk{"cumul_tsn_ack": uint64(l.CumulativeTSNAck), "a_rwnd": uint64(l.AdvertisedReceiverWindowCredit),
			"n_gap_ack": uint64(l.NumGapACKs), "n_dup_tsn": uint64(l.NumDuplicateTSNs)}
	case *layers.SCTPShutdown:
		c = gopacketChunk{"cumul_tsn_ack": uint64(l.CumulativeTSNAck)}
	}
	// Every chunk layer of gopacket embeds an SCTPChunk.
	v := reflect.ValueOf(l)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, false
	}
	f := v.Elem().FieldByName("SCTPChunk")
	if !f.IsValid() {
		return nil, false
	}
	c.header(f.Interface().(layers.SCTPChunk))
	return c, true
}

// header adds a chunk's type and length.
func (c gopacketChunk) header(h layers.SCTPChunk) {
	c["type"], c["len"] = uint64(h.Type), uint64(h.Length)
}

func hasRaw(items []Item) bool {
	for _, it := range items {
		if it.Value(0) == "Raw" {
			return true
		}
	}
	return false
}

// gopacket decodes the VRRPv2 vectors (its VRRPv2: type 1, an address or
// more) to the same values as parse.
func TestVRRPVectorsGopacket(t *testing.T) {
	n := 0
	gopacketVectors(t, vrrpVectorFile, layers.LayerTypeVRRP, func(t *testing.T, g gopacket.Packet, p *Packet) {
		v := g.Layer(layers.LayerTypeVRRP).(*layers.VRRPv2)
		l := p.Layer("vrrp")
		if g.ErrorLayer() != nil || l == nil || l.Uint(vrrpVersion) != 2 {
			return // gopacket reads version 3 in version 2's layout
		}
		n++
		for name, want := range map[string]uint64{
			"version": uint64(v.Version), "type": uint64(v.Type), "vrid": uint64(v.VirtualRtrID),
			"priority": uint64(v.Priority), "ipcount": uint64(v.CountIPAddr), "authtype": uint64(v.AuthType),
			"adv": uint64(v.AdverInt), "chksum": uint64(v.Checksum),
		} {
			wantUint(t, l, name, want)
		}
		items := l.Items(vrrpAddrlist)
		if len(items) != len(v.IPAddress) {
			t.Fatalf("addrlist %s, gopacket reads %v", itemsText(items), v.IPAddress)
		}
		for k, a := range v.IPAddress {
			if items[k].Value(0) != a.String() {
				t.Errorf("address %d: %v, gopacket reads %s", k+1, items[k].Value(0), a)
			}
		}
	})
	if n < 25 {
		t.Errorf("%d VRRPv2 vectors compared with gopacket, want 25 or more", n)
	}
}
