package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// brokenScripts are syntax errors beginners make, as whole script files.
var brokenScripts = map[string]string{
	"missing_end.lua":          "local s = require('packet')\nif s then\n  print('open')\n",
	"missing_then.lua":         "local n = 3\nif n > 2\n  print(n)\nend\n",
	"assign_in_condition.lua":  "local n = 3\nif n = 3 then print(n) end\n",
	"missing_paren.lua":        "print('a',\n  'b'\n\nprint('c')\n",
	"table_without_comma.lua":  "local t = {\n  a = 1\n  b = 2\n}\n",
	"unfinished_string.lua":    "print(\"hello)\nprint('next')\n",
	"c_not_equal.lua":          "local a, b = 1, 2\nif a != b then print(a) end\n",
	"compound_assign.lua":      "local n = 0\nn += 1\n",
	"extra_end.lua":            "for i = 1, 3 do\n  print(i)\nend\nend\n",
	"function_missing_end.lua": "local function f(x)\n  return x * 2\n\nprint(f(2))\n",
	"break_outside_loop.lua":   "local x = 1\nif x then break end\n",
	"shebang.lua":              "#!/usr/bin/env netlua\nlocal x = = 1\n",
	"long_string.lua":          "local s = [[\nabc\n",
	"bad_number.lua":           "local ttl = 64x\n",
}

// TestSyntaxErrorsAsLua51 runs each broken script with netlua and with
// lua5.1: the first line of netlua's error is lua5.1's, file, line and
// message (lua5.1 prefixes it with "lua5.1: ").
func TestSyntaxErrorsAsLua51(t *testing.T) {
	testlab.NeedTool(t, "lua5.1", "lua5.1")
	dir := t.TempDir()
	for name, src := range brokenScripts {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("lua5.1", path).CombinedOutput()
		if err == nil {
			t.Fatalf("%s: lua5.1 runs it", name)
		}
		want := strings.TrimPrefix(firstLine(string(out)), "lua5.1: ")
		res := testlab.Run(t, "", path)
		if got := firstLine(res.Stderr); got != want || res.Code != cli.ExitError {
			t.Errorf("%s: netlua says %q (status %d), lua5.1 %q", name, got, res.Code, want)
		}
		testlab.NoGoTrace(t, res.Stderr)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestNestingBomb loads a chunk nested a million levels deep, which used
// to overflow the Go stack in gopher-lua's compiler and kill netlua: it
// fails as in lua5.1, loadstring returning nil and the message.
func TestNestingBomb(t *testing.T) {
	testlab.NeedTool(t, "lua5.1", "lua5.1")
	code := "print(loadstring('return '..('{'):rep(1e6)..('}'):rep(1e6)))"
	out, err := exec.Command("lua5.1", "-e", code).CombinedOutput()
	_, want, _ := strings.Cut(string(out), "]:") // after lua5.1's chunk name
	if err != nil || want == "" {
		t.Fatalf("lua5.1: %v %s", err, out)
	}
	res := testlab.Run(t, "", "-e", code)
	if res.Code != 0 || !strings.HasPrefix(res.Stdout, "nil\t") || !strings.HasSuffix(res.Stdout, want) {
		t.Errorf("got %q (status %d, stderr %s), want nil and ...%q", res.Stdout, res.Code, res.Stderr, want)
	}
	testlab.NoGoTrace(t, res.Stdout+res.Stderr)
}
