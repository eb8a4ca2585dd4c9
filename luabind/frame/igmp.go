package frame

import (
	"fmt"
	"net/netip"
	"strings"
)

// IGMP v1, v2 and v3 (IPv4 protocol 2), as Scapy 2.5's contrib igmp and
// igmpv3 lay them out: one layer per Scapy class, with its field names.
//
//   - igmp is Scapy's IGMP, the v1/v2 message: type, mrcode, chksum, gaddr.
//   - igmpv3 is Scapy's IGMPv3: type, mrcode, chksum, and then, by type,
//     igmpv3mq (0x11, the v3 query), igmpv3mr (0x22 with mrcode 0, the v3
//     report, its group records a list) or igmpv3mra (0x30, a multicast
//     router advertisement), as Scapy binds them.
//
// Which of igmp and igmpv3 decodes an IGMP message is Scapy's
// dispatch_hook: types 0x22 and 0x30-0x32 are v3, a query (0x11) is v3
// when it has 12 bytes or more, anything else is v1/v2. The checksum covers
// the message and what follows it, computed unless given. Built on IPv4,
// an igmp layer makes the ttl 1 and an igmpv3 layer ttl 1, tos 0xc0 and
// dst 224.0.0.22 unless given, as Scapy's bind_layers overload them.
//
// Not as Scapy, and why: Scapy decodes IPv4 protocol 2 as IGMP only when
// the ttl is 1 (its binding's other fields); here, as in tcpdump, every
// protocol 2 payload is IGMP. Scapy's igmpize (router alert option,
// group destinations) is left to the script.
var (
	IGMP = builtinProto("igmp", "IGMP v1/v2 message (IPv4 protocol 2; v3 messages are igmpv3); chksum computed; "+
		"makes the ipv4 below it ttl 1 unless given", []Field{
		{Name: "type", Bits: 8, Hex: true}, {Name: "mrcode", Bits: 8},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true}, {Name: "gaddr", Kind: IPv4Addr},
	}, "type", 0x11, "mrcode", 20, "gaddr", "0.0.0.0")

	IGMPv3 = builtinProto("igmpv3", "IGMPv3 header (type 0x11 query with 12 bytes or more, 0x22 report, 0x30-0x32); "+
		"igmpv3mq, igmpv3mr or igmpv3mra follows by type; chksum computed over what follows; "+
		"makes the ipv4 below it ttl 1, tos 0xc0, dst 224.0.0.22 unless given", []Field{
		{Name: "type", Bits: 8, Hex: true}, {Name: "mrcode", Bits: 8},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true},
	}, "type", 0x11, "mrcode", 20)

	IGMPv3MQ = builtinProto("igmpv3mq", "IGMPv3 membership query (igmpv3 type 0x11): numsrc computed from srcaddrs (a list of IPv4 addresses)", []Field{
		{Name: "gaddr", Kind: IPv4Addr}, {Name: "resv", Bits: 4}, {Name: "s", Bits: 1},
		{Name: "qrv", Bits: 3}, {Name: "qqic", Bits: 8}, {Name: "numsrc", Bits: 16, Auto: true},
		{Name: "srcaddrs", Kind: List, List: ipv4AddrList{}},
	}, "gaddr", "0.0.0.0")

	IGMPv3MR = builtinProto("igmpv3mr", "IGMPv3 membership report (igmpv3 type 0x22, mrcode 0): numgrp computed from records", []Field{
		{Name: "res2", Bits: 16, Hex: true}, {Name: "numgrp", Bits: 16, Auto: true},
		{Name: "records", Kind: List, List: igmpRecordList{}},
	})

	IGMPv3MRA = builtinProto("igmpv3mra", "IGMP multicast router advertisement (igmpv3 type 0x30)", []Field{
		{Name: "qryIntvl", Bits: 16}, {Name: "robust", Bits: 16},
	})
)

// Field indexes of the IGMP layers.
const (
	igmpType, igmpMrcode, igmpChksum, igmpGaddr = 0, 1, 2, 3

	mqGaddr, mqResv, mqS, mqQrv, mqQqic, mqNumsrc, mqSrcaddrs = 0, 1, 2, 3, 4, 5, 6

	mrRes2, mrNumgrp, mrRecords = 0, 1, 2

	mraQryIntvl, mraRobust = 0, 1
)

// IGMP numbers: the protocol, the v3 types, and what Scapy's bindings
// give the IPv4 layer under it.
const (
	protoIGMP                                 = 2
	igmpQuery, igmpV3Report                   = 0x11, 0x22
	igmpRouterAdv, igmpRouterSol, igmpRouterT = 0x30, 0x31, 0x32
	igmpTTL, igmpV3TOS                        = 1, 0xc0
	igmpV3Dst                                 = 224<<24 | 22 // 224.0.0.22
)

// igmpBinds binds the IGMP layers on IPv4 and IGMPv3's bodies on its
// type; init calls it.
func igmpBinds() {
	ttl := &Binding{Field: ipTTL, Value: igmpTTL}
	v3 := &Binding{Field: ipTTL, Value: igmpTTL, also: &Binding{Field: ipTOS, Value: igmpV3TOS,
		also: &Binding{Field: ipDst, Value: igmpV3Dst}}}
	// Parse takes the first: igmp, whose dispatch picks the version.
	IPv4.binds = append(IPv4.binds,
		Binding{Field: ipProto, Value: protoIGMP, Upper: IGMP, also: ttl},
		Binding{Field: ipProto, Value: protoIGMP, Upper: IGMPv3, also: v3})
	IGMPv3.binds = []Binding{
		{Field: igmpType, Value: igmpQuery, Upper: IGMPv3MQ},
		{Field: igmpType, Value: igmpV3Report, Upper: IGMPv3MR, both: true,
			also: &Binding{Field: igmpMrcode, Value: 0}},
		{Field: igmpType, Value: igmpRouterAdv, Upper: IGMPv3MRA},
	}
	IGMP.encode, IGMP.finish, IGMP.decode = encodeIGMP, finishIGMP, decodeIGMP
	IGMPv3.encode, IGMPv3.finish, IGMPv3.decode = encodeIGMPv3, finishIGMP, decodeIGMPv3
	IGMP.dispatch, IGMPv3.dispatch = igmpDispatch, igmpv3Dispatch
	IGMPv3MQ.encode, IGMPv3MQ.decode = encodeIGMPv3MQ, decodeIGMPv3MQ
	IGMPv3MR.encode, IGMPv3MR.decode = encodeIGMPv3MR, decodeIGMPv3MR
	IGMPv3MRA.encode, IGMPv3MRA.decode = encodeIGMPv3MRA, decodeIGMPv3MRA
}

// igmpIsV3 is Scapy's test of both dispatch hooks on 4 bytes or more.
func igmpIsV3(d []byte) bool {
	switch d[0] {
	case igmpV3Report, igmpRouterAdv, igmpRouterSol, igmpRouterT:
		return true
	case igmpQuery:
		return len(d) >= 12
	}
	return false
}

// igmpDispatch is Scapy's IGMP.dispatch_hook: v1/v2 unless igmpIsV3.
func igmpDispatch(d []byte) *Proto {
	if len(d) >= 4 && igmpIsV3(d) {
		return IGMPv3
	}
	return IGMP
}

// igmpv3Dispatch is Scapy's IGMPv3.dispatch_hook: v3 unless the type is
// a v1/v2 one or a query is shorter than 12 bytes.
func igmpv3Dispatch(d []byte) *Proto {
	if len(d) >= 4 {
		switch {
		case d[0] == 0x12 || d[0] == 0x16 || d[0] == 0x17:
			return IGMP
		case d[0] == igmpQuery && len(d) < 12:
			return IGMP
		}
	}
	return IGMPv3
}

func encodeIGMP(b *Builder, i int) {
	encodeIGMPv3(b, i)
	b.addr(i, igmpGaddr)
}

func encodeIGMPv3(b *Builder, i int) {
	b.u8(b.num(i, igmpType))
	b.u8(b.num(i, igmpMrcode))
	b.u16(b.num(i, igmpChksum))
}

// finishIGMP computes the checksum over the message and what follows, as
// Scapy's IGMP.post_build.
func finishIGMP(b *Builder, i int) {
	if !b.given(i, igmpChksum) {
		b.put16(i, 2, checksum(b.from(i)))
	}
}

func decodeIGMP(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	decodeIGMPv3(l, d)
	l.putAddr(igmpGaddr, d[4:8])
	return decoded{hdr: 8, end: -1}, nil
}

func decodeIGMPv3(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	l.put(igmpType, uint64(d[0]))
	l.put(igmpMrcode, uint64(d[1]))
	l.put(igmpChksum, u16(d[2:]))
	return decoded{hdr: 4, end: -1}, nil
}

func encodeIGMPv3MQ(b *Builder, i int) {
	l := b.layers[i]
	srcs := l.Bytes(mqSrcaddrs)
	b.addr(i, mqGaddr)
	b.u8(b.num(i, mqResv)<<4 | b.num(i, mqS)<<3 | b.num(i, mqQrv))
	b.u8(b.num(i, mqQqic))
	if b.given(i, mqNumsrc) {
		b.u16(b.num(i, mqNumsrc))
	} else {
		b.u16(uint64(len(srcs) / 4))
	}
	b.buf = append(b.buf, srcs...)
}

// decodeIGMPv3MQ reads numsrc addresses, or those there are, as Scapy's
// FieldListField; a query cut short of its 8 bytes, or within an address,
// is left undecoded (Scapy fills missing fields with their defaults, or
// leaves the bytes Raw).
func decodeIGMPv3MQ(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	n, ok := addrsLen(d[8:], int(u16(d[6:])), 4)
	if !ok {
		return decoded{}, fmt.Errorf("source address cut short: %d bytes after the header", len(d)-8)
	}
	l.putAddr(mqGaddr, d[:4])
	l.put(mqResv, uint64(d[4]>>4))
	l.put(mqS, uint64(d[4]>>3&1))
	l.put(mqQrv, uint64(d[4]&7))
	l.put(mqQqic, uint64(d[5]))
	l.put(mqNumsrc, u16(d[6:]))
	l.data = d[8 : 8+n]
	return decoded{hdr: 8 + n, end: -1}, nil
}

// addrsLen is the bytes of up to count addresses of size bytes at the
// start of d, as Scapy's count_from lists read them: to the count or the
// end of d; ok is false when an address is cut short.
func addrsLen(d []byte, count, size int) (int, bool) {
	n := min(count*size, len(d)/size*size)
	return n, n == count*size || n == len(d)
}

func encodeIGMPv3MR(b *Builder, i int) {
	recs := b.layers[i].Bytes(mrRecords)
	b.u16(b.num(i, mrRes2))
	if b.given(i, mrNumgrp) {
		b.u16(b.num(i, mrNumgrp))
	} else {
		b.u16(uint64(igmpRecordCount(recs)))
	}
	b.buf = append(b.buf, recs...)
}

// decodeIGMPv3MR reads numgrp group records, as Scapy's PacketListField:
// what follows them is payload; a record cut short takes the rest.
func decodeIGMPv3MR(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	l.put(mrRes2, u16(d))
	l.put(mrNumgrp, u16(d[2:]))
	rest := d[4:]
	for n := u16(d[2:]); n > 0 && len(rest) > 0; n-- {
		k, ok := igmpRecordLen(rest)
		if !ok {
			k = len(rest)
		}
		rest = rest[k:]
	}
	l.data = d[4 : len(d)-len(rest)]
	return decoded{hdr: len(d) - len(rest), end: -1}, nil
}

func encodeIGMPv3MRA(b *Builder, i int) {
	b.u16(b.num(i, mraQryIntvl))
	b.u16(b.num(i, mraRobust))
}

func decodeIGMPv3MRA(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	l.put(mraQryIntvl, u16(d))
	l.put(mraRobust, u16(d[2:]))
	return decoded{hdr: 4, end: -1}, nil
}

// igmpRecordLen is the length of the group record at the start of d, as
// Scapy's IGMPv3gr reads it: 8 bytes and numsrc addresses (the auxiliary
// data its auxdlen counts is not read), or fewer where d ends between two
// fields. ok is false when d ends within a field: Scapy then reads the rest
// as one Raw record.
func igmpRecordLen(d []byte) (n int, ok bool) {
	switch {
	case len(d) < 8:
		return len(d), len(d) == 1 || len(d) == 2 || len(d) == 4
	}
	n, ok = addrsLen(d[8:], int(u16(d[2:])), 4)
	return 8 + n, ok
}

// igmpRecordCount is the number of records in d.
func igmpRecordCount(d []byte) int {
	n := 0
	for ; len(d) > 0; n++ {
		k, ok := igmpRecordLen(d)
		if !ok {
			k = len(d)
		}
		d = d[k:]
	}
	return n
}

// igmpRecordList is the codec of an IGMPv3 report's group records: each
// {rtype = 1, auxdlen = 0, numsrc = n, maddr = "0.0.0.0", srcaddrs =
// {...}} with Scapy's IGMPv3gr names and defaults (numsrc computed); a
// record cut short is {"Raw", bytes}, as Scapy reads it.
type igmpRecordList struct{}

var igmpRecordFields = []string{"rtype", "auxdlen", "numsrc", "maddr", "srcaddrs"}

// Form shows the items' form.
func (igmpRecordList) Form() string {
	return `a list of group records like {{rtype = 4, maddr = "239.1.2.3", srcaddrs = {"198.18.0.1"}}} ` +
		`(Scapy's IGMPv3gr: rtype (1), auxdlen (0), numsrc (computed), maddr, srcaddrs; {"Raw", bytes} as they are)`
}

// Decode reads records to the end of data.
func (igmpRecordList) Decode(data []byte) []Item {
	var items []Item
	for len(data) > 0 {
		n, ok := igmpRecordLen(data)
		if !ok {
			return append(items, Item{Values: []any{"Raw", string(data)}})
		}
		items = append(items, igmpRecord(data[:n]))
		data = data[n:]
	}
	return items
}

// igmpRecord reads a group record as Scapy does: fields the bytes end
// before keep their defaults (numsrc, computed, is left out).
func igmpRecord(d []byte) Item {
	var it Item
	it.set("rtype", uint64(d[0]))
	it.set("auxdlen", uint64(0))
	if len(d) >= 2 {
		it.Fields[1].Value = uint64(d[1])
	}
	if len(d) >= 4 {
		it.set("numsrc", u16(d[2:]))
	}
	maddr, srcs := "0.0.0.0", Item{}
	if len(d) >= 8 {
		maddr = netip.AddrFrom4([4]byte(d[4:8])).String()
		for _, a := range (ipv4AddrList{}).Decode(d[8:]) {
			srcs.Values = append(srcs.Values, a.Values[0])
		}
	}
	it.set("maddr", maddr)
	it.set("srcaddrs", srcs)
	return it
}

// Encode writes records as Scapy builds IGMPv3gr packets.
func (igmpRecordList) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeIGMPRecord)
}

func encodeIGMPRecord(dst []byte, it *Item) ([]byte, error) {
	raw, err := checkRecord(it, "a group record", `{rtype = 4, maddr = "239.1.2.3", srcaddrs = {...}}`, igmpRecordFields)
	switch {
	case err != nil:
		return nil, err
	case raw:
		return encodeRawIPOption(dst, it)
	}
	srcs, _ := it.Field("srcaddrs")
	addrs, err := appendAddrs(nil, srcs)
	if err != nil {
		return nil, fmt.Errorf("srcaddrs: %w", err)
	}
	return appendRecordHeader(dst, it, []recordField{
		{"rtype", 1, uint64(1)}, {"auxdlen", 1, uint64(0)}, {"numsrc", 2, uint64(len(addrs) / 4)},
	}, "maddr", appendAddr, addrs)
}

// checkRecord checks an item of a list of IGMPv3 or MLDv2 records: raw
// for {"Raw", bytes}, else named fields from names only.
func checkRecord(it *Item, what, form string, names []string) (raw bool, err error) {
	if it.Value(0) == "Raw" {
		return true, nil
	}
	if len(it.Values) > 0 {
		return false, fmt.Errorf(`%s is %s or {"Raw", bytes}`, what, form)
	}
	for _, f := range it.Fields {
		if !contains(names, f.Name) {
			return false, fmt.Errorf("%s has no field '%s' (%shave: %s)", what, f.Name,
				didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	return false, nil
}

// A recordField is a number at the start of a group record, and its
// default when the item does not give it.
type recordField struct {
	name string
	size int
	def  uint64
}

// appendRecordHeader writes a group record of IGMPv3 or MLDv2: its
// numbers, its group address, then body.
func appendRecordHeader(dst []byte, it *Item, nums []recordField, addrName string,
	appendA func([]byte, any) ([]byte, error), body []byte) ([]byte, error) {
	for _, f := range nums {
		v, ok := it.Field(f.name)
		if !ok {
			v = f.def
		}
		var err error
		if dst, err = appendUint(dst, v, f.size); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	a, ok := it.Field(addrName)
	if !ok {
		a = "0.0.0.0"
		if addrName != "maddr" {
			a = "::"
		}
	}
	dst, err := appendA(dst, a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", addrName, err)
	}
	return append(dst, body...), nil
}
