package frame

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// Vectors of BOOTP and DHCP: made by testdata/gen_dhcp.py with Scapy, in
// the format of the options vectors (opts_test.go): a dhcp layer's
// "options" is a list of items, and its fields Scapy's reading of them.
const dhcpVectorFile = "testdata/scapy_dhcp.json"

// TestDHCPVectorsBuild builds each vector's layers, DHCP options given
// as items, and compares with Scapy's bytes.
func TestDHCPVectorsBuild(t *testing.T) { checkVectorsBuild(t, dhcpVectorFile) }

// TestDHCPVectorsParse parses Scapy's bytes and compares every field, the
// DHCP options item by item with Scapy's reading.
func TestDHCPVectorsParse(t *testing.T) {
	counts := map[string]int{}
	for _, v := range readVectors(t, dhcpVectorFile) {
		t.Run(v.Name, func(t *testing.T) {
			data, _ := hex.DecodeString(v.Hex)
			p := Parse(data)
			// A UDP length cut short on purpose cuts BOOTP short: Scapy
			// reads what there is, netlua too, and says so.
			bootp, _ := v.Fields["bootp"].(map[string]any)
			if cut := bootp != nil && len(fmt.Sprint(bootp["file_hex"])) < 2*128; cut != (p.Err != nil) {
				t.Errorf("parse error: %v", p.Err)
			}
			for name, want := range v.Fields {
				fields, ok := want.(map[string]any)
				if !ok || (name != "dhcp" && name != "bootp") {
					checkVectorField(t, p, name, want)
					continue
				}
				l := p.Layer(name)
				if l == nil {
					t.Fatalf("no %s layer (error %v)", name, p.Err)
				}
				counts[name]++
				for key, value := range fields {
					if name == "dhcp" && key == "options" {
						checkItems(t, l, value)
						continue
					}
					if i, ok := BOOTP.Field(strings.TrimSuffix(key, "_hex")); ok && name == "bootp" && BOOTP.Fields[i].Kind == Bytes {
						// As on the wire: cut short where the frame is.
						if got := hex.EncodeToString(l.Bytes(i)); got != value {
							t.Errorf("bootp.%s: got %s, want %v", key, got, value)
						}
						continue
					}
					checkLayerField(t, l, key, value)
				}
			}
			if _, ok := v.Fields["bootp"]; !ok && p.Layer("bootp") != nil {
				t.Errorf("a bootp layer where Scapy has none")
			}
		})
	}
	// The issue asks for at least 25 vectors of each.
	if counts["bootp"] < 25 || counts["dhcp"] < 25 {
		t.Errorf("layers compared: %v, want 25 or more of each", counts)
	}
}

// FuzzDHCPParse is FuzzParse seeded with the BOOTP and DHCP frames.
func FuzzDHCPParse(f *testing.F) { fuzzVectors(f, dhcpVectorFile) }

// A fixed-size byte string given again is padded anew, as Scapy's
// StrFixedLenField writes each value: nothing of the old value is left,
// and the other byte strings of the layer stay as they were.
func TestFixedBytesSetAgain(t *testing.T) {
	l := NewLayer(BOOTP)
	for _, set := range []struct{ name, value string }{
		{"options", "c\x82Sc"}, {"chaddr", strings.Repeat("\xff", 20)}, {"sname", "boot"}, {"chaddr", "\x02\x01"},
	} {
		if err := l.Set(set.name, []byte(set.value)); err != nil {
			t.Fatal(err)
		}
	}
	i, _ := BOOTP.Field("chaddr")
	if got := l.Bytes(i); string(got) != "\x02\x01"+strings.Repeat("\x00", 14) {
		t.Errorf("chaddr: got %x", got)
	}
	for name, want := range map[string]string{"sname": "boot" + strings.Repeat("\x00", 60), "options": "c\x82Sc"} {
		i, _ := BOOTP.Field(name)
		if got := l.Bytes(i); string(got) != want {
			t.Errorf("%s: got %x, want %x", name, got, want)
		}
	}
	opts, _ := BOOTP.Field("options")
	l.Clear(opts)
	if got := l.Bytes(opts); len(got) != 0 {
		t.Errorf("options after Clear: got %x", got)
	}
}

// DHCP options from Lua: the list builds Scapy's bytes, parse gives the
// same form back, and mistakes raise Lua errors naming the item. The
// bytes are Scapy 2.5's raw(DHCP(options=[...])) for the same lists.
func TestLuaDHCPOptions(t *testing.T) {
	runLua(t, `
local d = f.dhcp{ options = {{"message-type", "discover"}, {"requested_addr", "198.18.0.9"},
  {"param_req_list", {1, 3, 6}}, {"hostname", "h1"}, {224, "ab"}, "end", "pad"} }
-- raw(DHCP(options=[('message-type','discover'),('requested_addr','198.18.0.9'),
--   ('param_req_list',[1,3,6]),('hostname',b'h1'),(224,b'ab'),'end','pad']))
eq(hex(f.build{ d }), "3501013204c612000937030103060c026831e0026162ff00", "bytes")
local p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{ sport = 68, dport = 67 }, f.bootp{}, d })
eq(p.bootp.options, "c\130Sc", "magic cookie")
local o = p.dhcp.options
eq(#o, 7, "items")
eq(o[1][1], "message-type"); eq(o[1][2], "discover")
eq(o[2][2], "198.18.0.9"); eq(o[3][2][3], 6); eq(o[4][2], "h1")
eq(o[5][1], 224); eq(o[5][2], "ab"); eq(o[6][1], "end"); eq(o[7][1], "pad")
eq(f.build{ f.dhcp{ options = o } }, f.build{ d }, "rebuilt from the parsed list")
-- raw(DHCP(options=[('name_server','198.18.0.1','198.18.0.2'),('lease_time',3600)]))
eq(hex(f.build{ f.dhcp{ options = {{"name_server", "198.18.0.1", "198.18.0.2"}, {"lease_time", 3600}} } }),
  "0608c6120001c6120002330400000e10", "two addresses, a number")
-- a length past the end leaves bare bytes, as Scapy: [('message-type', 3), b'\x06\x0c...']
local bad = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{}, f.bootp{}, f.dhcp{ options = "\53\1\3\6\12\198\18\0\1" } })
eq(bad.dhcp.options[1][2], "request"); eq(bad.dhcp.options[2][1], "\6\12\198\18\0\1")
local ok, err = pcall(f.dhcp, { options = {{"message-typ", "discover"}} })
assert(not ok and err:find("item 1: unknown DHCP option 'message%-typ' %(did you mean 'message%-type'%?"), err)
ok, err = pcall(f.dhcp, { options = {{"message-type", "discovr"}} })
assert(not ok and err:find("unknown message type 'discovr'"), err)
ok, err = pcall(f.dhcp, { options = {{"router", "fe80::1"}} })
assert(not ok and err:find("want an IPv4 address"), err)
`)
}

// FuzzDHCPOptions checks that the items Decode reads from any bytes are
// written back by Encode to the very same bytes: what Scapy cannot read
// stays bytes, and every value read has one way to be written.
func FuzzDHCPOptions(f *testing.F) {
	for _, v := range readVectors(f, dhcpVectorFile) {
		data, _ := hex.DecodeString(v.Hex)
		if len(data) > 42+240 {
			f.Add(data[42+240:])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items := dhcpOptionList.Decode(data)
		got, err := dhcpOptionList.Encode(nil, items)
		if err != nil {
			t.Fatalf("%x: items %s: %v", data, itemsText(items), err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%x: items %s written as %x", data, itemsText(items), got)
		}
	})
}
