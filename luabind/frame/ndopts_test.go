package frame

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// ndOptsVectors are testdata/gen_ndopts.py's: ND messages with options
// built by Scapy 2.5, and Scapy's reading of their option chain as items.
const ndOptsVectors = "testdata/scapy_ndopts.json"

func TestNDOptionsVectorsBuild(t *testing.T) { checkVectorsBuild(t, ndOptsVectors) }

// TestNDOptionsVectorsParse parses Scapy's bytes and compares every field,
// the options item by item with Scapy's reading.
func TestNDOptionsVectorsParse(t *testing.T) {
	compared, deeper := 0, 0
	for _, v := range readVectors(t, ndOptsVectors) {
		t.Run(v.Name, func(t *testing.T) {
			data, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			checkVectorLists(t, Parse(data), v.Fields, func(l *Layer, want any) {
				compared++
				if checkNDItems(t, l, want) {
					deeper++
				}
			})
		})
	}
	if compared < 25 {
		t.Errorf("%d option lists compared, want 25 or more", compared)
	}
	t.Logf("%d option lists compared with Scapy's reading, %d read further than Scapy's Raw", compared, deeper)
}

// checkNDItems compares the items parse reads from l's options with
// Scapy's reading. Where Scapy gave up with {"Raw", bytes} (a type it
// has no class for), netlua may read on: its items from there must be
// those bytes. It reports whether netlua read further.
func checkNDItems(t *testing.T, l *Layer, want any) bool {
	t.Helper()
	got, items := optionItems(t, l, want)
	k := len(items)
	if k > 0 && items[k-1].Value(0) == "Raw" {
		k--
	}
	if len(got) < k || !reflect.DeepEqual(normItems(got[:k]), normItems(items[:k])) {
		t.Fatalf("%s.options:\n got %s\nwant %s (Scapy)", l.Proto.Name, itemsText(got), itemsText(items))
	}
	if k == len(items) {
		if len(got) != k {
			t.Errorf("%s.options: got %s, want %s (Scapy)", l.Proto.Name, itemsText(got), itemsText(items))
		}
		return false
	}
	rest, err := ndOptionList.Encode(nil, got[k:])
	if raw := items[k].Value(1).(string); err != nil || !bytes.Equal(rest, []byte(raw)) {
		t.Errorf("%s.options: got %s, whose items after %d are %x (%v), want Scapy's Raw %x",
			l.Proto.Name, itemsText(got), k, rest, err, raw)
	}
	return got[k].Value(0) != "Raw"
}

// FuzzNDOptions checks the ND options codec on any bytes (checkListCodec),
// from the options of the Scapy vectors.
func FuzzNDOptions(f *testing.F) {
	optionSeeds(f, ndOptsVectors, "nd_rs", "nd_ra", "nd_ns", "nd_na", "nd_redirect")
	f.Fuzz(func(t *testing.T, data []byte) { checkListCodec(t, ndOptionList, data) })
}

// TestNDOptionsLua builds the router advertisement of the vector "nd lua
// example" from Lua, options as items, compares with Scapy's bytes, and
// reads the options back by their Scapy field names.
func TestNDOptionsLua(t *testing.T) {
	var want string
	for _, v := range readVectors(t, ndOptsVectors) {
		if strings.HasSuffix(v.Name, ": nd lua example") {
			want = v.Hex
		}
	}
	if want == "" {
		t.Fatal("no vector 'nd lua example'")
	}
	runLua(t, `local want = "`+want+`"`+`
local ra = f.build{
  f.ether{ src = "02:00:00:00:00:01", dst = "33:33:00:00:00:01" },
  f.ipv6{ src = "fe80::1" }, f.icmp6{},
  f.nd_ra{ routerlifetime = 1800, options = {
    {"SrcLLAddr", lladdr = "02:00:00:00:00:01"},
    {"PrefixInfo", prefix = "2001:2::", prefixlen = 64, validlifetime = 86400},
    {"MTU", mtu = 1500}, {"RDNSS", dns = {"2001:2::53"}, lifetime = 600},
    {"DNSSL", searchlist = {"lab.example."}}, {77, "\1\2"} } },
}
eq(hex(ra), want, "bytes (Scapy's)")
local o = f.parse(ra).nd_ra.options
eq(#o, 6, "#options")
eq(o[1][1], "SrcLLAddr"); eq(o[1].lladdr, "02:00:00:00:00:01", "lladdr"); eq(o[1].len, 1, "len")
eq(o[2].prefix, "2001:2::", "prefix"); eq(o[2].prefixlen, 64); eq(o[2].L, 1); eq(o[2].A, 1)
eq(o[2].validlifetime, 86400); eq(o[2].preferredlifetime, 0xffffffff)
eq(o[3].mtu, 1500, "mtu"); eq(o[4].dns[1], "2001:2::53", "dns"); eq(o[4].len, 3, "RDNSS len")
eq(o[5].searchlist[1], "lab.example.", "searchlist")
eq(o[6][1], 77, "type"); eq(o[6][2], "\1\2\0\0\0\0", "bytes padded to 8")
local again = f.build{ f.ether{ src = "02:00:00:00:00:01", dst = "33:33:00:00:00:01" },
  f.ipv6{ src = "fe80::1" }, f.icmp6{}, f.nd_ra{ routerlifetime = 1800, options = o } }
eq(hex(again), want, "the parsed list builds back")
local raw = f.parse(f.build{f.ipv6{}, f.icmp6{}, f.nd_ns{ options = ra:sub(-104) }}, { first = "ipv6" })
eq(raw.nd_ns.options[3].mtu, 1500, "options given as raw bytes")
`)
	for code, want := range map[string]string{
		`f.nd_ns{ options = {{"SrcLLadr", lladdr = "02:00:00:00:00:01"}} }`: "did you mean 'SrcLLAddr'",
		`f.nd_ns{ options = {{"SrcLLAddr", "02:00:00:00:00:01"}} }`:         `takes named fields: {"SrcLLAddr", lladdr = ...}`,
		`f.nd_ns{ options = {{"MTU", mut = 1500}} }`:                        "MTU has no field 'mut'",
		`f.nd_ns{ options = {{"SrcLLAddr", lladdr = "x"}} }`:                "want a MAC address",
		`f.nd_ns{ options = {{"RDNSS", dns = {"198.18.0.1"}}} }`:            "want an IPv6 address",
	} {
		if msg := luaError(t, code); !strings.Contains(msg, want) {
			t.Errorf("%s: error %q, want %q", code, msg, want)
		}
	}
}
