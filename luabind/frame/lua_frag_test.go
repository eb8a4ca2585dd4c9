package frame

import (
	"fmt"
	"strings"
	"testing"
)

// luaUnhex turns hex back into bytes, in Lua.
const luaUnhex = `
local function unhex(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
local function same(got, want, what)
  eq(#got, #want, what .. ": frames")
  for i = 1, #want do eq(hex(got[i]), want[i], what .. ": frame " .. i) end
end
`

// luaList writes hex strings as a Lua table constructor.
func luaList(hs []string) string {
	return `{"` + strings.Join(hs, `", "`) + `"}`
}

// TestLuaFragment runs frame.fragment on Scapy's vectors from Lua, on
// bytes and on parsed packets.
func TestLuaFragment(t *testing.T) {
	for _, v := range loadFragVectors(t).Fragment {
		first := firstName(v.Ether)
		runLua(t, luaUnhex+fmt.Sprintf(`
local want, frame = %s, unhex(%q)
same(f.fragment(frame, %d, {first = %q}), want, "bytes")
same(f.fragment(f.parse(frame, {first = %q}), %d), want, "packet")
`, luaList(v.Frags), v.Hex, v.FragSize, first, first, v.FragSize))
	}
}

// TestLuaDefragment runs frame.defragment on Scapy's vectors from Lua,
// on lists of byte strings and of parsed packets.
func TestLuaDefragment(t *testing.T) {
	for _, v := range loadFragVectors(t).Defragment {
		first := firstName(v.Ether)
		runLua(t, luaUnhex+fmt.Sprintf(`
local want, in_ = %s, %s
local bytes, pkts = {}, {}
for i, h in ipairs(in_) do bytes[i] = unhex(h); pkts[i] = f.parse(bytes[i], {first = %q}) end
same(f.defragment(bytes, {first = %q}), want, "bytes")
same(f.defragment(pkts), want, "packets")
`, luaList(v.Out), luaList(v.In), first, first))
	}
}

func TestLuaFragmentErrors(t *testing.T) {
	for code, want := range map[string]string{
		`f.fragment("\0\0\0", 8)`:                     "no IPv4 header",
		`f.fragment(f.build{f.ether{}, f.ipv4{}}, 7)`: "at least 8",
		`f.fragment(3)`:                               "packet or byte string expected",
		`f.defragment({1})`:                           "packet or byte string expected",
		`f.fragment("", 8, {first = "x"})`:            "\"ether\" or \"ip\"",
	} {
		if got := luaError(t, code); !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want %q in it", code, got, want)
		}
	}
}

// TestLuaFragmentDefault checks fragsize's default, Scapy's 1480.
func TestLuaFragmentDefault(t *testing.T) {
	runLua(t, `
local frame = f.build{f.ether{}, f.ipv4{}, string.rep("x", 3000)}
local frags = f.fragment(frame)
eq(#frags, 3, "fragments")
eq(f.parse(frags[2]).ipv4.frag, 185, "second offset")
eq(f.defragment(frags)[1], frame, "reassembled")
`)
}

// TestLuaFragment6 runs frame.fragment6 on Scapy's vectors from Lua, with
// the id Scapy drew.
func TestLuaFragment6(t *testing.T) {
	for _, v := range loadFragVectors(t).Fragment6 {
		if v.TooSmall {
			continue
		}
		first := firstName(v.Ether)
		runLua(t, luaUnhex+fmt.Sprintf(`
local want, frame = %s, unhex(%q)
same(f.fragment6(frame, %d, {first = %q, id = %d}), want, "bytes")
same(f.fragment6(f.parse(frame, {first = %q}), %d, {id = %d}), want, "packet")
`, luaList(v.Frags), v.Hex, v.FragSize, first, v.ID, first, v.FragSize, v.ID))
	}
}

// TestLuaDefragment6 runs frame.defragment6 on Scapy's vectors from Lua.
func TestLuaDefragment6(t *testing.T) {
	for _, v := range loadFragVectors(t).Defragment6 {
		first := firstName(v.Ether)
		want := "nil"
		if v.Out != nil {
			want = fmt.Sprintf("%q", *v.Out)
		}
		runLua(t, luaUnhex+fmt.Sprintf(`
local want, in_ = %s, %s
local bytes, pkts = {}, {}
for i, h in ipairs(in_) do bytes[i] = unhex(h); pkts[i] = f.parse(bytes[i], {first = %q}) end
local got = f.defragment6(bytes, {first = %q})
eq(got and hex(got), want, "bytes")
got = f.defragment6(pkts)
eq(got and hex(got), want, "packets")
`, want, luaList(v.In), first, first))
	}
}

func TestLuaFragment6Errors(t *testing.T) {
	for code, want := range map[string]string{
		`f.fragment6("\0\0\0", 1280)`:                                         "no IPv6 header",
		`f.fragment6(f.build{f.ether{}, f.ipv6{}, string.rep("x", 100)}, 60)`: "too small",
		`f.fragment6(f.build{f.ether{}, f.ipv6{}}, 1280, {id = -1})`:          "0..0xffffffff",
		`f.fragment6(f.build{f.ether{}, f.ipv6{}})`:                           "number expected",
		`f.defragment6({"x"}, {first = "y"})`:                                 "\"ether\" or \"ip\"",
	} {
		if got := luaError(t, code); !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want %q in it", code, got, want)
		}
	}
	runLua(t, `eq(f.defragment6({}), nil, "no fragments")`)
}

// firstName is the option first for frames that start with Ethernet or not.
func firstName(ether bool) string {
	if ether {
		return "ether"
	}
	return "ip"
}
