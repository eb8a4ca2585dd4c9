package frame

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"testing"
)

// Vectors of DHCPv6: made by testdata/gen_dhcp6.py with Scapy; a dhcp6
// layer's "options" is a list of items, its fields Scapy's reading.
const dhcp6VectorFile = "testdata/scapy_dhcp6.json"

// TestDHCP6VectorsBuild builds each vector's layers, options given as
// items, and compares with Scapy's bytes.
func TestDHCP6VectorsBuild(t *testing.T) { checkVectorsBuild(t, dhcp6VectorFile) }

// TestDHCP6VectorsParse parses Scapy's bytes and compares every field,
// the options item by item with Scapy's chain of DHCP6Opt layers.
func TestDHCP6VectorsParse(t *testing.T) {
	n := checkListVectorsParse(t, dhcp6VectorFile, "dhcp6", "options")
	if n < 25 {
		t.Errorf("%d dhcp6 layers compared, want 25 or more", n)
	}
}

// checkListVectorsParse parses the vectors of file and compares every
// field, list field list of layer name item by item; it returns how many
// such layers it compared.
func checkListVectorsParse(t *testing.T, file, name, list string) int {
	count := 0
	for _, v := range readVectors(t, file) {
		t.Run(v.Name, func(t *testing.T) {
			data, _ := hex.DecodeString(v.Hex)
			p := Parse(data)
			for layer, want := range v.Fields {
				fields, ok := want.(map[string]any)
				if !ok || layer != name {
					checkVectorField(t, p, layer, want)
					continue
				}
				l := p.Layer(name)
				if l == nil {
					t.Fatalf("no %s layer (error %v)", name, p.Err)
				}
				count++
				for key, value := range fields {
					if key == list {
						checkListItems(t, l, list, value)
						continue
					}
					checkLayerField(t, l, key, value)
				}
			}
			if _, ok := v.Fields[name]; !ok && p.Layer(name) != nil {
				t.Errorf("a %s layer where Scapy has none", name)
			}
		})
	}
	return count
}

// checkListItems compares list field name of l with Scapy's reading.
func checkListItems(t *testing.T, l *Layer, name string, want any) {
	t.Helper()
	list, _ := want.([]any)
	items, err := jsonItems(list)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := l.Proto.Field(name)
	if got := l.Items(i); !reflect.DeepEqual(normItems(got), normItems(items)) {
		t.Errorf("%s.%s:\n got %s\nwant %s (Scapy)", l.Proto.Name, name, itemsText(got), itemsText(items))
	}
}

// FuzzDHCP6Parse is FuzzParse seeded with the DHCPv6 frames.
func FuzzDHCP6Parse(f *testing.F) { fuzzVectors(f, dhcp6VectorFile) }

// FuzzDHCP6Options checks that the items Decode reads from any bytes are
// written back by Encode to the very same bytes.
func FuzzDHCP6Options(f *testing.F) {
	for _, v := range readVectors(f, dhcp6VectorFile) {
		data, _ := hex.DecodeString(v.Hex)
		if len(data) > 62+4 {
			f.Add(data[62+4:])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items := dhcp6OptionList.Decode(data)
		got, err := dhcp6OptionList.Encode(nil, items)
		if err != nil {
			t.Fatalf("%x: items %s: %v", data, itemsText(items), err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%x: items %s written as %x", data, itemsText(items), got)
		}
	})
}

// DHCPv6 from Lua: msgtype by Scapy's name, options as a list, parse
// gives the same form back, and mistakes raise Lua errors. The bytes are
// Scapy 2.5's raw() of the same message.
func TestLuaDHCP6(t *testing.T) {
	runLua(t, `
local d = f.dhcp6{ msgtype = "solicit", trid = 0x123456, options = {
  {"clientid", duid = "\0\3\0\1\2\0\0\0\0\1"}, {"ia_na", iaid = 7, ianaopts = {{"ia_addr", addr = "2001:2::9"}}},
  {"oro"}, {"elapsed_time"}, {"rapid_commit"}, {39, "ab"} } }
-- raw(DHCP6_Solicit(trid=0x123456)/DHCP6OptClientId(duid=DUID_LL(lladdr="02:00:00:00:00:01"))
--   /DHCP6OptIA_NA(iaid=7, ianaopts=[DHCP6OptIAAddress(addr="2001:2::9")])/DHCP6OptOptReq()
--   /DHCP6OptElapsedTime()/DHCP6OptRapidCommit()/DHCP6OptUnknown(optcode=39, data=b"ab"))
eq(hex(f.build{ d }), "011234560001000a0003000102000000000100030028000000070000000000000000000500182001000200000000000000000000000900000000000000000006000400170018000800020000000e0000002700026162", "bytes")
local p = f.parse(f.build{ f.ether{}, f.ipv6{}, f.udp{}, d })
eq(p.udp.sport, 546); eq(p.udp.dport, 547)
eq(p.dhcp6.msgtype, 1); eq(p.dhcp6.trid, 0x123456)
local o = p.dhcp6.options
eq(o[2][1], "ia_na"); eq(o[2].ianaopts[1].addr, "2001:2::9"); eq(o[3].reqopts[2], 24); eq(o[6][1], 39)
eq(f.build{ f.dhcp6{ msgtype = 1, trid = 0x123456, options = o } }, f.build{ d }, "rebuilt from the parsed list")
eq(hex(f.build{ f.dhcp6{ msgtype = "RELAY-FORW", hopcount = 1, linkaddr = "2001:2::1", peeraddr = "fe80::1" } }),
  "0c0120010002000000000000000000000001fe800000000000000000000000000001", "relay-forw")
local ok, err = pcall(f.dhcp6, { msgtype = "solicitt" })
assert(not ok and err:find("field 'msgtype' expects a number 0..255 or a name"), err)
ok, err = pcall(f.dhcp6, { options = {{"ia_nа"}} })
assert(not ok and err:find("item 1: unknown DHCPv6 option"), err)
ok, err = pcall(f.dhcp6, { options = {{"ia_na", iad = 1}} })
assert(not ok and err:find("ia_na has no field 'iad' %(did you mean 'iaid'%?"), err)
`)
}
