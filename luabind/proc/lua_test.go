package proc_test

import (
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// The statuses are the kernel's: a shell's exit code, 128 + the signal
// number (SIGINT 2, SIGKILL 9, SIGTERM 15 on Linux).
func TestSpawnWaitKill(t *testing.T) {
	tests := []struct{ name, code, want string }{
		{"exit status", `local p = proc.spawn{"sh", "-c", "exit 3"}
			print(p:wait(10), p.status, p.running)`, "3\t3\tfalse\n"},
		{"wait times out", `local p = proc.spawn{"sleep", "1000"}
			print(p:wait(0.05), p:wait(0), p.running, p.status)
			p:kill("KILL")
			print(p:wait(10), p.status, p.running)`, "nil\tnil\ttrue\tnil\n137\t137\tfalse\n"},
		{"kill sends TERM by default", `local p = proc.spawn{"sleep", "1000"}
			print(p:kill(), p:wait(10))`, "true\t143\n"},
		{"signal names and numbers", `for _, sig in ipairs{"KILL", "sigint", "SIGUSR1", 9, 2} do
				local p = proc.spawn{"sleep", "1000"}
				print(sig, p:kill(sig), p:wait(10))
			end`, "KILL\ttrue\t137\nsigint\ttrue\t130\nSIGUSR1\ttrue\t138\n9\ttrue\t137\n2\ttrue\t130\n"},
		{"kill after the end sends nothing", `local p = proc.spawn{"true"}
			print(p:wait(10), p:kill("KILL"), p.status)`, "0\tfalse\t0\n"},
		{"kill reaches the process group", `local p = proc.spawn{"sh", "-c", "sleep 1000 & wait"}
			loop.after(0.1, function() p:kill("KILL") end)
			print(p:wait(10))`, "137\n"},
		{"stdout and stderr merged", `local p = proc.spawn{"sh", "-c", "echo out; echo err >&2"}
			p:wait(10)
			print(p:read())`, "out\nerr\n\t0\n"},
		{"stdin", `local p = proc.spawn({"cat"}, { stdin = "hello" })
			p:wait(10)
			print(p:read())`, "hello\t0\n"},
		{"no stdin reads as empty", `local p = proc.spawn{"wc", "-c"}
			p:wait(10)
			print(p:read())`, "0\n\t0\n"},
		{"output is bounded", `local p = proc.spawn({"sh", "-c", "head -c 10000 /dev/zero | tr '\\0' a"}, { max_output = 100 })
			p:wait(10)
			local out, cut = p:read()
			print(out == string.rep("a", 100), cut)`, "true\t9900\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := testlab.MustLua(t, "local proc, loop = require 'proc', require 'loop'\n"+tt.code, luaModules()...)
			if out != tt.want {
				t.Errorf("got\n%q\nwant\n%q", out, tt.want)
			}
		})
	}
}

// read returns what arrived so far while the program still runs.
func TestReadWhileRunning(t *testing.T) {
	out := testlab.MustLua(t, `
		local proc = require "proc"
		local p = proc.spawn{"sh", "-c", "echo one; exec sleep 1000"}
		local deadline = now() + 10
		while p:read() == "" and now() < deadline do p:wait(0.01) end
		print(p:read())
		print(p.running)
	`, luaModules()...)
	if want := "one\n\t0\ntrue\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// wait runs the loop: a timer fires during it (and here ends the
// program), and loop.stop() in a callback ends the wait early.
func TestWaitRunsTheLoop(t *testing.T) {
	out := testlab.MustLua(t, `
		local proc, loop = require "proc", require "loop"
		local p = proc.spawn{"sleep", "1000"}
		loop.after(0.05, function() p:kill("KILL") end)
		print(p:wait(10))
		local q = proc.spawn{"sleep", "1000"}
		loop.after(0.05, function() loop.stop() end)
		print(q:wait(10), q.running)
	`, luaModules()...)
	if want := "137\nnil\ttrue\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// An error in a callback during wait is the script's error.
func TestWaitRaisesCallbackError(t *testing.T) {
	_, err := testlab.RunLua(t, `
		local proc, loop = require "proc", require "loop"
		local p = proc.spawn{"sleep", "1000"}
		loop.after(0, function() error("boom") end)
		p:wait(10)
		print("not reached")
	`, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the callback's boom", err)
	}
}

// on_exit runs on the loop with the status, and keeps the script alive
// until then; a program without on_exit does not: the script ends, and
// the program with it.
func TestOnExitKeepsTheLoop(t *testing.T) {
	out := testlab.MustLua(t, `
		local proc = require "proc"
		proc.spawn({"sh", "-c", "sleep 0.1; exit 7"}, { on_exit = function(status) print("on_exit", status) end })
		print("main chunk done")
	`, luaModules()...)
	if want := "main chunk done\non_exit\t7\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	start := time.Now()
	out = testlab.MustLua(t, `
		local p = require("proc").spawn{"sleep", "1000"}
		print(p.running)
	`, luaModules()...)
	if out != "true\n" || time.Since(start) > 10*time.Second {
		t.Errorf("got %q after %v, want true at once", out, time.Since(start))
	}
}

func TestSpawnErrors(t *testing.T) {
	absent := testlab.AbsentPath(t)
	tests := []struct{ name, code, want string }{
		{"no argv", `proc.spawn()`, "bad argument #1 to 'spawn' (table expected, got no value)"},
		{"empty argv", `proc.spawn{}`, "bad argument #1 to 'spawn' (empty command)"},
		{"argv word not a string", `proc.spawn{"echo", {}}`, "bad argument #1 to 'spawn' (command word 2 is a table, want a string)"},
		{"unknown option", `proc.spawn({"true"}, { timeout = 1 })`, "bad argument #2 to 'spawn' (unknown option 'timeout', have: max_output, on_exit, stdin)"},
		{"on_exit not a function", `proc.spawn({"true"}, { on_exit = 1 })`, "option 'on_exit' expects a function, got number"},
		{"max_output not positive", `proc.spawn({"true"}, { max_output = 0 })`, "option 'max_output' must be positive"},
		{"no such program", `proc.spawn{"` + absent + `"}`, "proc.spawn: fork/exec " + absent + ": no such file or directory"},
		{"unknown signal", `proc.spawn{"true"}:kill("NOPE")`, `bad argument #1 to 'kill' (unknown signal "NOPE")`},
		{"signal out of range", `proc.spawn{"true"}:kill(0)`, "bad argument #1 to 'kill' (no signal 0)"},
		{"negative timeout", `proc.spawn{"true"}:wait(-1)`, "bad argument #1 to 'wait' (timeout must be 0 or more seconds)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, "local proc = require 'proc'\n"+tt.code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
		})
	}
}
