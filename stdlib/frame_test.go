package stdlib_test

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// expectPrelude defines frames and a socket that hands them out in order
// and then has nothing more (recv returns nil at once, as at a timeout).
const expectPrelude = `local f = require "frame"
local t = require("test").new("x")
local arp = f.build{ f.ether{ src = "02:00:00:00:00:01" }, f.arp{ psrc = "198.18.0.1", pdst = "198.18.0.2" } }
local dns = f.build{ f.ether{ src = "02:00:00:00:00:01" }, f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, f.udp{ sport = 4000, dport = 53 } }
local function socket(...)
  local queue = { ... }
  return { recv = function() return table.remove(queue, 1) end }
end
`

// A predicate that reads a layer the frame lacks does not match it: the
// ARP frame is passed over and the UDP one returned.
func TestExpectMissingLayerIsNoMatch(t *testing.T) {
	out := testlab.MustLua(t, expectPrelude+`
local p = t:expect(socket(arp, arp, dns), function(p) return p.udp.dport == 53 end)
print(p.udp.dport, t.failed)
p = t:expect(socket(arp, dns), function(p) local ok = p.ipv4.src == "198.18.0.1" return ok and p.udp.sport == 4000 end)
print(p.udp.sport, t.failed)`, luaModules()...)
	if want := "53\tfalse\n4000\tfalse\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// When no frame matches, the failure lists the frames a missing layer
// turned away, and says so.
func TestExpectMissingLayerListed(t *testing.T) {
	out := testlab.MustLua(t, expectPrelude+`
local ok, err = pcall(t.expect, t, socket(arp, dns), function(p) return p.udp.dport == 9999 end)
assert(not ok and err == t, "expect did not stop the test")
print(t.failures[1].msg)
print(t.failures[1].detail)`, luaModules()...)
	want := "t:expect: no match within 1 s; 2 frames arrived:\n" +
		"1. ether 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff / arp op 1 198.18.0.1 > 198.18.0.2 / 0 bytes (no udp layer for the predicate)\n" +
		"2. ether 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff / ipv4 198.18.0.1 > 198.18.0.2 / udp 4000 > 53 / 0 bytes\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}

// Any other error in the predicate is a bug in it: it stops expect at
// the first frame it happens on, with its own message and line.
func TestExpectPredicateBugsSurface(t *testing.T) {
	for _, c := range []struct{ pred, want string }{
		{`function(p) return p.udp.dport == prot + 1 end`, "<string>:9: attempt to perform arithmetic on global 'prot' (a nil value)"},
		{`function(p) local u = p.udp return u.dport == 53 end`, "<string>:9: attempt to index local 'u' (a nil value)"},
		{`function(p) return p.udpp.dport == 53 end`, "<string>:9: frame.packet: no layer or field 'udpp' (did you mean 'udp'?"},
		{`function(p) return p.error.x end`, "<string>:9: attempt to index field 'error' (a nil value)"},
		{`function(p) local cfg = {} return cfg.udp.port end`, "<string>:9: attempt to index field 'udp' (a nil value)"},
		{`function(p) error({ code = 1 }) end`, "(error object is a table value)"},
	} {
		_, err := testlab.RunLua(t, expectPrelude+
			"t:expect(socket(arp, dns), "+c.pred+")", luaModules()...)
		if err == nil {
			t.Errorf("%s: no error", c.pred)
			continue
		}
		if msg := luabind.Report(err); !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.pred, msg, c.want)
		}
	}
}

// t:fatal and t:skip in a predicate stop the test as anywhere else.
func TestExpectPredicateStops(t *testing.T) {
	out := testlab.MustLua(t, expectPrelude+`
local ok, err = pcall(t.expect, t, socket(arp), function(p) t:fatal("seen " .. p.layers[2].name) end)
print(ok, err == t, t.failures[1].msg)`, luaModules()...)
	if want := "false\ttrue\tseen arp\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// t:eq compares layers made by the constructors as the tables they are,
// reading fields left out as their defaults, even when the two layers'
// protocols have different fields (reading a udp field of an ipv4 layer
// raises).
func TestEqOnLayers(t *testing.T) {
	out := testlab.MustLua(t, expectPrelude+`
print(t:eq(f.udp{ dport = 53 }, f.udp{ dport = 53 }), t:eq(f.ipv4{}, f.ipv4{ ttl = 64 }), t.failed)
print(t:eq(f.udp{ dport = 53 }, f.ipv4{ ttl = 1 }), t:ne(f.ipv4{ ttl = 1 }, f.udp{ dport = 53 }))
print(t:eq(f.ipv4{ ttl = 1 }, { ttl = 1, tll = 2 }))
for _, x in ipairs(t.failures) do print(x.msg) end`, luaModules()...)
	want := "true\ttrue\tfalse\n" +
		"false\ttrue\n" +
		"false\n" +
		"t:eq: not equal at dport\n" +
		"t:eq: not equal at tll\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}
