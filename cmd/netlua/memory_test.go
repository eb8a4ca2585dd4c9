package main

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// TestMemoryBombs: scripts that would grow until the kernel's OOM killer
// end with Lua's "not enough memory" error, exit 1, under a small ceiling.
func TestMemoryBombs(t *testing.T) {
	t.Setenv("NETLUA_MEMORY", "64MiB")
	for name, code := range map[string]string{
		"table of strings": `local t = {} while true do t[#t + 1] = ("x"):rep(1e6) .. #t end`,
		"table of numbers": `local t = {} for i = 1, 1e9 do t[i] = i end`,
		"doubling string":  `local s = "x" while true do s = s .. s end`,
		"one huge rep":     `local s = ("x"):rep(1e12)`,
		"huge concat":      `local t = {} for i = 1, 10 do t[i] = ("x"):rep(1e6) end print(#table.concat(t, ("y"):rep(1e7)))`,
	} {
		t.Run(name, func(t *testing.T) {
			res := testlab.Run(t, "", "-e", code)
			if res.Code != 1 || !strings.HasPrefix(res.Stderr, "not enough memory") {
				t.Errorf("exit %d, stderr:\n%s", res.Code, res.Stderr)
			}
			testlab.NoGoTrace(t, res.Stderr)
			if strings.Contains(res.Stderr, "runtime.") {
				t.Errorf("stderr names the Go runtime:\n%s", res.Stderr)
			}
		})
	}
}

// TestMemoryErrorIsCaught: pcall catches it, and what it held is freed.
func TestMemoryErrorIsCaught(t *testing.T) {
	t.Setenv("NETLUA_MEMORY", "64MiB")
	res := testlab.Run(t, "", "-e", `
		print(pcall(function() local t = {} while true do t[#t + 1] = ("x"):rep(1e6) .. #t end end))
		local t = {}
		for i = 1, 20 do t[i] = ("y"):rep(1e6) end
		print(#t)`)
	if res.Code != 0 || res.Stdout != "false\tnot enough memory\n20\n" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestBadMemorySetting(t *testing.T) {
	t.Setenv("NETLUA_MEMORY", "lots")
	res := testlab.Run(t, "", "-e", `print(1)`)
	if res.Code != cli.ExitUsage || !strings.Contains(res.Stderr, `NETLUA_MEMORY: "lots" is not a size`) {
		t.Errorf("exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
}
