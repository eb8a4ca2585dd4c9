package stdlib_test

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestFormat(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`42`, `42`},
		{`"a\0b\n"`, `"a\000b\n"`},
		{`{}`, `{}`},
		{`{ 1, "x" }`, "{\n  1,\n  \"x\",\n}"},
		{`{ b = 2, a = { true }, [10] = 1 }`, "{\n  [10] = 1,\n  a = {\n    true,\n  },\n  b = 2,\n}"},
		{`(function() local t = {} t.self = t return t end)()`, "{\n  self = <cycle>,\n}"},
	}
	for _, tt := range tests {
		got := testlab.MustLua(t, `print(require('pp').format(`+tt.expr+`))`, luaModules()...)
		if got != tt.want+"\n" {
			t.Errorf("format(%s) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	got := testlab.MustLua(t, `pp = require 'pp'; print(pp.format({ { { 1 } } }, { depth = 2, indent = 1 }))`, luaModules()...)
	if want := "{\n {\n  {...},\n },\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestFormatOptionsChecked: options that would exhaust memory (a huge
// indent) or the stack (a negative depth) are Lua's bad-argument errors.
func TestFormatOptionsChecked(t *testing.T) {
	for _, opts := range []string{`{indent = 65}`, `{indent = -1}`, `{indent = 2.5}`, `{indent = "2"}`, `{depth = -1}`, `{depth = 0/0}`, `5`} {
		out, err := testlab.RunLua(t, `require('pp').format({ { 1 } }, `+opts+`)`, luaModules()...)
		if err == nil || !strings.Contains(err.Error(), "bad argument #2 to 'format'") {
			t.Errorf("format(..., %s): output %q, error %v", opts, out, err)
		}
	}
	got := testlab.MustLua(t, `print(require('pp').format({ { 1 } }, { indent = 0, depth = math.huge }))`, luaModules()...)
	if want := "{\n{\n1,\n},\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
