package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

func TestExitStatus(t *testing.T) {
	script := filepath.Join(t.TempDir(), "fails.lua")
	os.WriteFile(script, []byte("local x = 1\n\nerror('went wrong')\n"), 0o644)
	missing := testlab.AbsentPath(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string // substrings
	}{
		{"ok", []string{"-e", "local x = 1"}, 0, nil},
		{"runtime error", []string{"-e", "local t\nreturn t.x"}, 1, []string{"(command line):2: attempt to index", "stack traceback:"}},
		{"error in file", []string{script}, 1, []string{script + ":3: went wrong", "in main chunk"}},
		{"syntax error", []string{"-e", "x = = 1"}, 1, []string{"(command line):1: unexpected symbol near '='"}},
		{"missing script", []string{missing}, 2, []string{"cannot run " + missing + ": no such file"}},
		{"directory", []string{t.TempDir()}, 2, []string{"is a directory"}},
		{"unknown flag", []string{"--frobnicate"}, 2, []string{"unknown option --frobnicate", "usage: netlua"}},
		{"-e without code", []string{"-e"}, 2, []string{"-e needs an argument"}},
		{"os.exit", []string{"-e", "os.exit(3)"}, 3, nil},
		{"os.exit false", []string{"-e", "os.exit(false)"}, 1, nil},
		{"bad argument", []string{"-e", "sleep('soon')"}, 1, []string{"bad argument #1 to 'sleep' (number expected, got string)"}},
		{"error object", []string{"-e", "error({})"}, 1, []string{"(error object is a table value)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := testlab.Run(t, "", tt.args...)
			if res.Code != tt.code {
				t.Errorf("exit status %d, want %d\nstderr: %s", res.Code, tt.code, res.Stderr)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(res.Stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, res.Stderr)
				}
			}
			testlab.NoGoTrace(t, res.Stderr)
		})
	}
}

func TestArgs(t *testing.T) {
	script := filepath.Join(t.TempDir(), "args.lua")
	os.WriteFile(script, []byte("#!/usr/bin/env netlua\nprint(arg[0], #arg, arg[1], arg[2], select('#', ...), ...)\n"), 0o644)
	res := testlab.Run(t, "", script, "eth0", "two words")
	want := script + "\t2\teth0\ttwo words\t2\teth0\ttwo words\n"
	if res.Code != 0 || res.Stdout != want {
		t.Fatalf("got %q (status %d, stderr %s), want %q", res.Stdout, res.Code, res.Stderr, want)
	}
}

func TestRequireBesideScript(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mylib.lua"), []byte("return { answer = 42 }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.lua"), []byte("print(require('mylib').answer)\n"), 0o644)
	if res := testlab.Run(t, "", filepath.Join(dir, "main.lua")); res.Stdout != "42\n" {
		t.Errorf("got %q (%s)", res.Stdout, res.Stderr)
	}
}

func TestCode(t *testing.T) {
	res := testlab.Run(t, "", "-e", "print(arg[0], ...)", "a", "b")
	if want := "(command line)\ta\tb\n"; res.Stdout != want {
		t.Fatalf("got %q, want %q", res.Stdout, want)
	}
}

func TestStdin(t *testing.T) {
	for _, args := range [][]string{{"-", "x"}, {}} {
		res := testlab.Run(t, "print('from stdin', arg[0], ...)", args...)
		want := "from stdin\tstdin"
		if len(args) > 1 {
			want += "\tx"
		}
		if res.Code != 0 || res.Stdout != want+"\n" {
			t.Errorf("netlua %v: got %q (status %d, %s), want %q", args, res.Stdout, res.Code, res.Stderr, want)
		}
	}
}

func TestGoPanicBecomesLuaError(t *testing.T) {
	res := testlab.Run(t, "", "-e", "require('netlua_test').panic()")
	if res.Code != 1 {
		t.Errorf("exit status %d, want 1", res.Code)
	}
	if !strings.Contains(res.Stderr, "(command line):1: panic: internal error: runtime error: index out of range") {
		t.Errorf("stderr does not name the call and the cause:\n%s", res.Stderr)
	}
	testlab.NoGoTrace(t, res.Stderr)

	res = testlab.Run(t, "", "-e", "local ok, err = pcall(require('netlua_test').panic) print(ok) print('alive')")
	if res.Code != 0 || res.Stdout != "false\nalive\n" {
		t.Errorf("pcall of a panicking binding: %q (status %d, %s)", res.Stdout, res.Code, res.Stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	if res := testlab.Run(t, "", "--version"); res.Code != 0 || !strings.HasPrefix(res.Stdout, "netlua ") {
		t.Errorf("--version: %q status %d", res.Stdout, res.Code)
	}
	if res := testlab.Run(t, "", "--help"); res.Code != 0 || !strings.Contains(res.Stdout, "usage: netlua") {
		t.Errorf("--help: %q status %d", res.Stdout, res.Code)
	}
}
