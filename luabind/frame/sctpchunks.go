package frame

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// SCTP chunks as Scapy 2.5's SCTPChunk* classes read and write them: a
// list of {name, field = value, ...} with Scapy's chunk type names and
// field names: {"data", tsn = 1, stream_id = 0, data = "hello",
// beginning = 1, ending = 1}, {"init", init_tag = 7, a_rwnd = 65535,
// n_out_streams = 1, n_in_streams = 1, init_tsn = 1}, {"sack",
// cumul_tsn_ack = 1, gap_ack_list = {"2:3"}, dup_tsn_list = {5}},
// {"cookie-echo", cookie = "..."}, {"shutdown", cumul_tsn_ack = 1}, ...
// Fields not given are 0 (Scapy's None), len is computed unless given,
// and data, error causes, cookies and HMACs are padded to 4 bytes, as
// Scapy's PadField pads them. Parse gives every field and len.
//
// As Scapy reads them: a chunk takes the bytes its fields take (a
// shutdown 8 whatever len says; data len - 16 bytes, and the padding
// after), so a wrong len shifts the next chunk as in Scapy; a type Scapy
// has no class for, and what its fields cannot read, is {"Raw", bytes} to
// the end; fewer than 4 bytes after the last chunk are the packet's
// padding.
//
// Not as Scapy, and why: params (init, init-ack, heartbeat-req,
// heartbeat-ack, address-configuration) are their bytes, where Scapy
// reads them into SCTPChunkParam* layers; a chunk whose padding is not
// zeros is Raw to the end, where Scapy drops the padding's bytes, so that
// a parsed list builds back to its bytes.

// An sctpField is a field of a chunk after its type byte: in the flags
// byte (bits < 8), or a number after the length.
type sctpField struct {
	name string
	bits int
}

// An sctpChunk is one of Scapy's SCTPChunk classes.
type sctpChunk struct {
	typ   byte
	name  string
	flags []sctpField // the bits of the flags byte, from the highest
	// fixedLen is Scapy's default len of a chunk of fixed size, which
	// takes its fixed size whatever len says; 0: len is computed
	fixedLen int
	fields   []sctpField // after the length
	rest     string      // the bytes field that ends the chunk, or ""
	pad      bool        // rest is padded to 4 bytes
}

var flagsByte = []sctpField{{"flags", 8}}
var tcbByte = []sctpField{{"reserved", 7}, {"TCB", 1}}
var initFields = []sctpField{{"init_tag", 32}, {"a_rwnd", 32}, {"n_out_streams", 16}, {"n_in_streams", 16}, {"init_tsn", 32}}

// sctpChunks are Scapy 2.5's sctpchunktypes, and their classes' fields.
var sctpChunks = []sctpChunk{
	{0, "data", []sctpField{{"reserved", 4}, {"delay_sack", 1}, {"unordered", 1}, {"beginning", 1}, {"ending", 1}}, 0,
		[]sctpField{{"tsn", 32}, {"stream_id", 16}, {"stream_seq", 16}, {"proto_id", 32}}, "data", true},
	{1, "init", flagsByte, 0, initFields, "params", false},
	{2, "init-ack", flagsByte, 0, initFields, "params", false},
	{3, "sack", flagsByte, 0, []sctpField{{"cumul_tsn_ack", 32}, {"a_rwnd", 32}}, "", false},
	{4, "heartbeat-req", flagsByte, 0, nil, "params", false},
	{5, "heartbeat-ack", flagsByte, 0, nil, "params", false},
	{6, "abort", tcbByte, 0, nil, "error_causes", true},
	{7, "shutdown", flagsByte, 8, []sctpField{{"cumul_tsn_ack", 32}}, "", false},
	{8, "shutdown-ack", flagsByte, 4, nil, "", false},
	{9, "error", flagsByte, 0, nil, "error_causes", true},
	{10, "cookie-echo", flagsByte, 0, nil, "cookie", true},
	{11, "cookie-ack", flagsByte, 4, nil, "", false},
	{14, "shutdown-complete", tcbByte, 4, nil, "", false},
	{15, "authentication", flagsByte, 0, []sctpField{{"shared_key_id", 16}, {"HMAC_function", 16}}, "HMAC", true},
	{0x80, "address-configuration-ack", flagsByte, 0, []sctpField{{"seq", 32}}, "params", false},
	{0xc1, "address-configuration", flagsByte, 0, []sctpField{{"seq", 32}}, "params", false},
}

// sctpChunkList is the codec of sctp's chunks field.
var sctpChunkList ListCodec = sctpChunkCodec{}

type sctpChunkCodec struct{}

// Form shows the items' form.
func (sctpChunkCodec) Form() string {
	return `a list like {{"init", init_tag = 7, a_rwnd = 65535, n_out_streams = 1, n_in_streams = 1, init_tsn = 1}, ` +
		`{"data", tsn = 1, data = "hello", beginning = 1, ending = 1}, {"sack", cumul_tsn_ack = 1, gap_ack_list = {"2:3"}}} ` +
		`(Scapy's chunk types and SCTPChunk* fields: ` + strings.Join(sctpChunkNames(), ", ") +
		`; len, and sack's n_gap_ack and n_dup_tsn, computed unless given; {"Raw", bytes} for others)`
}

func sctpChunkNames() []string {
	names := make([]string, len(sctpChunks))
	for i := range sctpChunks {
		names[i] = sctpChunks[i].name
	}
	return names
}

func sctpChunkByType(t byte) *sctpChunk {
	for i := range sctpChunks {
		if sctpChunks[i].typ == t {
			return &sctpChunks[i]
		}
	}
	return nil
}

// sctpChunksLen is how many bytes of d are chunks: all but fewer than 4
// left after the last chunk Scapy reads, which are padding.
func sctpChunksLen(d []byte) int {
	n := 0
	for len(d)-n >= 4 {
		c := sctpChunkByType(d[n])
		if c == nil {
			return len(d) // Raw to the end
		}
		_, k, ok := c.decode(d[n:])
		if !ok {
			return len(d)
		}
		n += k
	}
	return n
}

// Decode reads chunks as Scapy's chain of SCTPChunk payloads.
func (sctpChunkCodec) Decode(d []byte) []Item {
	var items []Item
	for len(d) > 0 {
		c := sctpChunkByType(d[0])
		if c == nil || len(d) < 4 {
			return append(items, Item{Values: []any{"Raw", string(d)}})
		}
		it, n, ok := c.decode(d)
		if !ok || !sctpRoundTrips(&it, d[:n]) {
			return append(items, Item{Values: []any{"Raw", string(d)}})
		}
		items = append(items, it)
		d = d[n:]
	}
	return items
}

func sctpRoundTrips(it *Item, b []byte) bool {
	got, err := encodeSCTPChunk(nil, it)
	return err == nil && bytes.Equal(got, b)
}

// decode reads the chunk at the start of d, and how many bytes it takes;
// ok is false where Scapy's fields run out.
func (c *sctpChunk) decode(d []byte) (it Item, n int, ok bool) {
	fixed := 4
	for _, f := range c.fields {
		fixed += f.bits / 8
	}
	if len(d) < fixed {
		return Item{}, 0, false
	}
	it = Item{Values: []any{c.name}}
	bit := 0
	for _, f := range c.flags {
		it.set(f.name, uint64(d[1])>>(8-bit-f.bits)&(1<<f.bits-1))
		bit += f.bits
	}
	length := int(u16(d[2:]))
	it.set("len", uint64(length))
	at := d[4:]
	for _, f := range c.fields {
		it.set(f.name, beUint(at[:f.bits/8]))
		at = at[f.bits/8:]
	}
	n = fixed
	switch {
	case c.typ == 3:
		return c.decodeSACK(d, it)
	case c.rest != "":
		rest, _ := pySlice(d[fixed:], length-fixed)
		it.set(c.rest, string(rest))
		n += len(rest)
		if c.pad {
			n = min(n+(-len(rest))&3, len(d))
		}
	}
	return it, n, true
}

// decodeSACK reads the counts and the lists they count.
func (c *sctpChunk) decodeSACK(d []byte, it Item) (Item, int, bool) {
	if len(d) < 16 {
		return Item{}, 0, false
	}
	gaps, dups := int(u16(d[12:])), int(u16(d[14:]))
	n := 16 + 4*gaps + 4*dups
	if len(d) < n {
		return Item{}, 0, false
	}
	it.set("n_gap_ack", uint64(gaps))
	it.set("n_dup_tsn", uint64(dups))
	var gapList, dupList Item
	for k := range gaps {
		g := d[16+4*k:]
		gapList.Values = append(gapList.Values, fmt.Sprintf("%d:%d", u16(g), u16(g[2:])))
	}
	for k := range dups {
		dupList.Values = append(dupList.Values, u32(d[16+4*gaps+4*k:]))
	}
	it.set("gap_ack_list", gapList)
	it.set("dup_tsn_list", dupList)
	return it, n, true
}

// Encode writes chunks as Scapy builds SCTPChunk packets.
func (sctpChunkCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeSCTPChunk)
}

func encodeSCTPChunk(dst []byte, it *Item) ([]byte, error) {
	name, ok := it.Value(0).(string)
	if !ok {
		return nil, errors.New(`an SCTP chunk is {name, field = value, ...}: {"data", tsn = 1, data = "hello"}, or {"Raw", bytes}`)
	}
	if name == "Raw" {
		return encodeRawIPOption(dst, it)
	}
	c := sctpChunkNamed(name)
	if c == nil {
		names := append(sctpChunkNames(), "Raw")
		return nil, fmt.Errorf("unknown SCTP chunk '%s' (%shave: %s)", name, didYouMean(name, names), strings.Join(names, ", "))
	}
	if len(it.Values) > 1 {
		return nil, fmt.Errorf(`%s takes named fields: {"%s", len = ...}`, name, name)
	}
	if err := c.checkFields(it); err != nil {
		return nil, err
	}
	dst, err := c.encode(dst, it)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return dst, nil
}

func sctpChunkNamed(name string) *sctpChunk {
	for i := range sctpChunks {
		if sctpChunks[i].name == name {
			return &sctpChunks[i]
		}
	}
	return nil
}

// fieldNames are the names an item of the chunk may give.
func (c *sctpChunk) fieldNames() []string {
	names := []string{"len"}
	for _, f := range append(append([]sctpField(nil), c.flags...), c.fields...) {
		names = append(names, f.name)
	}
	if c.rest != "" {
		names = append(names, c.rest)
	}
	if c.typ == 3 {
		names = append(names, "n_gap_ack", "n_dup_tsn", "gap_ack_list", "dup_tsn_list")
	}
	return names
}

func (c *sctpChunk) checkFields(it *Item) error {
	names := c.fieldNames()
	for _, f := range it.Fields {
		if !contains(names, f.Name) {
			return fmt.Errorf("%s has no field '%s' (%shave: %s)", c.name, f.Name, didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	return nil
}

// encode writes the chunk: fields not given 0, len computed unless given
// (without the padding), the padding.
func (c *sctpChunk) encode(dst []byte, it *Item) ([]byte, error) {
	start := len(dst)
	var flags uint64
	bit := 0
	for _, f := range c.flags {
		v, err := itemUint(fieldOr(it, f.name, uint64(0)), f.bits)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		flags |= v << (8 - bit - f.bits)
		bit += f.bits
	}
	dst = append(dst, c.typ, byte(flags), 0, 0)
	var err error
	for _, f := range c.fields {
		if dst, err = appendUint(dst, fieldOr(it, f.name, uint64(0)), f.bits/8); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if c.typ == 3 {
		if dst, err = encodeSACKLists(dst, it); err != nil {
			return nil, err
		}
	}
	if c.rest != "" {
		s, err := itemBytes(fieldOr(it, c.rest, ""))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.rest, err)
		}
		dst = append(dst, s...)
	}
	length := uint64(len(dst) - start)
	if c.fixedLen > 0 {
		length = uint64(c.fixedLen)
	}
	if v, ok := it.Field("len"); ok {
		if length, err = itemUint(v, 16); err != nil {
			return nil, fmt.Errorf("len: %w", err)
		}
	} else if length > 0xffff {
		return nil, fmt.Errorf("%d bytes, the most is 65535", length)
	}
	dst[start+2], dst[start+3] = byte(length>>8), byte(length)
	if c.pad {
		dst = append(dst, make([]byte, -(len(dst)-start)&3)...)
	}
	return dst, nil
}

// encodeSACKLists writes a SACK's counts, as given or counted, and its
// lists: gaps "start:end", duplicate TSNs numbers.
func encodeSACKLists(dst []byte, it *Item) ([]byte, error) {
	gaps, _ := fieldOr(it, "gap_ack_list", Item{}).(Item)
	dups, _ := fieldOr(it, "dup_tsn_list", Item{}).(Item)
	var err error
	for _, n := range []struct {
		name string
		list Item
	}{{"n_gap_ack", gaps}, {"n_dup_tsn", dups}} {
		if dst, err = appendUint(dst, fieldOr(it, n.name, uint64(len(n.list.Values))), 2); err != nil {
			return nil, fmt.Errorf("%s: %w", n.name, err)
		}
	}
	for _, g := range gaps.Values {
		s, _ := g.(string)
		var start, end uint16
		if _, err := fmt.Sscanf(s, "%d:%d", &start, &end); err != nil || fmt.Sprintf("%d:%d", start, end) != s {
			return nil, fmt.Errorf(`gap_ack_list: want "start:end" like "2:3", got %s`, valueText(g))
		}
		dst = append(dst, byte(start>>8), byte(start), byte(end>>8), byte(end))
	}
	for _, d := range dups.Values {
		if dst, err = appendUint(dst, d, 4); err != nil {
			return nil, fmt.Errorf("dup_tsn_list: %w", err)
		}
	}
	return dst, nil
}

// fieldOr is the item's named field, or def when it has none.
func fieldOr(it *Item, name string, def any) any {
	if v, ok := it.Field(name); ok {
		return v
	}
	return def
}
