package frame

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacketFrames parses each vector of file with netlua and gopacket
// and calls check with both, where gopacket decoded the whole frame.
func gopacketFrames(t *testing.T, file string, check func(name string, p *Packet, g gopacket.Packet)) {
	for _, v := range readVectors(t, file) {
		name := fmt.Sprint(v.Layers[0]["layer"])
		data, _ := hex.DecodeString(v.Hex)
		p := new(Packet)
		builtin.Parse(p, data, builtin.Proto(name))
		first, ok := gopacketFirst[name]
		if !ok {
			continue
		}
		g := gopacket.NewPacket(data, first, gopacket.Default)
		if g.ErrorLayer() != nil {
			continue
		}
		check(v.Name, p, g)
	}
}

// fieldChecker counts and reports the fields compared with gopacket.
type fieldChecker struct {
	t       *testing.T
	name    string
	checked map[string]int
}

func (c *fieldChecker) eq(layer, field string, got, want any) {
	c.t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		c.t.Errorf("%s: %s.%s = %v, gopacket reads %v", c.name, layer, field, got, want)
	}
	c.checked[layer]++
}

// uintField is field name of l.
func uintField(l *Layer, name string) uint64 {
	i, _ := l.Proto.Field(name)
	return l.Uint(i)
}

func textField(l *Layer, name string) string {
	i, _ := l.Proto.Field(name)
	return l.Text(i)
}

// ipText is a gopacket address as netip writes it.
func ipText(b []byte) string {
	a, _ := netip.AddrFromSlice(b)
	return a.String()
}

// TestIGMPVectorsGopacket decodes the IGMP vectors with gopacket and
// compares its fields with parse's. gopacket steps over a group record's
// auxiliary data (auxdlen words), where Scapy, and so netlua, does not
// read it: records with auxdlen other than 0 are not compared.
func TestIGMPVectorsGopacket(t *testing.T) {
	checked := map[string]int{}
	gopacketFrames(t, igmpVectors, func(name string, p *Packet, g gopacket.Packet) {
		c := &fieldChecker{t, name, checked}
		if gl, ok := g.Layer(layers.LayerTypeIGMP).(*layers.IGMPv1or2); ok {
			l := p.Layer("igmp")
			if l == nil {
				t.Errorf("%s: gopacket decodes IGMPv1or2, parse has %s", name, layerNames(p))
				return
			}
			c.eq("igmp", "type", uintField(l, "type"), uint64(gl.Type))
			if mr := uintField(l, "mrcode"); mr < 128 {
				c.eq("igmp", "mrcode", time.Duration(mr)*100*time.Millisecond, gl.MaxResponseTime)
			}
			c.eq("igmp", "chksum", uintField(l, "chksum"), gl.Checksum)
			c.eq("igmp", "gaddr", textField(l, "gaddr"), ipText(gl.GroupAddress))
		}
		gl, ok := g.Layer(layers.LayerTypeIGMP).(*layers.IGMP)
		if !ok {
			return
		}
		l := p.Layer("igmpv3")
		if l == nil {
			t.Errorf("%s: gopacket decodes IGMPv3, parse has %s", name, layerNames(p))
			return
		}
		c.eq("igmpv3", "type", uintField(l, "type"), uint64(gl.Type))
		c.eq("igmpv3", "chksum", uintField(l, "chksum"), gl.Checksum)
		if q := p.Layer("igmpv3mq"); q != nil {
			c.eq("igmpv3mq", "gaddr", textField(q, "gaddr"), ipText(gl.GroupAddress))
			c.eq("igmpv3mq", "s", uintField(q, "s") == 1, gl.SupressRouterProcessing)
			c.eq("igmpv3mq", "qrv", uintField(q, "qrv"), gl.RobustnessValue)
			if qqic := uintField(q, "qqic"); qqic < 128 {
				c.eq("igmpv3mq", "qqic", time.Duration(qqic)*100*time.Millisecond, gl.IntervalTime)
			}
			c.eq("igmpv3mq", "numsrc", uintField(q, "numsrc"), gl.NumberOfSources)
			i, _ := q.Proto.Field("srcaddrs")
			var want []string
			for _, a := range gl.SourceAddresses {
				want = append(want, ipText(a))
			}
			var got []string
			for _, it := range q.Items(i) {
				got = append(got, fmt.Sprint(it.Value(0)))
			}
			if len(got) == int(gl.NumberOfSources) { // gopacket reads none of too few
				c.eq("igmpv3mq", "srcaddrs", got, want)
			}
		}
		if r := p.Layer("igmpv3mr"); r != nil {
			c.eq("igmpv3mr", "numgrp", uintField(r, "numgrp"), gl.NumberOfGroupRecords)
			i, _ := r.Proto.Field("records")
			items := r.Items(i)
			for k, gr := range gl.GroupRecords {
				if k >= len(items) || gr.AuxDataLen != 0 {
					break
				}
				it := items[k]
				rtype, _ := it.Field("rtype")
				numsrc, _ := it.Field("numsrc")
				maddr, _ := it.Field("maddr")
				srcs, _ := it.Field("srcaddrs")
				var want []any
				for _, a := range gr.SourceAddresses {
					want = append(want, ipText(a))
				}
				c.eq("igmpv3mr", "records.rtype", rtype, uint64(gr.Type))
				c.eq("igmpv3mr", "records.numsrc", numsrc, uint64(gr.NumberOfSources))
				c.eq("igmpv3mr", "records.maddr", maddr, ipText(gr.MulticastAddress))
				c.eq("igmpv3mr", "records.srcaddrs", srcs.(Item).Values, want)
			}
		}
	})
	for _, name := range []string{"igmp", "igmpv3", "igmpv3mq", "igmpv3mr"} {
		if checked[name] < 25 {
			t.Errorf("%d fields of %s checked against gopacket, want 25 or more", checked[name], name)
		}
	}
}

// TestMLDVectorsGopacket decodes the MLD vectors with gopacket and
// compares its fields with parse's. gopacket counts an address record's
// auxiliary data in 32-bit words, where Scapy, and so netlua, counts
// bytes: records from one with auxdata_len other than 0 on are not
// compared.
func TestMLDVectorsGopacket(t *testing.T) {
	checked := map[string]int{}
	gopacketFrames(t, mldVectors, func(name string, p *Packet, g gopacket.Packet) {
		c := &fieldChecker{t, name, checked}
		v1 := map[string]gopacket.LayerType{"mld_query": layers.LayerTypeMLDv1MulticastListenerQuery,
			"mld_report": layers.LayerTypeMLDv1MulticastListenerReport, "mld_done": layers.LayerTypeMLDv1MulticastListenerDone}
		for layer, typ := range v1 {
			gl := g.Layer(typ)
			if gl == nil {
				continue
			}
			l := p.Layer(layer)
			if l == nil {
				t.Errorf("%s: gopacket decodes %s, parse has %s", name, typ, layerNames(p))
				return
			}
			var m *layers.MLDv1Message
			switch gl := gl.(type) {
			case *layers.MLDv1MulticastListenerQueryMessage:
				m = &gl.MLDv1Message
			case *layers.MLDv1MulticastListenerReportMessage:
				m = &gl.MLDv1Message
			case *layers.MLDv1MulticastListenerDoneMessage:
				m = &gl.MLDv1Message
			}
			c.eq(layer, "mrd", time.Duration(uintField(l, "mrd"))*time.Millisecond, m.MaximumResponseDelay)
			c.eq(layer, "mladdr", textField(l, "mladdr"), ipText(m.MulticastAddress))
		}
		if gl, ok := g.Layer(layers.LayerTypeMLDv2MulticastListenerQuery).(*layers.MLDv2MulticastListenerQueryMessage); ok {
			l := p.Layer("mldv2_query")
			if l == nil {
				t.Errorf("%s: gopacket decodes an MLDv2 query, parse has %s", name, layerNames(p))
				return
			}
			c.eq("mldv2_query", "mrd", uintField(l, "mrd"), gl.MaximumResponseCode)
			c.eq("mldv2_query", "mladdr", textField(l, "mladdr"), ipText(gl.MulticastAddress))
			c.eq("mldv2_query", "S", uintField(l, "S") == 1, gl.SuppressRoutersideProcessing)
			c.eq("mldv2_query", "QRV", uintField(l, "QRV"), gl.QueriersRobustnessVariable)
			c.eq("mldv2_query", "QQIC", uintField(l, "QQIC"), gl.QueriersQueryIntervalCode)
			c.eq("mldv2_query", "sources_number", uintField(l, "sources_number"), gl.NumberOfSources)
			i, _ := l.Proto.Field("sources")
			var got, want []string
			for _, it := range l.Items(i) {
				got = append(got, fmt.Sprint(it.Value(0)))
			}
			for _, a := range gl.SourceAddresses {
				want = append(want, ipText(a))
			}
			c.eq("mldv2_query", "sources", got, want)
		}
		if gl, ok := g.Layer(layers.LayerTypeMLDv2MulticastListenerReport).(*layers.MLDv2MulticastListenerReportMessage); ok {
			l := p.Layer("mldv2_report")
			if l == nil {
				t.Errorf("%s: gopacket decodes an MLDv2 report, parse has %s", name, layerNames(p))
				return
			}
			c.eq("mldv2_report", "records_number", uintField(l, "records_number"), gl.NumberOfMulticastAddressRecords)
			i, _ := l.Proto.Field("records")
			items := l.Items(i)
			for k, r := range gl.MulticastAddressRecords {
				if k >= len(items) || r.AuxDataLen != 0 {
					break
				}
				it := items[k]
				var want []any
				for _, a := range r.SourceAddresses {
					want = append(want, ipText(a))
				}
				rtype, _ := it.Field("rtype")
				n, _ := it.Field("sources_number")
				dst, _ := it.Field("dst")
				srcs, _ := it.Field("sources")
				c.eq("mldv2_report", "records.rtype", rtype, uint64(r.RecordType))
				c.eq("mldv2_report", "records.sources_number", n, uint64(r.N))
				c.eq("mldv2_report", "records.dst", dst, ipText(r.MulticastAddress))
				c.eq("mldv2_report", "records.sources", srcs.(Item).Values, want)
			}
		}
	})
	for _, name := range []string{"mld_query", "mld_report", "mld_done", "mldv2_query", "mldv2_report"} {
		if checked[name] < 25 {
			t.Errorf("%d fields of %s checked against gopacket, want 25 or more", checked[name], name)
		}
	}
}

// TestLLDPVectorsGopacket decodes the LLDP vectors with gopacket and
// compares each TLV's type, length and value, and the chassis id, port id,
// TTL, descriptions and system name gopacket reads, with parse's. gopacket
// reads each TLV by its length where Scapy, and so netlua, reads a class's
// fields: only frames whose TLVs' lengths match their fields compare.
func TestLLDPVectorsGopacket(t *testing.T) {
	checked := map[string]int{}
	gopacketFrames(t, lldpVectors, func(name string, p *Packet, g gopacket.Packet) {
		c := &fieldChecker{t, name, checked}
		gl, ok := g.Layer(layers.LayerTypeLinkLayerDiscovery).(*layers.LinkLayerDiscovery)
		l := p.Layer("lldp")
		if !ok || l == nil {
			return
		}
		type tlv struct {
			typ   uint64
			value []byte
		}
		var tlvs []tlv
		for _, it := range l.Items(0) {
			b, err := lldpTLVList{}.Encode(nil, []Item{it})
			n, _ := it.Field("_length")
			if err != nil || len(b) < 2 || n != uint64(len(b)-2) {
				return // a length that lies on purpose: gopacket reads another frame
			}
			tlvs = append(tlvs, tlv{uint64(b[0] >> 1), b[2:]})
		}
		var others []tlv
		for _, x := range tlvs {
			switch x.typ {
			case 1:
				c.eq("lldp", "ChassisID.subtype", x.value[0], byte(gl.ChassisID.Subtype))
				c.eq("lldp", "ChassisID.id", hex.EncodeToString(x.value[1:]), hex.EncodeToString(gl.ChassisID.ID))
			case 2:
				c.eq("lldp", "PortID.subtype", x.value[0], byte(gl.PortID.Subtype))
				c.eq("lldp", "PortID.id", hex.EncodeToString(x.value[1:]), hex.EncodeToString(gl.PortID.ID))
			case 3:
				c.eq("lldp", "TimeToLive.ttl", hex.EncodeToString(x.value), fmt.Sprintf("%04x", gl.TTL))
			case 0:
			default:
				others = append(others, x)
			}
		}
		if len(others) != len(gl.Values) {
			t.Errorf("%s: %d other TLVs, gopacket reads %d", name, len(others), len(gl.Values))
			return
		}
		for k, v := range gl.Values {
			c.eq("lldp", "tlv.type", others[k].typ, uint64(v.Type))
			if !bytes.Equal(others[k].value, v.Value) {
				t.Errorf("%s: TLV %d value %x, gopacket reads %x", name, k, others[k].value, v.Value)
			}
		}
		info, ok := g.Layer(layers.LayerTypeLinkLayerDiscoveryInfo).(*layers.LinkLayerDiscoveryInfo)
		if !ok {
			return
		}
		last := map[uint64]string{} // gopacket keeps the last of a type
		for _, x := range others {
			last[x.typ] = string(x.value)
		}
		for typ, got := range map[uint64]string{4: info.PortDescription, 5: info.SysName, 6: info.SysDescription} {
			if v, ok := last[typ]; ok {
				c.eq("lldp", fmt.Sprintf("TLV %d text", typ), v, got)
			}
		}
	})
	if checked["lldp"] < 25*4 {
		t.Errorf("%d LLDP fields checked against gopacket, want 100 or more", checked["lldp"])
	}
}
