package lab

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// The link object and the shape options as Lua sees them; the kernel's
// qdisc list (tc, from iproute2) is the oracle for what was put in place.
func TestLinkFromLua(t *testing.T) {
	testlab.Privileged(t)
	tcPath := testlab.NeedTool(t, "tc", "iproute2")
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local n = lab.new()
		local a, b = n:host("a"), n:host("b")
		local ea, eb, k = n:link(a, b, { rate = "10mbit", queue = 20 })
		print(ea.link == k, eb.link == k, k.a == ea, k.b == eb, k.shaping.rate)
		print((a:exec{"`+tcPath+`", "qdisc", "show", "dev", "veth0"}))
		local m = eb:shape{ rate = 2, loss = 5 }
		print(m.rate, m.loss ~= nil, eb.shaping.rate, ea.shaping.rate)
		print((b:exec{"`+tcPath+`", "qdisc", "show", "dev", "veth0"}))
		k:shape()
		print(next(k.shaping), next(eb.shaping))
		print((b:exec{"`+tcPath+`", "qdisc", "show", "dev", "veth0"}))
	`, luaModules()...)
	lines := strings.Split(out, "\n")
	if lines[0] != "true\ttrue\ttrue\ttrue\ttbf" {
		t.Errorf("fields: %q", lines[0])
	}
	// tc prints the rate, the burst (2 ms of the rate, at least 16 KiB)
	// and the latency of a full queue: (20 frames of 1514 bytes - the
	// burst) at 10 Mbit/s is 11.1 ms.
	for _, want := range []string{"qdisc tbf 2: root", "rate 10Mbit burst 16Kb lat 11.1ms"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("tc after lab:link: %q, want %q", lines[1], want)
		}
	}
	if !strings.Contains(out, "tbf\ttrue\ttbf\ttbf\n") || !strings.Contains(out, "rate 2Mbit") {
		t.Errorf("after eb:shape:\n%s", out)
	}
	if !strings.Contains(out, "nil\tnil\n") || strings.Count(out, "qdisc noqueue") != 1 {
		t.Errorf("after k:shape():\n%s", out)
	}
}

func TestShapeErrors(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct{ name, code, want string }{
		{"unknown option", `n:link(a, b, {delai = "1ms"})`, "bad argument #3 to 'link' (unknown option 'delai', have: corrupt, delay, duplicate, jitter, loss, queue, rate, reorder, vlan, vlans)"},
		{"bad delay", `n:link(a, b, {delay = "soon"})`, `(option 'delay' is not a time like "10ms" or "500us": "soon")`},
		{"delay a table", `n:link(a, b, {delay = {}})`, "(option 'delay' expects a string, got table)"},
		{"bad rate", `n:link(a, b, {rate = "fast"})`, `(option 'rate' is not a rate like "10mbit" or "512kbit": "fast")`},
		{"rate too high", `n:link(a, b, {rate = "40gbit"})`, "(option 'rate' must be from 8kbit to 32gbit)"},
		{"jitter over delay", `n:link(a, b, {delay = 1, jitter = 2})`, "(jitter 2ms is more than the delay 1ms)"},
		{"loss over 100", `local x = n:link(a, b); x:shape{loss = 150}`, "bad argument #1 to 'shape' (loss is a percentage from 0 to 100, got 150)"},
		{"queue fraction", `local _, _, k = n:link(a, b); k:shape{queue = 1.5}`, "(option 'queue' expects an integer, got number)"},
		{"shape on a non-link", `local _, _, k = n:link(a, b); k.shape(a)`, "calling 'shape' on bad self"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := `local lab = require "lab"; local n = lab.new(); local a, b = n:host("a"), n:host("b"); ` + tt.code
			_, err := testlab.RunLua(t, code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant %q", err, tt.want)
			}
		})
	}
}
