package frame

import (
	"encoding/hex"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the DNS vectors' messages to the same header, the
// same questions and the same records as parse: a second oracle beside
// Scapy. Malformed messages, which the two read each in its own way,
// are left out.
func TestDNSVectorsGopacket(t *testing.T) {
	checked := 0
	for _, v := range readVectors(t, dnsVectorFile) {
		if strings.Contains(v.Name, "malformed") || strings.Contains(v.Name, "count") {
			continue
		}
		data, _ := hex.DecodeString(v.Hex)
		p := Parse(data)
		l := p.Layer("dns")
		g, ok := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default).Layer(layers.LayerTypeDNS).(*layers.DNS)
		if l == nil || !ok {
			continue
		}
		checked++
		if got, want := gopacketHeader(l), gopacketView(g); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v (gopacket)", v.Name, got, want)
		}
	}
	if checked < 25 {
		t.Errorf("%d messages checked against gopacket, want 25 or more", checked)
	}
}

// gopacketView is what gopacket read, as text: the header, then each
// question and record with its rdata in the form parse gives.
func gopacketView(g *layers.DNS) []string {
	out := []string{fmt.Sprint("id ", g.ID, " qr ", b2u(g.QR), " opcode ", uint8(g.OpCode), " aa ", b2u(g.AA),
		" tc ", b2u(g.TC), " rd ", b2u(g.RD), " ra ", b2u(g.RA), " zadcd ", g.Z, " rcode ", uint8(g.ResponseCode),
		" counts ", g.QDCount, g.ANCount, g.NSCount, g.ARCount)}
	for _, q := range g.Questions {
		out = append(out, fmt.Sprint("q ", gname(q.Name), " ", uint16(q.Type), " ", uint16(q.Class)))
	}
	for _, rs := range [][]layers.DNSResourceRecord{g.Answers, g.Authorities, g.Additionals} {
		for _, r := range rs {
			out = append(out, fmt.Sprint("rr ", gname(r.Name), " ", uint16(r.Type), " ", uint16(r.Class), " ", r.TTL, " ", gopacketRdata(&r)))
		}
	}
	return out
}

func gname(b []byte) string { return string(b) + "." }

func gopacketRdata(r *layers.DNSResourceRecord) string {
	switch r.Type {
	case layers.DNSTypeA, layers.DNSTypeAAAA:
		return r.IP.String()
	case layers.DNSTypeNS:
		return gname(r.NS)
	case layers.DNSTypeCNAME:
		return gname(r.CNAME)
	case layers.DNSTypePTR:
		return gname(r.PTR)
	case layers.DNSTypeMX:
		return fmt.Sprint(r.MX.Preference, " ", gname(r.MX.Name))
	case layers.DNSTypeSRV:
		return fmt.Sprint(r.SRV.Priority, " ", r.SRV.Weight, " ", r.SRV.Port, " ", gname(r.SRV.Name))
	case layers.DNSTypeSOA:
		s := r.SOA
		return fmt.Sprint(gname(s.MName), " ", gname(s.RName), " ", s.Serial, " ", s.Refresh, " ", s.Retry, " ", s.Expire, " ", s.Minimum)
	case layers.DNSTypeTXT:
		return fmt.Sprintf("%q", r.TXTs)
	case layers.DNSTypeOPT:
		var opts []string
		for _, o := range r.OPT {
			opts = append(opts, fmt.Sprintf("%d=%x", uint16(o.Code), o.Data))
		}
		return strings.Join(opts, ",")
	}
	return fmt.Sprintf("%x", r.Data)
}

// gopacketHeader is the same view of a parsed dns layer.
func gopacketHeader(l *Layer) []string {
	n := func(name string) uint64 { i, _ := l.Proto.Field(name); return l.Uint(i) }
	out := []string{fmt.Sprint("id ", n("id"), " qr ", n("qr"), " opcode ", n("opcode"), " aa ", n("aa"),
		" tc ", n("tc"), " rd ", n("rd"), " ra ", n("ra"), " zadcd ", n("z")<<2|n("ad")<<1|n("cd"), " rcode ", n("rcode"),
		" counts ", n("qdcount"), n("ancount"), n("nscount"), n("arcount"))}
	for _, s := range dnsSections {
		i, _ := l.Proto.Field(s)
		for _, it := range l.Items(i) {
			f := func(name string) any { v, _ := it.Field(name); return v }
			if s == "qd" {
				out = append(out, fmt.Sprint("q ", f("qname"), " ", dnsNumber(f("qtype"), dnsQTypes), " ", dnsNumber(f("qclass"), dnsClasses)))
				continue
			}
			ttl := f("ttl")
			if ttl == nil { // OPT
				ttl = f("extrcode").(uint64)<<24 | f("version").(uint64)<<16 | f("z").(uint64)
			}
			out = append(out, fmt.Sprint("rr ", f("rrname"), " ", dnsNumber(f("type"), dnsTypes), " ",
				dnsNumber(f("rclass"), dnsClasses), " ", ttl, " ", rdataView(dnsNumber(f("type"), dnsTypes), f("rdata"))))
		}
	}
	return out
}

func dnsNumber(v any, codes []dnsCode) uint64 {
	n, _ := codeNumber(v, codes, "")
	return n
}

// rdataView is parse's rdata as gopacketRdata writes gopacket's.
func rdataView(typ uint64, v any) string {
	switch v := v.(type) {
	case string:
		if ip := net.ParseIP(v); ip != nil || strings.HasSuffix(v, ".") {
			return v
		}
		return fmt.Sprintf("%x", v)
	case Item:
		if typ == dnsTypeOPT {
			var opts []string
			for _, o := range v.Values {
				it := o.(Item)
				code, _ := it.Field("optcode")
				data, _ := it.Field("optdata")
				opts = append(opts, fmt.Sprintf("%d=%x", code, data))
			}
			return strings.Join(opts, ",")
		}
		if typ == dnsTypeTXT {
			var txts [][]byte
			for _, s := range v.Values {
				txts = append(txts, []byte(s.(string)))
			}
			return fmt.Sprintf("%q", txts)
		}
		var parts []string
		for _, f := range v.Fields {
			parts = append(parts, fmt.Sprint(f.Value))
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprint(v)
}
