package frame

import (
	"fmt"
	"strings"
	"testing"
)

// TestAnswersLua runs frame.answers on Scapy's labelled pairs, on byte
// strings and on parsed packets, and on arguments of the wrong type.
func TestAnswersLua(t *testing.T) {
	var b strings.Builder
	b.WriteString(luaUnhex + "local pairs = {\n")
	for _, p := range loadAnswerPairs(t) {
		fmt.Fprintf(&b, "{%q, %q, %v},\n", p.Request, p.Reply, p.Answers)
	}
	b.WriteString(`}
for i, p in ipairs(pairs) do
  local req, rep = unhex(p[1]), unhex(p[2])
  eq(f.answers(rep, req), p[3], "pair " .. i .. " as bytes")
  eq(f.answers(f.parse(rep), f.parse(req)), p[3], "pair " .. i .. " parsed")
end
`)
	runLua(t, b.String())
	for _, c := range []struct{ code, want string }{
		{`f.answers(1, "")`, `bad argument #1 to 'answers' (packet or string expected, got number)`},
		{`f.answers("", f.ether{})`, `bad argument #2 to 'answers' (packet or string expected, got`},
	} {
		if msg := luaError(t, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want %q", c.code, msg, c.want)
		}
	}
}

// TestAnswersLuaDefine checks define's answers option: a Lua rule given
// the request's and the reply's layer, its errors, and its absence.
func TestAnswersLuaDefine(t *testing.T) {
	runLua(t, `
local seen
local ping = f.define("ping", {{"id", 16}, {"kind", 8}}, { answers = function(req, rep)
  seen = req.kind .. ">" .. rep.kind
  return rep.id == req.id
end })
local pong = f.define("pong", {{"id", 16}})
f.bind("udp", {dport = 7777}, "ping"); f.bind("udp", {sport = 7777}, "ping")
f.bind("udp", {dport = 7778}, "pong"); f.bind("udp", {sport = 7778}, "pong")
local function frame(sport, dport, l)
  return f.build{ f.ether{}, f.ipv4{ src = sport == 40000 and "198.18.0.1" or "198.18.0.2",
    dst = sport == 40000 and "198.18.0.2" or "198.18.0.1" }, f.udp{ sport = sport, dport = dport }, l }
end
local req = frame(40000, 7777, ping{ id = 5, kind = 1 })
eq(f.answers(frame(7777, 40000, ping{ id = 5, kind = 2 }), req), true, "same id")
eq(seen, "1>2", "the rule gets the request, then the reply")
eq(f.answers(frame(7777, 40000, ping{ id = 6, kind = 2 }), f.parse(req)), false, "other id")
local preq = frame(40000, 7778, pong{ id = 5 })
eq(f.answers(frame(7778, 40000, pong{ id = 6 }), preq), true, "no rule: the same protocol answers")
`)
	for _, c := range []struct{ code, want string }{
		{`local p = f.define("bad", {{"id", 16}}, { answers = function() error("no way") end })
f.bind("udp", {dport = 7779}, "bad"); f.bind("udp", {sport = 7779}, "bad")
local a = f.build{ f.ether{}, f.ipv4{}, f.udp{ sport = 1, dport = 7779 }, p{} }
local b = f.build{ f.ether{}, f.ipv4{}, f.udp{ sport = 7779, dport = 1 }, p{} }
f.answers(b, a)`, `no way`},
		{`f.define("bad2", {{"id", 16}}, { answers = 3 })`, `bad argument #3 to 'define' (option 'answers' expects a function, got number)`},
		{`f.define("bad3", {{"id", 16}}, { answer = print })`, `bad argument #3 to 'define'`},
	} {
		if msg := luaError(t, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want %q", c.code, msg, c.want)
		}
	}
}
