package repl

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"
)

// newTestSession is a prompt's session whose output is discarded.
func newTestSession(t *testing.T) *session {
	t.Helper()
	s := newSession(modules.All(), io.Discard, io.Discard)
	t.Cleanup(func() { s.rt.Close() })
	return s
}

func TestComplete(t *testing.T) {
	s := newTestSession(t)
	for _, line := range []string{
		`t = setmetatable({alpha = 1, [2] = 0, ["not a name"] = 0}, {__index = {beta = 2, fn = print}})`,
		`prog = filter.compile("udp")`,
		`str = "abc"`,
		`bad = setmetatable({}, {__index = function() error("boom") end})`,
		`p = frame.parse(frame.build{ frame.ether{}, frame.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, frame.udp{ dport = 53 }, "x" })`,
	} {
		if _, leave := s.feed(line); leave {
			t.Fatalf("%s ended the session", line)
		}
	}
	tests := []struct {
		line  string
		start int
		want  []string
	}{
		{"pack", 0, []string{"package", "packet"}},
		{"x = packe", 4, []string{"packet"}},
		{"string.fo", 0, []string{"string.format"}},
		{"print(string.fo", 6, []string{"string.format"}},
		{`require "fr`, 9, []string{"frame"}},
		{`require('lo`, 9, []string{"loop"}},
		{"packet.o", 0, []string{"packet.open"}},
		{"t.", 0, []string{"t.alpha", "t.beta", "t.fn"}},
		{"t:", 0, []string{"t:fn"}},
		{"prog:", 0, []string{"prog:dump", "prog:explain", "prog:match"}},
		{"prog.e", 0, []string{"prog.explain", "prog.expr"}},
		{"str:up", 0, []string{"str:upper"}},
		{"p.", 0, []string{"p.error", "p.ether", "p.ipv4", "p.layers", "p.padding", "p.payload", "p.udp"}},
		{"p.ip", 0, []string{"p.ipv4"}},
		{"p.udp.", 0, []string{"p.udp.chksum", "p.udp.dport", "p.udp.len", "p.udp.name", "p.udp.sport"}},
		{"print(p.ipv4.tt", 6, []string{"p.ipv4.ttl"}},
		{"bad.x.y", 0, nil},
		{"nosuch.x", 0, nil},
		{"1 + 2", 4, nil},
	}
	for _, tt := range tests {
		start, got := s.complete(tt.line, len(tt.line))
		if start != tt.start || !slices.Equal(got, tt.want) {
			t.Errorf("%q: %d %q, want %d %q", tt.line, start, got, tt.start, tt.want)
		}
	}
	_, got := s.complete("fun", 3)
	if !slices.Contains(got, "function") {
		t.Errorf("keywords are not completed: %q", got)
	}
	_, got = s.complete("x", 1)
	if !slices.Contains(got, "xpcall") {
		t.Errorf("globals are not completed: %q", got)
	}
	_, got = s.complete("lo", 2)
	for _, want := range []string{"loop", "local", "loadstring"} {
		if !slices.Contains(got, want) {
			t.Errorf("lo: %q lacks %s", got, want)
		}
	}
	if _, got := s.complete("string.fo and more", 9); strings.Join(got, " ") != "string.format" {
		t.Errorf("completion in the middle of a line: %q", got)
	}
}
