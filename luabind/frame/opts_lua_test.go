package frame

import (
	"strings"
	"testing"
)

// The bytes these tests expect are Scapy 2.5's: raw(TCP(options=[...]))
// and raw(IP(options=[...])) for the same lists.

func TestLuaTCPOptionsList(t *testing.T) {
	runLua(t, `
local tcp = f.tcp{ options = {{"MSS", 1460}, {"SAckOK", ""}, {"Timestamp", {1, 2}}, {"NOP"}, {"WScale", 7}} }
local b = f.build{ tcp }
-- raw(TCP(options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,2)),('NOP',None),('WScale',7)]))
eq(hex(b), "001400500000000000000000a002200000000000020405b40402080a000000010000000201030307", "bytes")
local p = f.parse(b, { first = "tcp" })
eq(p.tcp.dataofs, 10, "dataofs")
local o = p.tcp.options
eq(#o, 5, "items")
eq(o[1][1], "MSS"); eq(o[1][2], 1460)
eq(o[2][1], "SAckOK"); eq(o[2][2], "")
eq(o[3][1], "Timestamp"); eq(o[3][2][1], 1); eq(o[3][2][2], 2)
eq(o[4][1], "NOP"); eq(o[4][2], nil)
eq(o[5][1], "WScale"); eq(o[5][2], 7)
-- what parse returns builds the same bytes
eq(f.build{ f.tcp{ options = o } }, b, "rebuilt from the parsed list")
-- a list set on a parsed layer, raw bytes still accepted
p.tcp.options = {{"SAck", {10, 20}}, {99, "ab"}}
-- raw(TCP(options=[('SAck',(10,20)),(99,b'ab')]))
eq(hex(f.build{ p.tcp }):sub(41), "050a0000000a00000014630461620000", "SAck and a kind by number")
eq(p.tcp.options[2][1], 99); eq(p.tcp.options[2][2], "ab")
p.tcp.options = "\2\4\5\180"
eq(p.tcp.options[1][2], 1460, "raw bytes read as a list")
p.tcp.options = nil
eq(#p.tcp.options, 0, "nil: the default, no options")
`)
}

func TestLuaIPv4OptionsList(t *testing.T) {
	runLua(t, `
local ip = f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2",
  options = {{"RR", routers = {"198.18.0.9"}}, {"Router_Alert"}, {"NOP"}} }
local b = f.build{ ip }
-- raw(IP(src=..., dst=..., options=[IPOption_RR(routers=['198.18.0.9']), IPOption_Router_Alert(), IPOption_NOP()]))
eq(hex(b), "48000020000100004000c053c6120001c6120002070704c61200099404000001", "bytes")
local p = f.parse(b, { first = "ipv4" })
eq(p.ipv4.ihl, 8, "ihl")
local o = p.ipv4.options
eq(#o, 3, "items")
eq(o[1][1], "RR"); eq(o[1].length, 7); eq(o[1].pointer, 4); eq(o[1].routers[1], "198.18.0.9")
eq(o[2][1], "Router_Alert"); eq(o[2].alert, 0); eq(o[2].length, 4)
eq(o[3][1], "NOP")
-- padding to 4 bytes reads as EOLs, as Scapy reads it
eq(f.parse(f.build{ f.ipv4{ options = {{"NOP"}} } }, { first = "ipv4" }).ipv4.options[4][1], "EOL")
eq(f.build{ f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2", options = o } }, b, "rebuilt from the parsed list")
-- a Timestamp without an address, an unknown type by number, fields as given
p.ipv4.options = {{"Timestamp", flg = 0, timestamp = 5}, {0x86, "ab", length = 9}}
-- raw(IP(options=[IPOption_Timestamp(flg=0, timestamp=5), IPOption(copy_flag=1, option=6, length=9, value=b'ab')]))
eq(hex(f.build{ p.ipv4 }):sub(41), "440809000000000586096162", "Timestamp and type 0x86")
`)
}

func TestLuaOptionsErrors(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{`f.tcp{ options = {{"MSX", 1}} }`, "field 'options' item 1: unknown TCP option 'MSX' (did you mean 'MSS'?"},
		{`f.tcp{ options = {{"NOP"}, {"MSS", 70000}} }`, "field 'options' item 2: MSS: want a number 0..65535, got 70000"},
		{`f.tcp{ options = {{"Timestamp", {1}}} }`, "item 1: Timestamp: want a list of 2 numbers, got {1}"},
		{`f.tcp{ options = {{"SAckOK", 5}} }`, "item 1: SAckOK: want bytes, got 5"},
		{`f.tcp{ options = {{300, "x"}} }`, "item 1: a TCP option is {name, value} or {kind, bytes}: kind: want a number 0..255, got 300"},
		{`f.tcp{ options = {5} }`, "field 'options' item 1: a table expected, got number"},
		{`f.tcp{ options = { MSS = 1460 } }`, "field 'options' expects a list like"},
		{`f.tcp{ options = { {"NOP"}, MSS = 1460 } }`, "got a table with a key MSS"},
		{`local t = {"MSS"}; t[2] = t; f.tcp{ options = {t} }`, "tables nested too deep"},
		{`f.ipv4{ options = {{"RR", routers = {"1.2.3"}}} }`, `item 1: routers: want an IPv4 address like "198.18.0.1", got "1.2.3"`},
		{`f.ipv4{ options = {{"RR", pointr = 4}} }`, "item 1: RR has no field 'pointr' (did you mean 'pointer'?"},
		{`f.ipv4{ options = {{"Router_Alrt"}} }`, "item 1: unknown IPv4 option 'Router_Alrt' (did you mean 'Router_Alert'?"},
		{`f.ipv4{ options = {{"RR", {"198.18.0.1"}}} }`, `item 1: RR takes named fields: {"RR", length = ...}`},
		{`f.ipv4{ options = {{"NOP", copy_flag = 2}} }`, "item 1: copy_flag: want a number 0..1, got 2"},
	} {
		if msg := luaError(t, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.code, msg, c.want)
		}
	}
}

func TestShowOptions(t *testing.T) {
	tcp := NewLayer(TCP)
	if err := tcp.Set("options", []Item{{Values: []any{"MSS", 1460}}, {Values: []any{"SAckOK", "\x01\x02"}}}); err != nil {
		t.Fatal(err)
	}
	data := Build(tcp)
	p := new(Packet)
	builtin.Parse(p, data, TCP)
	if got, want := p.Show(), `options   = {{"MSS", 1460}, {"SAckOK", "\1\2"}}`; !strings.Contains(got, want) {
		t.Errorf("show:\n%s\nwant a line %s", got, want)
	}
}
