package frame

import (
	"fmt"
	"net/netip"
)

// Multicast listener discovery, v1 (RFC 2710) and v2 (RFC 3810): the
// bodies of ICMPv6 types 130 to 132 and 143, as layers above icmp6 with
// the fields of Scapy 2.5's ICMPv6ML* classes after type, code and cksum,
// as the nd_* layers are (nd.go). Type 130 is an MLDv1 query
// (mld_query) unless the ICMPv6 message has 28 bytes or more, when it is
// an MLDv2 query (mldv2_query), as Scapy's IPv6 picks ICMPv6MLQuery2.
// Built on ipv6/icmp6, each makes the IPv6 hop limit 1 and the
// destination ff02::1 (queries), ff02::2 (done) or ff02::16 (v2 report)
// unless given, as Scapy's overload_fields do. The router alert option
// MLD messages carry is an ipv6_hbh layer's; with it between ipv6 and
// icmp6, as in Scapy, nothing is overloaded.
var (
	MLDQuery = builtinProto("mld_query", "MLDv1 query (icmp6 type 130, fewer than 28 bytes): mrd (10000), reserved, mladdr", mldFields(),
		"mrd", 10000, "mladdr", "::")
	MLDReport = builtinProto("mld_report", "MLDv1 report (icmp6 type 131): mrd, reserved, mladdr", mldFields(), "mladdr", "::")
	MLDDone   = builtinProto("mld_done", "MLDv1 done (icmp6 type 132): mrd, reserved, mladdr", mldFields(), "mladdr", "::")

	MLDv2Query = builtinProto("mldv2_query", "MLDv2 query (icmp6 type 130, 28 bytes or more): sources_number computed from sources (a list of IPv6 addresses)", []Field{
		{Name: "mrd", Bits: 16}, {Name: "reserved", Bits: 16}, {Name: "mladdr", Kind: IPv6Addr},
		{Name: "Resv", Bits: 4}, {Name: "S", Bits: 1}, {Name: "QRV", Bits: 3}, {Name: "QQIC", Bits: 8},
		{Name: "sources_number", Bits: 16, Auto: true},
		{Name: "sources", Kind: List, List: addressList{}},
	}, "mrd", 10000, "mladdr", "::")

	MLDv2Report = builtinProto("mldv2_report", "MLDv2 report (icmp6 type 143): records_number computed from records", []Field{
		{Name: "reserved", Bits: 16}, {Name: "records_number", Bits: 16, Auto: true},
		{Name: "records", Kind: List, List: mldRecordList{}},
	})
)

func mldFields() []Field {
	return []Field{{Name: "mrd", Bits: 16}, {Name: "reserved", Bits: 16}, {Name: "mladdr", Kind: IPv6Addr}}
}

// Field indexes of the MLD layers.
const (
	mldMrd, mldReserved, mldAddr = 0, 1, 2

	mq2Resv, mq2S, mq2QRV, mq2QQIC, mq2Num, mq2Sources = 3, 4, 5, 6, 7, 8

	mr2Reserved, mr2Num, mr2Records = 0, 1, 2
)

// mldHopLimit is the hop limit MLD messages are sent with (RFC 2710).
const mldHopLimit = 1

// allMLDv2Routers is where MLDv2 reports go (RFC 3810).
var allMLDv2Routers = netip.MustParseAddr("ff02::16")

// mldv2QueryLen is the body of the shortest MLDv2 query: 28 bytes of
// ICMPv6 message less its 4-byte header.
const mldv2QueryLen = 24

// setMLDCodecs gives the MLD layers their codecs; init calls it.
func setMLDCodecs() {
	for _, p := range []*Proto{MLDQuery, MLDReport, MLDDone} {
		p.encode, p.decode = encodeMLD, decodeMLD
	}
	MLDQuery.dispatch = func(d []byte) *Proto {
		if len(d) >= mldv2QueryLen {
			return MLDv2Query
		}
		return MLDQuery
	}
	MLDv2Query.encode, MLDv2Query.decode = encodeMLDv2Query, decodeMLDv2Query
	MLDv2Report.encode, MLDv2Report.decode = encodeMLDv2Report, decodeMLDv2Report
}

func encodeMLD(b *Builder, i int) {
	b.u16(b.num(i, mldMrd))
	b.u16(b.num(i, mldReserved))
	b.addr(i, mldAddr)
}

func decodeMLD(l *Layer, d []byte) (decoded, error) {
	if len(d) < 20 {
		return decoded{}, truncated(len(d), 20)
	}
	l.put(mldMrd, u16(d))
	l.put(mldReserved, u16(d[2:]))
	l.putAddr(mldAddr, d[4:20])
	return decoded{hdr: 20, end: -1}, nil
}

func encodeMLDv2Query(b *Builder, i int) {
	encodeMLD(b, i)
	srcs := b.layers[i].Bytes(mq2Sources)
	b.u8(b.num(i, mq2Resv)<<4 | b.num(i, mq2S)<<3 | b.num(i, mq2QRV))
	b.u8(b.num(i, mq2QQIC))
	if b.given(i, mq2Num) {
		b.u16(b.num(i, mq2Num))
	} else {
		b.u16(uint64(len(srcs) / 16))
	}
	b.buf = append(b.buf, srcs...)
}

// decodeMLDv2Query reads sources_number addresses, or those there are;
// an address cut short leaves the query undecoded, as Scapy leaves it Raw.
func decodeMLDv2Query(l *Layer, d []byte) (decoded, error) {
	if len(d) < mldv2QueryLen {
		return decoded{}, truncated(len(d), mldv2QueryLen)
	}
	n, ok := addrsLen(d[24:], int(u16(d[22:])), 16)
	if !ok {
		return decoded{}, fmt.Errorf("source address cut short: %d bytes after the header", len(d)-24)
	}
	decodeMLD(l, d)
	l.put(mq2Resv, uint64(d[20]>>4))
	l.put(mq2S, uint64(d[20]>>3&1))
	l.put(mq2QRV, uint64(d[20]&7))
	l.put(mq2QQIC, uint64(d[21]))
	l.put(mq2Num, u16(d[22:]))
	l.data = d[24 : 24+n]
	return decoded{hdr: 24 + n, end: -1}, nil
}

func encodeMLDv2Report(b *Builder, i int) {
	recs := b.layers[i].Bytes(mr2Records)
	b.u16(b.num(i, mr2Reserved))
	if b.given(i, mr2Num) {
		b.u16(b.num(i, mr2Num))
	} else {
		b.u16(uint64(len(mldRecordList{}.Decode(recs))))
	}
	b.buf = append(b.buf, recs...)
}

// decodeMLDv2Report reads the records. Scapy's first record reads every
// record after it as its payload, so that with records_number 1 or more
// all the rest is records; with 0, the rest is payload.
func decodeMLDv2Report(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	l.put(mr2Reserved, u16(d))
	l.put(mr2Num, u16(d[2:]))
	if u16(d[2:]) == 0 {
		l.data = d[4:4]
		return decoded{hdr: 4, end: -1}, nil
	}
	l.data = d[4:]
	return decoded{hdr: len(d), end: -1}, nil
}

// mldRecordList is the codec of an MLDv2 report's multicast address
// records: each {rtype = 4, auxdata_len = n, sources_number = n, dst =
// "::", sources = {...}, auxdata = bytes} with Scapy's
// ICMPv6MLDMultAddrRec names and defaults (the lengths computed;
// auxdata_len counts bytes, as Scapy's does); what Scapy cannot read is
// {"Raw", bytes}.
type mldRecordList struct{}

var mldRecordFields = []string{"rtype", "auxdata_len", "sources_number", "dst", "sources", "auxdata"}

// Form shows the items' form.
func (mldRecordList) Form() string {
	return `a list of address records like {{rtype = 4, dst = "ff05::1", sources = {"2001:2::1"}}} ` +
		`(Scapy's ICMPv6MLDMultAddrRec: rtype (4), auxdata_len (computed, in bytes), sources_number (computed), dst, sources, auxdata; {"Raw", bytes} as they are)`
}

// Decode reads records to the end of data, each as Scapy's fields read
// it: those the bytes end before keep their defaults (the lengths, then
// computed, are left out); a field cut short makes the rest Raw.
func (mldRecordList) Decode(data []byte) []Item {
	var items []Item
	for len(data) > 0 {
		it, n, ok := mldRecord(data)
		if !ok {
			return append(items, Item{Values: []any{"Raw", string(data)}})
		}
		items = append(items, it)
		data = data[n:]
	}
	return items
}

func mldRecord(d []byte) (it Item, n int, ok bool) {
	it.set("rtype", uint64(d[0]))
	dst, srcs, aux := "::", Item{}, ""
	defer func() {
		if ok {
			it.set("dst", dst)
			it.set("sources", srcs)
			it.set("auxdata", aux)
		}
	}()
	switch {
	case len(d) == 1:
		return it, 1, true
	case len(d) == 2:
		it.set("auxdata_len", uint64(d[1]))
		return it, 2, true
	case len(d) < 4:
		return it, 0, false
	}
	it.set("auxdata_len", uint64(d[1]))
	it.set("sources_number", u16(d[2:]))
	if len(d) == 4 {
		return it, 4, true
	}
	if len(d) < 20 {
		return it, 0, false
	}
	dst = netip.AddrFrom16([16]byte(d[4:20])).String()
	body, rest := pySlice(d[20:], 16*int(u16(d[2:])))
	if len(body)%16 != 0 {
		return it, 0, false
	}
	for ; len(body) > 0; body = body[16:] {
		srcs.Values = append(srcs.Values, netip.AddrFrom16([16]byte(body[:16])).String())
	}
	a, _ := pySlice(rest, int(d[1]))
	aux = string(a)
	return it, len(d) - len(rest) + len(a), true
}

// Encode writes records as Scapy builds ICMPv6MLDMultAddrRec packets.
func (mldRecordList) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeMLDRecord)
}

func encodeMLDRecord(dst []byte, it *Item) ([]byte, error) {
	raw, err := checkRecord(it, "an address record", `{rtype = 4, dst = "ff05::1", sources = {...}}`, mldRecordFields)
	switch {
	case err != nil:
		return nil, err
	case raw:
		return encodeRawIPOption(dst, it)
	}
	srcs, _ := it.Field("sources")
	addrs, err := appendIPv6s(nil, srcs)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	var aux string
	if v, ok := it.Field("auxdata"); ok {
		if aux, err = itemBytes(v); err != nil {
			return nil, fmt.Errorf("auxdata: %w", err)
		}
	}
	return appendRecordHeader(dst, it, []recordField{
		{"rtype", 1, uint64(4)}, {"auxdata_len", 1, uint64(len(aux))}, {"sources_number", 2, uint64(len(addrs) / 16)},
	}, "dst", appendIPv6, append(addrs, aux...))
}
