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
