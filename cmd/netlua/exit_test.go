package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// lua51 runs code with Debian's lua5.1 and returns its exit status, its
// output and the first line of its error, without the "lua5.1: " prefix.
func lua51(t *testing.T, code string) (int, string, string) {
	t.Helper()
	path := testlab.NeedTool(t, "lua5.1", "lua5.1")
	cmd := exec.Command(path, "-e", code)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	msg, _, _ := strings.Cut(errb.String(), "\n")
	return cmd.ProcessState.ExitCode(), out.String(), strings.TrimPrefix(msg, path+": ")
}

// os.exit reads its argument as lua5.1 does, and ends the script as it
// does: pcall and coroutines do not catch it.
func TestOSExitAsLua51(t *testing.T) {
	for _, code := range []string{
		`os.exit()`, `os.exit(nil)`, `os.exit(3)`, `os.exit(2.7)`, `os.exit(-1)`, `os.exit(256 + 3)`,
		`os.exit("3")`, `os.exit(" 0x10 ")`, `os.exit("3.9")`, `os.exit("1e2")`, `os.exit("010")`,
		`os.exit("x")`, `os.exit("1_000")`, `os.exit({})`, `os.exit(print)`,
		`print("before") pcall(os.exit, 3) print("after")`,
		`print(pcall(function() os.exit(4) end)) print("after")`,
		`coroutine.wrap(function() os.exit(5) end)() print("after")`,
		`print(coroutine.resume(coroutine.create(function() os.exit(6) end))) print("after")`,
	} {
		t.Run(code, func(t *testing.T) {
			status, out, msg := lua51(t, code)
			res := testlab.Run(t, "", "-e", code)
			got, _, _ := strings.Cut(res.Stderr, "\n")
			if res.Code != status || res.Stdout != out || got != msg {
				t.Errorf("netlua: status %d, output %q, error %q\nlua5.1: status %d, output %q, error %q",
					res.Code, res.Stdout, got, status, out, msg)
			}
		})
	}
}

// os.exit(true) and os.exit(false) are 0 and 1, as in Lua 5.2 (lua5.1
// rejects them).
func TestOSExitBoolean(t *testing.T) {
	for code, want := range map[string]int{`os.exit(true)`: 0, `os.exit(false)`: 1} {
		if res := testlab.Run(t, "", "-e", code); res.Code != want || res.Stderr != "" {
			t.Errorf("%s: status %d (%s), want %d", code, res.Code, res.Stderr, want)
		}
	}
}

// os.exit in a loop callback or a deferred function, even under pcall or
// in a coroutine, ends it with its code; in a deferred function the rest
// of the cleanup still runs.
func TestOSExitInCallbacks(t *testing.T) {
	tests := []struct {
		name, code string
		status     int
		stdout     string
	}{
		{"timer", `loop.after(0, function() pcall(os.exit, 5) print('after') end)`, 5, ""},
		{"deferred", `loop.defer(function() print('first registered') end)
loop.defer(function() pcall(os.exit, 6) print('after') end)
loop.defer(function() print('last registered') end)`, 6, "last registered\nfirst registered\n"},
		{"coroutine in a deferred function", `loop.defer(function() print('first registered') end)
loop.defer(function() coroutine.wrap(function() os.exit(7) end)() print('after') end)`, 7, "first registered\n"},
		{"deferred after an error", `loop.defer(function() os.exit(0) end) error('boom')`, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := testlab.Run(t, "", "-e", "local loop = require 'loop'\n"+tt.code)
			if res.Code != tt.status || res.Stdout != tt.stdout || strings.Contains(res.Stderr, "cleanup") {
				t.Errorf("status %d, output %q, errors %q; want %d and %q", res.Code, res.Stdout, res.Stderr, tt.status, tt.stdout)
			}
		})
	}
}
