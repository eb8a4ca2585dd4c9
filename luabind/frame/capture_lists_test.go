package frame

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// A listKey names a list field of one parsed layer.
type listKey struct {
	layer *Layer
	field string
}

// countRecord counts the fields of a record class as compared when the
// list it is an entry of was compared (gen_captures.py's items hold
// them all, those it could not write as the record's own fields too),
// else as not compared.
func countRecord(st *captureStats, sl scapyLayerJS, m scapyMapping, compared bool) {
	if !compared {
		countSkipped(st, sl, append(sl.fieldNames(), sl.Unrendered...))
		return
	}
	for _, f := range append(sl.fieldNames(), sl.Unrendered...) {
		if f != m.list && f != "message_hex" { // the list itself, not an entry's field
			st.listed[sl.Class+"."+f]++
		}
	}
}

// samePayload compares the bytes of a Scapy record that netlua keeps as
// payload (a PIM message) with the packet's payload.
func samePayload(p *Packet, sl scapyLayerJS) string {
	want, _ := sl.Fields["message_hex"].(string)
	if got := hex.EncodeToString(p.Payload); got != want {
		return fmt.Sprintf("value: payload (%s): got %s, Scapy %s", sl.Class, got, want)
	}
	return ""
}

// countLeaves counts the values in Scapy's items: numbers, strings and
// byte strings, not the tables and lists that hold them.
func countLeaves(v any) int {
	switch v := v.(type) {
	case []any:
		n := 0
		for _, e := range v {
			n += countLeaves(e)
		}
		return n
	case map[string]any:
		if _, ok := v["hex"]; ok && len(v) == 1 {
			return 1
		}
		n := 0
		for _, e := range v {
			n += countLeaves(e)
		}
		return n
	}
	return 1
}

// listFields are the netlua list fields whose items gen_captures.py
// writes from Scapy's list entries.
var listFields = map[string]bool{"qd": true, "an": true, "ns": true, "ar": true, "options": true,
	"chunks": true, "tlvs": true, "records": true, "srcaddrs": true, "sources": true,
	"addresses": true, "addrlist": true, "message_hex": true}

// TestCaptureListsCanFail shows that the list comparisons can fail: for
// the first frame of each class and list field that compares equal, one
// value in Scapy's items is changed, and the frame must then differ.
func TestCaptureListsCanFail(t *testing.T) {
	frames := readCaptureFrames(t)
	data := readCaptures(t, frames)
	p, tried := new(Packet), map[string]bool{}
	for i, fr := range frames {
		parseCapture(t, p, fr, data[i])
		if compareCapture(newCaptureStats(), p, fr) != "" {
			continue
		}
		for n, sl := range fr.Layers {
			for key, v := range sl.Fields {
				list, ok := v.([]any)
				if !ok && key != "message_hex" || !listFields[key] || tried[sl.Class+"."+key] {
					continue
				}
				bad := cloneFrame(t, fr)
				what, ok := corruptLeaf(bad.Layers[n].Fields, key)
				if !ok {
					continue
				}
				tried[sl.Class+"."+key] = true
				why := compareCapture(newCaptureStats(), p, bad)
				if !strings.HasPrefix(why, "value: ") {
					t.Errorf("%s: %s.%s with %s (of %d items): no difference found", fr.Source, sl.Class, key, what, len(list))
					continue
				}
				t.Logf("%s: %s.%s with %s: %.100s", fr.Source, sl.Class, key, what, why)
			}
		}
	}
	for _, want := range []string{"DNS.qd", "DNS.an", "DNS.ar", "DHCP6_Solicit.options", "SCTP.chunks",
		"LLDPDU.tlvs", "ICMPv6ND_RA.options", "IGMPv3mr.records",
		"ICMPv6MLReport2.records", "IPv6ExtHdrSegmentRouting.addresses", "VRRP.addrlist",
		"PIMv2Hello.message_hex", "PIMv2JoinPrune.message_hex"} {
		if !tried[want] {
			t.Errorf("%s: no frame of the sample corrupted", want)
		}
	}
	t.Logf("corrupted and found different: %d class.field lists", len(tried))
}

// cloneFrame copies a frame deeply, as JSON, so that a change to its
// values leaves the sample alone.
func cloneFrame(t *testing.T, fr captureFrame) captureFrame {
	t.Helper()
	b, err := json.Marshal(fr)
	if err != nil {
		t.Fatal(err)
	}
	var out captureFrame
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for _, l := range out.Layers {
		for k, v := range l.Fields {
			l.Fields[k] = jsonNumbers(v, true)
		}
	}
	return out
}

// corruptLeaf changes the first number in Scapy's items of fields[key]
// (its lowest bit; not an item's name or type, its first value, nor a
// length, which a build could recompute), else the first address, else
// the first domain name; in a message's bytes (hex), the first byte. It
// says what it changed.
func corruptLeaf(fields map[string]any, key string) (string, bool) {
	v := fields[key]
	if h, ok := v.(string); ok && len(h) >= 2 {
		b, _ := hex.DecodeString(h[:2])
		fields[key] = hex.EncodeToString([]byte{b[0] ^ 1}) + h[2:]
		return "its first byte changed", true
	}
	if what, ok := corruptWith(v, true, func(x any) (any, bool) {
		f, ok := x.(float64)
		return float64(int64(f) ^ 1), ok
	}); ok {
		return what, true
	}
	if what, ok := corruptWith(v, false, func(x any) (any, bool) {
		s, _ := x.(string)
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, false
		}
		b := a.AsSlice()
		b[len(b)-1] ^= 1
		a, _ = netip.AddrFromSlice(b)
		return a.String(), true
	}); ok {
		return what, true
	}
	return corruptWith(v, false, func(x any) (any, bool) {
		s, _ := x.(string)
		return "x" + s, strings.HasSuffix(s, ".")
	})
}

// corruptWith replaces the first leaf change accepts in v, in place;
// with skipFirst, not the first value of a list ({type, bytes}: it names
// the item).
func corruptWith(v any, skipFirst bool, change func(any) (any, bool)) (string, bool) {
	switch v := v.(type) {
	case []any:
		for i := range v {
			if _, leaf := change(v[i]); leaf && i == 0 && skipFirst {
				continue
			}
			if x, ok := change(v[i]); ok {
				v[i] = x
				return fmt.Sprint(x), true
			}
			if what, ok := corruptWith(v[i], skipFirst, change); ok {
				return what, true
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if k == "1" || strings.Contains(k, "len") {
				continue
			}
			if x, ok := change(v[k]); ok {
				v[k] = x
				return k + " = " + fmt.Sprint(x), true
			}
			if what, ok := corruptWith(v[k], skipFirst, change); ok {
				return what, true
			}
		}
	}
	return "", false
}
