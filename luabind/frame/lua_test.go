package frame

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// luaPrelude is prepended to every Lua test: the module and an assertion
// that shows both values.
const luaPrelude = `
local f = require "frame"
local function eq(got, want, what)
  if got ~= want then error((what or "value") .. ": got " .. tostring(got) .. ", want " .. tostring(want), 2) end
end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
`

func runLua(t *testing.T, code string) string {
	t.Helper()
	return testlab.MustLua(t, luaPrelude+code, luaModules()...)
}

// luaError runs code and returns its error message, failing if it has none.
func luaError(t *testing.T, code string) string {
	t.Helper()
	_, err := testlab.RunLua(t, luaPrelude+code, luaModules()...)
	if err == nil {
		t.Fatalf("no error from:\n%s", code)
	}
	return luabind.Report(err)
}

func TestLuaBuildParseRoundTrip(t *testing.T) {
	runLua(t, `
local bytes = f.build{
  f.ether{ src = "02:00:00:00:00:01", dst = "52:54:00:cf:ab:76" },
  f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2", id = 1, ttl = 64 },
  f.udp{ sport = 4000, dport = 5000 },
  "\0\1\2",
}
eq(hex(bytes), "525400cfab7602000000000108004500001f000100004011eea5c6120001c61200020fa01388000b4e87000102", "bytes (as Scapy makes them)")
local p = f.parse(bytes)
eq(p.ether.src, "02:00:00:00:00:01", "ether.src")
eq(p.ether.type, 0x0800, "ether.type")
eq(p.ipv4.ttl, 64, "ttl"); eq(p.ipv4.flags, "", "flags"); eq(#p.ipv4.options, 0, "options")
eq(p.udp.dport, 5000, "dport"); eq(p.udp.len, 11, "udp.len")
eq(p.payload, "\0\1\2", "payload"); eq(p.error, nil, "error"); eq(p.padding, nil, "padding")
eq(#p.layers, 3, "#layers"); eq(p.layers[2].name, "ipv4", "layers[2].name")
eq(p.layers[2], p.ipv4, "the same layer object")
eq(p.tcp, nil, "absent layer")
eq(tostring(p), "ether / ipv4 / udp / 3 bytes")
-- a parsed packet builds back to the same bytes
eq(f.build(p), bytes, "build(p)")
eq(f.build{p.ether, p.ipv4, p.udp, p.payload}, bytes, "build of the layers")
eq(f.build(p.layers) .. p.payload, bytes, "build(p.layers)")
`)
}

func TestLuaLayerTables(t *testing.T) {
	runLua(t, `
local ip = f.ipv4{ src = "198.18.0.1" }
eq(type(ip), "table"); eq(ip.name, "ipv4")
eq(ip.ttl, 64, "default"); eq(ip.dst, "127.0.0.1", "default dst"); eq(ip.chksum, nil, "auto")
ip.ttl = 3                     -- a new key is checked
eq(ip.ttl, 3)
local n = 0
for k in pairs(ip) do n = n + 1 end
eq(n, 2, "only the fields given are in the table")
-- a parsed layer copied by a constructor is a table of its fields
local p = f.parse(f.build{ f.ether{}, ip, f.udp{} })
local copy = f.ipv4(p.ipv4)
eq(copy.ttl, 3); eq(copy.chksum, p.ipv4.chksum); eq(type(copy), "table")
-- plain tables with a name build too, as the parsed ones would
eq(f.build{ { name = "udp", dport = 7 } }, f.build{ f.udp{ dport = 7 } })
eq(tostring(f.udp{ dport = 7 }), "<udp dport=7>")
`)
}

func TestLuaParsedLayersChange(t *testing.T) {
	runLua(t, `
local p = f.parse(f.build{ f.ether{}, f.ipv4{ src = "198.18.0.1" }, f.udp{}, "x" })
p.ipv4.ttl = 5
eq(p.ipv4.ttl, 5)
local stale = f.parse(f.build(p))
eq(stale.ipv4.ttl, 5); eq(stale.ipv4.chksum, p.ipv4.chksum, "a given checksum is written as given")
p.ipv4.chksum = nil            -- back to auto, as del(p[IP].chksum) in Scapy
local fresh = f.parse(f.build(p))
eq(fresh.ipv4.chksum ~= p.ipv4.chksum, true, "checksum recomputed")
`)
}

func TestLuaAutoAndExplicitFields(t *testing.T) {
	runLua(t, `
-- given fields are written as given, even wrong ones
local p = f.parse(f.build{ f.ether{}, f.ipv4{ chksum = 0x1234, len = 99, proto = 200 }, f.udp{ chksum = 7, len = 3 } })
eq(p.ipv4.chksum, 0x1234); eq(p.ipv4.len, 99); eq(p.ipv4.proto, 200)
-- flags as letters or numbers, read back as letters in Scapy's order
eq(f.parse(f.build{ f.ether{}, f.ipv4{ flags = "DF+MF" } }).ipv4.flags, "MF+DF")
eq(f.parse(f.build{ f.ether{}, f.ipv4{ flags = 2 } }).ipv4.flags, "DF")
eq(f.parse(f.build{ f.ether{}, f.ipv4{}, f.tcp{ flags = "AS" } }).tcp.flags, "SA")
eq(f.parse(f.build{ f.ether{}, f.ipv4{}, f.tcp{ flags = 0x18 } }).tcp.flags, "PA")
-- options are padded to 4 bytes, and the header lengths follow
local q = f.parse(f.build{ f.ether{}, f.ipv4{ options = "\148\4\0" }, f.tcp{ options = "\2\4\5\180\1" } })
eq(q.ipv4.ihl, 6); eq(q.ipv4.options[1][1], "Router_Alert"); eq(q.ipv4.options[1].length, 4); eq(#q.ipv4.options, 1)
eq(q.tcp.dataofs, 7); eq(q.tcp.options[1][2], 1460); eq(q.tcp.options[2][1], "NOP"); eq(q.tcp.options[3][1], "EOL")
eq(hex(f.build{ q.ipv4 }):sub(41), "94040000"); eq(hex(f.build{ q.tcp }):sub(41), "020405b401000000")
`)
}

func TestLuaQinQ(t *testing.T) {
	runLua(t, `
local p = f.parse(f.build{ f.ether{}, f.vlan{ vid = 100 }, f.vlan{ vid = 200, pcp = 5 }, f.ipv6{}, f.icmp6{ seq = 9 } })
eq(#p.layers, 5)
eq(p.vlan.vid, 100, "p.vlan is the outer tag"); eq(p.layers[3].vid, 200); eq(p.layers[3].pcp, 5)
eq(p.ether.type, 0x8100); eq(p.vlan.type, 0x8100); eq(p.layers[3].type, 0x86dd)
eq(p.ipv6.nh, 58); eq(p.icmp6.seq, 9); eq(p.icmp6.type, 128)
`)
}

func TestLuaParseFirst(t *testing.T) {
	runLua(t, `
local ip = f.build{ f.ipv4{ dst = "198.18.0.2" }, f.icmp4{ id = 7 } }
eq(f.parse(ip, { first = "ipv4" }).icmp4.id, 7)
eq(f.parse(ip, { first = "ip" }).ipv4.dst, "198.18.0.2")
local ip6 = f.build{ f.ipv6{ dst = "2001:db8::2" }, f.udp{} }
eq(f.parse(ip6, { first = "ip" }).ipv6.dst, "2001:db8::2")
eq(f.parse(ip).layers[1].name, "ether", "Ethernet unless first says")
`)
	msg := luaError(t, `f.parse("x", { first = "ipv5" })`)
	if !strings.Contains(msg, "bad argument #2 to 'parse' (option 'first' names no layer: 'ipv5'") {
		t.Errorf("message: %s", msg)
	}
}

func TestLuaParseNeverRaises(t *testing.T) {
	runLua(t, `
local frames = { "", "\0", string.rep("\255", 13), f.build{ f.ether{}, f.ipv4{ ihl = 15 }, f.tcp{ dataofs = 15 } } }
local full = f.build{ f.ether{}, f.vlan{}, f.ipv4{ options = "\1\1\1\1" }, f.tcp{ options = "\2\4\5\180" }, "payload" }
for i = 0, #full do frames[#frames + 1] = full:sub(1, i) end
math.randomseed(7)
for i = 1, 2000 do
  local t = {}
  for j = 1, math.random(0, 80) do t[j] = string.char(math.random(0, 255)) end
  frames[#frames + 1] = table.concat(t)
end
for _, b in ipairs(frames) do
  for _, first in ipairs{ "ether", "ipv4", "ipv6", "ip", "udp", "tcp", "arp", "vlan", "icmp6" } do
    local p = f.parse(b, { first = first })
    assert(type(p.payload) == "string")
    assert(#p.layers >= 0)
  end
end
local p = f.parse(full:sub(1, 30))
eq(p.error, "ipv4 at byte 18: truncated header: 12 of 20 bytes")
eq(#p.layers, 2); eq(#p.payload, 12)
`)
}

func TestLuaShowAndHexdump(t *testing.T) {
	out := runLua(t, `
local bytes = f.build{ f.ether{ src = "02:00:00:00:00:01" }, f.ipv4{}, f.udp{}, "hi" }
local text = f.show(f.parse(bytes))
eq(text, f.show(bytes), "show of bytes")
eq(text, f.show{ f.ether{ src = "02:00:00:00:00:01" }, f.ipv4{}, f.udp{}, "hi" }, "show of layers")
local dump = f.hexdump("0123456789abcdefXY")
eq(dump, "0x0000:  3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\n" ..
         "0x0010:  5859                                     XY\n")
`)
	for _, want := range []string{"###[ ether ]###\n  dst       = ff:ff:ff:ff:ff:ff\n", "###[ udp ]###\n        sport     = 53\n",
		"           load      = 'hi'\n", "0x0010:  5859"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLuaCustomProtocols(t *testing.T) {
	runLua(t, `
f.define("myproto", { {"version", 4, "bits", default = 1}, {"flags", 4, "bits"}, {"seq", 32}, {"len", 16, auto = "length"} })
f.bind("udp", { dport = 9999 }, "myproto")
f.define("inner", { {"kind", 8}, {"addr", 32, "ipv4", default = "198.18.0.9"}, {"big", 64} })
f.bind("myproto", { flags = 3 }, "inner")

local bytes = f.build{ f.ether{}, f.ipv4{}, f.udp{}, f.myproto{ flags = 3, seq = 7 }, f.inner{ kind = 2, big = 2^40 }, "zz" }
local p = f.parse(bytes)
eq(p.udp.dport, 9999, "bind sets the field when building")
eq(p.myproto.version, 1); eq(p.myproto.flags, 3); eq(p.myproto.seq, 7)
eq(p.myproto.len, 7 + 13 + 2, "auto length: this layer and all after it")
eq(p.inner.kind, 2); eq(p.inner.addr, "198.18.0.9"); eq(p.inner.big, 2^40)
eq(p.payload, "zz")
eq(hex(bytes:sub(43, 49)), "13000000070016", "bits packed MSB first, numbers in network order")
eq(f.build(p), bytes)
-- a given length is written as given
eq(f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{}, f.myproto{ len = 1 } }).myproto.len, 1)
-- the constructor is also returned, and the layer is found by sport too
local other = f.define("other", { {"x", 8} })
f.bind("tcp", { sport = 7000 }, "other")
eq(f.parse(f.build{ f.ether{}, f.ipv4{}, f.tcp{ sport = 7000 }, other{ x = 5 } }).other.x, 5)
`)
}

func TestLuaCustomIsPerRuntime(t *testing.T) {
	runLua(t, `f.define("mine", { {"a", 8} })`)
	runLua(t, `eq(f.mine, nil, "a fresh runtime has no custom layers"); f.define("mine", { {"b", 16} })`)
}

func TestLuaErrors(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{`f.ipv4{ ttll = 1 }`, "frame.ipv4: unknown field 'ttll' (did you mean 'ttl'? have: version, ihl,"},
		{`f.udp{ dport = "x" }`, `frame.udp: field 'dport' expects a number 0..65535, got "x"`},
		{`f.udp{ dport = 70000 }`, `frame.udp: field 'dport' expects a number 0..65535, got 70000`},
		{`f.udp{ dport = 1.5 }`, `frame.udp: field 'dport' expects a number 0..65535, got 1.5`},
		{`f.udp{ dport = {} }`, `frame.udp: field 'dport': an empty list of values`}, // a list makes a generator (frame.expand)
		{`f.ether{ src = "02:00:00:00:00" }`, `frame.ether: field 'src' expects a MAC address like "02:00:00:00:00:01", got "02:00:00:00:00"`},
		{`f.ipv4{ dst = "198.18.0.256" }`, `frame.ipv4: field 'dst' expects an IPv4 address like "198.18.0.1", got "198.18.0.256"`},
		{`f.ipv6{ src = "198.18.0.1" }`, `frame.ipv6: field 'src' expects an IPv6 address like "2001:db8::1", got "198.18.0.1"`},
		{`f.ipv4{ flags = "XF" }`, `frame.ipv4: field 'flags' expects a number 0..7 or "DF", "MF", "DF+MF", got "XF"`},
		{`f.tcp{ flags = "SX" }`, `frame.tcp: field 'flags' expects a number 0..511 or letters from "FSRPAUECN", got "SX"`},
		{`f.udp{ 53 }`, `frame.udp: fields are named: got a value at [1]`},
		{`local l = f.udp{}; l.dportt = 1`, `frame.udp: unknown field 'dportt'`},
		{`local p = f.parse(f.build{ f.ether{} }); p.ether.type = -1`, `frame.ether: field 'type' expects a number 0..65535, got -1`},
		{`f.build{ { name = "ipv5" } }`, `frame.build: unknown layer 'ipv5'`},
		{`f.build{ { dport = 1 } }`, `bad argument #1 to 'build' (element 1: a table of fields needs a name`},
		{`f.build{ 1 }`, `bad argument #1 to 'build' (element 1: layer or string expected, got number)`},
		{`f.build(3)`, `bad argument #1 to 'build' (table expected, got number)`},
		{`f.parse()`, `bad argument #1 to 'parse' (string expected, got no value)`},
		{`f.parse("", { frist = "ipv4" })`, `bad argument #2 to 'parse' (unknown option 'frist', have: first, linktype)`},
		{`f.hexdump(5)`, `bad argument #1 to 'hexdump' (string expected, got number)`},
		{`f.ipv4(5)`, `bad argument #1 to 'ipv4' (table expected, got number)`},
		{`f.ipv4(f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{} }).udp)`, `bad argument #1 to 'ipv4' (table or ipv4 layer expected`},
		{`f.define("udp", { {"a", 8} })`, `bad argument #1 to 'define' ('udp' is taken: frame.udp exists)`},
		{`f.define("p", { {"a", 12} })`, `bad argument #2 to 'define' (field 'a': width 12: numbers are 8, 16, 32 or 64 bits`},
		{`f.define("p", { {"a", 4, "bits"} })`, `fields add up to 4 bits, not a whole number of bytes`},
		{`f.define("p", { {"a", 8, "nibbles"} })`, `field 1: kind 'nibbles'`},
		{`f.define("p", { {"a", 8, default = 300} })`, `default: field 'a' expects a number 0..255, got 300`},
		{`f.define("p", { {"a", 8}, {"a", 8} })`, `field 'a' twice`},
		{`f.define("payload", { {"a", 8} })`, `payload is a name parse results use`},
		{`f.bind("udp", { dportt = 1 }, "udp")`, `frame.bind: udp: unknown field 'dportt'`},
		{`f.bind("udpp", { dport = 1 }, "udp")`, `bad argument #1 to 'bind' (unknown layer 'udpp'`},
		{`f.bind("udp", { dport = 1, sport = 2 }, "udp")`, `bad argument #2 to 'bind' (one field and its number expected`},
	} {
		if msg := luaError(t, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.code, msg, c.want)
		}
	}
}

// TestLuaUnknownNames: a name no layer or field has raises, naming the
// layer and the names near it; what is real but absent still reads nil.
func TestLuaUnknownNames(t *testing.T) {
	const udp = `local p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{} }) `
	for _, c := range []struct{ code, want string }{
		{udp + `return p.ipv4.tll`, "frame.ipv4: unknown field 'tll' (did you mean 'ttl'? have: version, ihl, tos, len,"},
		{udp + `return p.udp.dprot`, "frame.udp: unknown field 'dprot' (did you mean 'dport'? have: sport, dport, len, chksum)"},
		{udp + `return p.ipv4.source`, "frame.ipv4: unknown field 'source' (have: version,"},
		{udp + `return p.tpc`, "frame.packet: no layer or field 'tpc' (did you mean 'tcp'? have: layers, payload, padding, error; layers: ah, arp, "},
		{udp + `return p.paylaod`, "frame.packet: no layer or field 'paylaod' (did you mean 'payload'? have:"},
		{`return f.ipv4{}.tll`, "frame.ipv4: unknown field 'tll' (did you mean 'ttl'?"},
		{`return f.ipv4{ ttl = 3 }.tll`, "frame.ipv4: unknown field 'tll' (did you mean 'ttl'?"},
		{`f.define("mine", { {"a", 8} }) ` + udp + `return p.mnie`, "frame.packet: no layer or field 'mnie' (did you mean 'mine'?"},
	} {
		if msg := luaError(t, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.code, msg, c.want)
		}
	}
	runLua(t, udp+`
eq(p.tcp, nil, "a layer the frame lacks"); eq(p.arp, nil, "arp")
eq(p.padding, nil, "no padding"); eq(p.error, nil, "no error")
eq(next(p.ipv4.options), nil, "options read empty")
f.define("mine", { {"a", 8} })
eq(p.mine, nil, "a defined layer the frame lacks")
local l = f.ipv4{ ttl = 3 }
eq(l.chksum, nil, "an auto field not given"); eq(l.len, nil, "len is auto")
eq(l.ttl, 3); eq(l.id, 1, "a default"); eq(l.name, "ipv4")
eq(rawget(l, "tll"), nil, "rawget probes"); eq(rawget(l, "ttl"), 3)
eq(l[1], nil, "a layer has no items"); eq(#l, 0)
for _ in ipairs(l) do error("ipairs found an item") end
local keys = 0
for k, v in pairs(l) do keys = keys + 1; eq(l[k], v, k) end
eq(keys, 1, "pairs lists the fields given")
`)
}

func TestLuaModuleDocs(t *testing.T) {
	m, ok := luabind.NewSet(luaModules()...).Lookup("frame")
	if !ok {
		t.Fatal("frame is not registered")
	}
	for _, f := range m.Funcs {
		if f.Sig == "" || f.Doc == "" {
			t.Errorf("%s: no signature or doc", f.Name)
		}
	}
}

// TestBenchScript runs scripts/bench/frame.lua for a few frames: it must
// work, and print its figure.
func TestBenchScript(t *testing.T) {
	out := testlab.MustLua(t, "arg = { [0] = 'frame.lua', '200' }\n"+benchScriptCode(t), luaModules()...)
	if !strings.Contains(out, "µs/frame") {
		t.Errorf("output: %s", out)
	}
}
