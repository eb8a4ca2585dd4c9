package stdlib_test

import (
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
	_ "github.com/netlua/netlua/stdlib"
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
		got := testlab.MustLua(t, `print(require('pp').format(`+tt.expr+`))`)
		if got != tt.want+"\n" {
			t.Errorf("format(%s) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	got := testlab.MustLua(t, `pp = require 'pp'; print(pp.format({ { { 1 } } }, { depth = 2, indent = 1 }))`)
	if want := "{\n {\n  {...},\n },\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
