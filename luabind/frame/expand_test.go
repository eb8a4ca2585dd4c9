package frame

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// srCase is a generator of testdata/scapy_sr.json: its Lua layers and
// the frames Scapy's [raw(p) for p in pkt] made of the same generator.
type srCase struct {
	Name string   `json:"name"`
	Lua  string   `json:"lua"`
	Hex  []string `json:"hex"`
}

// TestExpandScapy expands each generator with frame.expand and builds
// its frames: the same frames as Scapy's, in Scapy's order.
func TestExpandScapy(t *testing.T) {
	data, err := os.ReadFile("testdata/scapy_sr.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []srCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&b, "do\n  local want = {%s}\n  local got = f.expand{%s}\n", quoteAll(c.Hex), c.Lua)
		fmt.Fprintf(&b, "  eq(#got, #want, %q)\n", c.Name+": frames")
		fmt.Fprintf(&b, "  for i, fr in ipairs(got) do eq(hex(f.build(fr)), want[i], %q .. i) end\nend\n", c.Name+": frame ")
	}
	runLua(t, b.String())
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// A generator is no frame: build refuses it; bad generator values get
// errors naming the field.
func TestExpandErrors(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{`f.build{ f.ipv4{ dst = "198.18.0.0/30" } }`, "frame.build: the ipv4 layer is a generator"},
		{`f.ipv4{ dst = "198.18.0.0/3" }`, `frame.ipv4: field 'dst': "198.18.0.0/3" has 2^29 addresses, more than 1048576`},
		{`f.tcp{ dport = "9-3" }`, `frame.tcp: field 'dport': range "9-3" goes down`},
		{`f.tcp{ dport = {} }`, "frame.tcp: field 'dport': an empty list of values"},
		{`f.tcp{ dport = { 1, 70000 } }`, "frame.tcp: field 'dport' expects a number 0..65535, got 70000"},
		{`f.tcp{ dport = { {1} } }`, "field 'dport': value 1 is a table"},
		{`f.expand{ f.ipv4{ dst = "198.18.0.0/16" }, f.tcp{ dport = "1-100" } }`, "the generator makes 6553600 frames, more than 1048576"},
	} {
		if msg := luaError(t, c.code); !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want %q", c.code, msg, c.want)
		}
	}
}

// Plain layers stay plain: flag names, lists by nature (options) and a
// single value are no generators, and expand of them is the one frame.
func TestExpandPlain(t *testing.T) {
	runLua(t, `
local l = f.tcp{ flags = "SA", options = { {"MSS", 1460} } }
eq(getmetatable(l) == getmetatable(f.tcp{}), true, "a plain layer")
local g = f.expand{ f.ipv4{ dst = "198.18.0.2" }, l }
eq(#g, 1, "frames")
eq(hex(f.build(g[1])), hex(f.build{ f.ipv4{ dst = "198.18.0.2" }, l }), "the frame")
eq(#f.expand(f.udp{ dport = { 1, 2 } }), 2, "one layer alone")
`)
}
