package frame

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// LLDP (IEEE 802.1AB, EtherType 0x88cc) as Scapy 2.5's contrib lldp reads
// and writes it. Scapy chains one packet per TLV; here the lldp layer has
// one field, tlvs, a list of {name, field = value, ...} in Scapy's form,
// the name being the class's without "LLDPDU": {"ChassisID", subtype = 4,
// id = "02:00:00:00:00:01"}, {"PortID", subtype = 5, id = "eth0"},
// {"TimeToLive", ttl = 120}, {"SystemName", system_name = "sw1"},
// {"EndOfLLDPDU"}. Each TLV's _length is computed unless given.
//
// Scapy reads each TLV by its class's fields, whatever its _length says
// (a MAC chassis id is 6 bytes), the next one from where they end; a TLV
// cut within a field, and a type it has no class for, make the rest Raw.
// Here a type without a class is {type, bytes, _length = n} when its
// length fits (as tcpdump reads on), and {"Raw", bytes} is what neither
// reads. The TLVs end with the first EndOfLLDPDU: what follows is padding,
// as Scapy's EndOfLLDPDU.extract_padding makes it. Built under
// Ethernet (and VLAN tags), the layer adds those zeros up to the 60 bytes
// of a minimum frame, as Scapy's LLDPDU.post_build does.
//
// Not as Scapy, and why: Scapy's strict mode (its default) refuses to
// build or dissect an LLDPDU that does not start with chassis id, port id
// and TTL; netlua, like Scapy with strict mode off, takes any TLVs.
var LLDP = builtinProto("lldp", "LLDP data unit (EtherType 0x88cc): tlvs (list); padded with zeros to a 60-byte frame under ether", []Field{
	{Name: "tlvs", Kind: List, List: lldpTLVList{}},
})

const (
	etherLLDP   = 0x88cc
	minFrameLen = 60 // Ethernet's 64 bytes less the frame check sequence
)

// lldpBinds binds LLDP on the Ethernet type of ether, vlan and dot1ad;
// init calls it.
func lldpBinds() {
	Ether.binds = append(Ether.binds, Binding{Field: ethType, Value: etherLLDP, Upper: LLDP})
	VLAN.binds = append(VLAN.binds, Binding{Field: vlanType, Value: etherLLDP, Upper: LLDP})
	Dot1AD.binds = append(Dot1AD.binds, Binding{Field: vlanType, Value: etherLLDP, Upper: LLDP})
	LLDP.encode = func(b *Builder, i int) { b.buf = append(b.buf, b.layers[i].Bytes(0)...) }
	LLDP.finish = finishLLDP
	LLDP.decode = decodeLLDP
}

// decodeLLDP reads the TLVs to the end of the first EndOfLLDPDU, where
// Scapy's extract_padding makes the rest padding, or to the end of d.
func decodeLLDP(l *Layer, d []byte) (decoded, error) {
	n := lldpEnd(d)
	l.data = d[:n]
	return decoded{hdr: n, end: n}, nil
}

// lldpEnd is the length of the TLVs in d up to and with the first
// EndOfLLDPDU, or len(d).
func lldpEnd(d []byte) int {
	for rest := d; len(rest) > 0; {
		it, next, ok := decodeLLDPTLV(rest)
		if !ok {
			break
		}
		rest = next
		if it.Value(0) == "EndOfLLDPDU" {
			return len(d) - len(rest)
		}
	}
	return len(d)
}

// finishLLDP pads a frame whose LLDP layer is above Ethernet (and VLAN
// tags) with zeros to 60 bytes.
func finishLLDP(b *Builder, i int) {
	j := i - 1
	for j >= 0 && (b.layers[j].Proto == VLAN || b.layers[j].Proto == Dot1AD) {
		j--
	}
	if j < 0 || b.layers[j].Proto != Ether {
		return
	}
	if n := minFrameLen - b.size(j); n > 0 {
		b.buf = append(b.buf, make([]byte, n)...)
	}
}

// lldpTLV is one of Scapy's LLDPDU classes: its type, and how its fields
// read and write after the 7-bit type and 9-bit _length.
type lldpTLV struct {
	name   string
	typ    uint64
	fields []string // after _length, for errors and docs
	read   func(r *tlvReader, length uint64)
	write  func(w *tlvWriter)
}

var lldpTLVs = []lldpTLV{
	{"EndOfLLDPDU", 0, nil, func(*tlvReader, uint64) {}, func(*tlvWriter) {}},
	{"ChassisID", 1, []string{"subtype", "family", "id"}, func(r *tlvReader, n uint64) { r.lldpID(n, 4, 5) },
		func(w *tlvWriter) { w.lldpID(4, 5) }},
	{"PortID", 2, []string{"subtype", "family", "id"}, func(r *tlvReader, n uint64) { r.lldpID(n, 3, 4) },
		func(w *tlvWriter) { w.lldpID(3, 4) }},
	{"TimeToLive", 3, []string{"ttl"}, func(r *tlvReader, _ uint64) { r.num("ttl", 2, uint64(20)) },
		func(w *tlvWriter) { w.num("ttl", 2, 20) }},
	{"PortDescription", 4, []string{"description"}, func(r *tlvReader, n uint64) { r.str("description", int(n)) },
		func(w *tlvWriter) { w.str("description") }},
	{"SystemName", 5, []string{"system_name"}, func(r *tlvReader, n uint64) { r.str("system_name", int(n)) },
		func(w *tlvWriter) { w.str("system_name") }},
	{"SystemDescription", 6, []string{"description"}, func(r *tlvReader, n uint64) { r.str("description", int(n)) },
		func(w *tlvWriter) { w.str("description") }},
	{"SystemCapabilities", 7, lldpCapabilities, readCapabilities, writeCapabilities},
	{"ManagementAddress", 8, []string{"_management_address_string_length", "management_address_subtype",
		"management_address", "interface_numbering_subtype", "interface_number", "_oid_string_length", "object_id"},
		readManagementAddress, writeManagementAddress},
	{"GenericOrganisationSpecific", 127, []string{"org_code", "subtype", "data"}, func(r *tlvReader, n uint64) {
		r.num("org_code", 3, uint64(0))
		r.num("subtype", 1, uint64(0))
		r.str("data", int(n)-4)
	}, func(w *tlvWriter) {
		w.num("org_code", 3, 0)
		w.num("subtype", 1, 0)
		w.str("data")
	}},
}

// lldpCapabilities are the 32 one-bit fields of Scapy's
// LLDPDUSystemCapabilities, most significant first.
var lldpCapabilities = func() []string {
	caps := []string{"reserved_5", "reserved_4", "reserved_3", "reserved_2", "reserved_1",
		"two_port_mac_relay", "s_vlan_component", "c_vlan_component", "station_only",
		"docsis_cable_device", "telephone", "router", "wlan_access_point", "mac_bridge",
		"repeater", "other"}
	var names []string
	for _, kind := range []string{"_available", "_enabled"} {
		for _, c := range caps {
			names = append(names, c+kind)
		}
	}
	return names
}()

func lldpTLVByType(t uint64) *lldpTLV {
	for i := range lldpTLVs {
		if lldpTLVs[i].typ == t {
			return &lldpTLVs[i]
		}
	}
	return nil
}

func lldpTLVNamed(name string) (*lldpTLV, error) {
	var names []string
	for i := range lldpTLVs {
		if lldpTLVs[i].name == name {
			return &lldpTLVs[i], nil
		}
		names = append(names, lldpTLVs[i].name)
	}
	names = append(names, "Raw")
	return nil, fmt.Errorf("unknown LLDP TLV '%s' (%shave: %s)", name, didYouMean(name, names), strings.Join(names, ", "))
}

// lldpTLVList is the codec of the lldp layer's tlvs.
type lldpTLVList struct{}

// Form shows the items' form.
func (lldpTLVList) Form() string {
	var names []string
	for _, t := range lldpTLVs {
		names = append(names, t.name)
	}
	return `a list like {{"ChassisID", subtype = 4, id = "02:00:00:00:00:01"}, {"PortID", subtype = 5, id = "eth0"}, {"TimeToLive", ttl = 120}, ` +
		`{"SystemName", system_name = "sw1"}, {"EndOfLLDPDU"}} (the names and fields of Scapy's LLDPDU<name>: ` + strings.Join(names, ", ") +
		`; _length computed unless given; {type, bytes} for other types)`
}

// Decode reads TLVs as Scapy's chain of LLDPDU packets; bytes after an
// EndOfLLDPDU (a parsed layer has none: they are its padding) are Raw.
func (lldpTLVList) Decode(data []byte) []Item {
	var items []Item
	for len(data) > 0 {
		it, rest, ok := decodeLLDPTLV(data)
		if !ok || len(items) > 0 && items[len(items)-1].Value(0) == "EndOfLLDPDU" {
			return append(items, Item{Values: []any{"Raw", string(data)}})
		}
		items = append(items, it)
		data = rest
	}
	return items
}

func decodeLLDPTLV(d []byte) (Item, []byte, bool) {
	if len(d) < 2 {
		return Item{}, nil, false
	}
	typ, n := uint64(d[0]>>1), uint64(d[0]&1)<<8|uint64(d[1])
	tlv := lldpTLVByType(typ)
	if tlv == nil {
		if 2+int(n) > len(d) {
			return Item{}, nil, false
		}
		it := Item{Values: []any{typ, string(d[2 : 2+n])}}
		it.set("_length", n)
		return it, d[2+n:], true
	}
	r := tlvReader{d: d[2:]}
	r.it.Values = []any{tlv.name}
	r.it.set("_length", n)
	tlv.read(&r, n)
	return r.it, r.d, !r.bad
}

// A tlvReader reads a TLV's fields as Scapy's do_dissect: a field the
// bytes end before keeps its default (nil: none, the field is left out),
// a field cut short fails the TLV.
type tlvReader struct {
	d   []byte
	it  Item
	bad bool
}

// take returns the next n bytes, or false when there are none (or too few).
func (r *tlvReader) take(n int) ([]byte, bool) {
	if r.bad || len(r.d) == 0 {
		return nil, false
	}
	if len(r.d) < n {
		r.bad = true
		return nil, false
	}
	b := r.d[:n]
	r.d = r.d[n:]
	return b, true
}

// num reads an n-byte number.
func (r *tlvReader) num(name string, n int, def any) any {
	v := def
	if b, ok := r.take(n); ok {
		v = beUint(b)
	}
	if v != nil {
		r.it.set(name, v)
	}
	return v
}

// str reads a StrLenField of n bytes, as Python slices them.
func (r *tlvReader) str(name string, n int) {
	s := ""
	if !r.bad && len(r.d) > 0 {
		var b []byte
		b, r.d = pySlice(r.d, n)
		s = string(b)
	}
	r.it.set(name, s)
}

// lldpID reads a chassis or port id: subtype, family for a network
// address, and the id as MultipleTypeField picks it.
func (r *tlvReader) lldpID(n uint64, macSub, netSub uint64) {
	sub := r.num("subtype", 1, uint64(0))
	var fam any
	if sub == netSub {
		fam = r.num("family", 1, uint64(0))
	}
	var b []byte
	var ok bool
	switch {
	case sub == macSub:
		if b, ok = r.take(6); ok {
			r.it.set("id", macText(beUint(b)))
		}
	case sub == netSub && (fam == uint64(1) || fam == uint64(2)):
		if b, ok = r.take(4 + 12*int(fam.(uint64)-1)); ok {
			a, _ := netip.AddrFromSlice(b)
			r.it.set("id", a.String())
		}
	default:
		k := int(n) - 1
		if sub == netSub {
			k--
		}
		r.str("id", k)
	}
}

func readCapabilities(r *tlvReader, _ uint64) {
	// Scapy's bit fields read the bytes there are: missing ones read as 0.
	b := r.d[:min(4, len(r.d))]
	r.d = r.d[len(b):]
	v := beUint(append(append([]byte(nil), b...), make([]byte, 4-len(b))...))
	for k, name := range lldpCapabilities {
		r.it.set(name, v>>(31-k)&1)
	}
}

func readManagementAddress(r *tlvReader, _ uint64) {
	slen := r.num("_management_address_string_length", 1, nil)
	r.num("management_address_subtype", 1, uint64(0))
	k := 0
	if slen != nil {
		k = int(slen.(uint64)) - 1
	}
	r.str("management_address", k)
	r.num("interface_numbering_subtype", 1, uint64(1))
	r.num("interface_number", 4, uint64(0))
	olen := r.num("_oid_string_length", 1, nil)
	k = 0
	if olen != nil {
		k = int(olen.(uint64))
	}
	r.str("object_id", k)
}

// Encode writes TLVs as Scapy builds LLDPDU packets.
func (lldpTLVList) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeLLDPTLV)
}

func encodeLLDPTLV(dst []byte, it *Item) ([]byte, error) {
	switch name := it.Value(0).(type) {
	case string:
		if name == "Raw" {
			return encodeRawIPOption(dst, it)
		}
		tlv, err := lldpTLVNamed(name)
		if err != nil {
			return nil, err
		}
		if len(it.Values) > 1 {
			return nil, fmt.Errorf(`%s takes named fields: {"%s", field = value}`, name, name)
		}
		return tlv.encode(dst, it)
	case nil:
		return nil, errors.New(`an LLDP TLV is {name, field = value, ...}: {"TimeToLive", ttl = 120}`)
	}
	return encodeLLDPGeneric(dst, it)
}

// encodeLLDPGeneric writes {type, bytes [, _length = n]}.
func encodeLLDPGeneric(dst []byte, it *Item) ([]byte, error) {
	t, err := itemUint(it.Value(0), 7)
	if err != nil {
		return nil, fmt.Errorf("an LLDP TLV is {name, ...} or {type, bytes}: type: %w", err)
	}
	if len(it.Values) > 2 {
		return nil, fmt.Errorf("TLV %d: {type, bytes [, _length = n]} expected", t)
	}
	for _, f := range it.Fields {
		if f.Name != "_length" {
			return nil, fmt.Errorf("TLV %d has no field '%s' (have: _length)", t, f.Name)
		}
	}
	var value string
	if v := it.Value(1); v != nil {
		if value, err = itemBytes(v); err != nil {
			return nil, fmt.Errorf("TLV %d: %w", t, err)
		}
	}
	w := tlvWriter{dst: append(dst, 0, 0), it: it}
	w.dst = append(w.dst, value...)
	return w.header(len(dst), t, uint64(len(value)))
}

// encode writes a named TLV: its fields, then its header.
func (t *lldpTLV) encode(dst []byte, it *Item) ([]byte, error) {
	names := append([]string{"_length"}, t.fields...)
	for _, f := range it.Fields {
		if !contains(names, f.Name) {
			return nil, fmt.Errorf("%s has no field '%s' (%shave: %s)", t.name, f.Name, didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	w := tlvWriter{dst: append(dst, 0, 0), it: it}
	t.write(&w)
	if w.err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, w.err)
	}
	// Scapy's _length is what the fields take: TTL's fixed 2 and
	// capabilities' 4 too, as their fields are fixed.
	n := uint64(len(w.dst) - len(dst) - 2)
	return w.header(len(dst), t.typ, n)
}

// A tlvWriter appends a TLV's fields from an item, each as given or its
// default; the first error stops it.
type tlvWriter struct {
	dst []byte
	it  *Item
	err error
}

// header writes the type and _length (as given, else n) at dst[at:].
func (w *tlvWriter) header(at int, typ, n uint64) ([]byte, error) {
	if v, ok := w.it.Field("_length"); ok {
		u, err := itemUint(v, 9)
		if err != nil {
			return nil, fmt.Errorf("_length: %w", err)
		}
		n = u
	}
	if n > 511 {
		return nil, fmt.Errorf("a TLV of %d bytes, the most is 511", n)
	}
	w.dst[at], w.dst[at+1] = byte(typ<<1|n>>8), byte(n)
	return w.dst, nil
}

func (w *tlvWriter) value(name string, def any) any {
	if v, ok := w.it.Field(name); ok {
		return v
	}
	return def
}

func (w *tlvWriter) num(name string, n int, def uint64) uint64 {
	if w.err != nil {
		return 0
	}
	v := w.value(name, def)
	u, err := itemUint(v, 8*n)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", name, err)
		return 0
	}
	w.dst, _ = appendUint(w.dst, u, n)
	return u
}

func (w *tlvWriter) str(name string) int {
	if w.err != nil {
		return 0
	}
	s, err := itemBytes(w.value(name, ""))
	if err != nil {
		w.err = fmt.Errorf("%s: %w", name, err)
	}
	w.dst = append(w.dst, s...)
	return len(s)
}

// lldpID writes a chassis or port id: subtype, family for a network
// address, and the id as a MAC, an address or bytes by subtype and family.
func (w *tlvWriter) lldpID(macSub, netSub uint64) {
	sub := w.num("subtype", 1, 0)
	var fam uint64
	if sub == netSub {
		fam = w.num("family", 1, 0)
	}
	if w.err != nil {
		return
	}
	// An id not given is Scapy's default: zeros for a MAC or an address.
	var err error
	switch {
	case sub == macSub:
		v := w.value("id", "00:00:00:00:00:00")
		s, _ := v.(string)
		m, ok := parseMAC(s)
		if !ok {
			err = fmt.Errorf(`id: want a MAC address like "02:00:00:00:00:01", got %s`, valueText(v))
		}
		w.dst, _ = appendUint(w.dst, m, 6)
	case sub == netSub && fam == 1:
		w.dst, err = appendAddr(w.dst, w.value("id", "0.0.0.0"))
	case sub == netSub && fam == 2:
		w.dst, err = appendIPv6(w.dst, w.value("id", "::"))
	default:
		w.str("id")
	}
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("id: %w", err)
	}
}

func writeCapabilities(w *tlvWriter) {
	var v uint64
	for k, name := range lldpCapabilities {
		u, err := itemUint(w.value(name, uint64(0)), 1)
		if err != nil && w.err == nil {
			w.err = fmt.Errorf("%s: %w", name, err)
		}
		v |= u << (31 - k)
	}
	w.dst, _ = appendUint(w.dst, v, 4)
}

func writeManagementAddress(w *tlvWriter) {
	addr, _ := w.value("management_address", "").(string)
	w.num("_management_address_string_length", 1, uint64(len(addr)+1))
	w.num("management_address_subtype", 1, 0)
	w.str("management_address")
	w.num("interface_numbering_subtype", 1, 1)
	w.num("interface_number", 4, 0)
	oid, _ := w.value("object_id", "").(string)
	w.num("_oid_string_length", 1, uint64(len(oid)))
	w.str("object_id")
}
