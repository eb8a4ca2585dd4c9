package loop_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestTimerOrder(t *testing.T) {
	out := testlab.MustLua(t, `local loop = require 'loop'
loop.after(0.03, function() print('c') end)
loop.after(0.01, function() print('a') end)
loop.after(0.02, function() print('b') end)
loop.after(0, function() print('now 1') end)
loop.after(0, function() print('now 2') end)
print('main chunk first')`, luaModules()...)
	if want := "main chunk first\nnow 1\nnow 2\na\nb\nc\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestEveryAndCancel(t *testing.T) {
	start := time.Now()
	out := testlab.MustLua(t, `local loop = require 'loop'
local n = 0
local h = loop.every(0.01, function(h) n = n + 1; if n == 5 then h:cancel(); h:cancel() end end)
loop.defer(function() print(n, h.pending) end)`, luaModules()...)
	if out != "5\tfalse\n" {
		t.Errorf("got %q, want 5 calls and a cancelled timer", out)
	}
	if d := time.Since(start); d < 40*time.Millisecond || d > 2*time.Second {
		t.Errorf("5 ticks of 10 ms took %v", d)
	}
}

func TestCancelBeforeFiring(t *testing.T) {
	out := testlab.MustLua(t, `local loop = require 'loop'
local t = loop.after(0.01, function() print('fired') end)
print(t.pending); t:cancel(); print(t.pending)`, luaModules()...)
	if out != "true\nfalse\n" {
		t.Errorf("got %q", out)
	}
}

func TestStopAndRun(t *testing.T) {
	out := testlab.MustLua(t, `local loop = require 'loop'
local n = 0
local h = loop.every(0.005, function() n = n + 1; if n == 3 then loop.stop() end end)
loop.run()
print('run returned after', n)
h:cancel()`, luaModules()...)
	if out != "run returned after\t3\n" {
		t.Errorf("got %q", out)
	}
}

// loop.stop() outside a running loop does nothing: the next loop.run()
// runs.
func TestStopOutsideTheLoop(t *testing.T) {
	out := testlab.MustLua(t, `local loop = require 'loop'
loop.stop()
local n = 0
loop.every(0.005, function(h) n = n + 1; if n == 3 then h:cancel() end end)
loop.run()
print('run returned after', n)`, luaModules()...)
	if out != "run returned after\t3\n" {
		t.Errorf("got %q", out)
	}
}

func TestCallbackErrorEndsTheRun(t *testing.T) {
	out, err := testlab.RunLua(t, `local loop = require 'loop'
loop.after(0.01, function() error('in callback') end)
loop.after(0.5, function() print('never') end)`, luaModules()...)
	if err == nil || !strings.Contains(luabind.Report(err), ":2: in callback") {
		t.Errorf("error %v", err)
	}
	if out != "" {
		t.Errorf("output %q after the failing callback", out)
	}
}

func TestSleepAndNow(t *testing.T) {
	out := testlab.MustLua(t, `local t0 = now(); sleep(0.05); local d = now() - t0
print(d >= 0.05 and d < 1)`, luaModules()...)
	if out != "true\n" {
		t.Errorf("sleep(0.05) measured by now(): %q", out)
	}
}

func TestBadArguments(t *testing.T) {
	tests := []struct{ code, want string }{
		{`require('loop').after('1', print)`, "bad argument #1 to 'after' (number expected, got string)"},
		{`require('loop').after(1)`, "bad argument #2 to 'after' (function expected, got no value)"},
		{`require('loop').every(0, print)`, "bad argument #1 to 'every' (seconds must be greater than 0)"},
		{`sleep(-1)`, "bad argument #1 to 'sleep' (seconds must be 0 or more)"},
		{`require('loop').defer('x')`, "bad argument #1 to 'defer' (function expected, got string)"},
	}
	for _, tt := range tests {
		_, err := testlab.RunLua(t, tt.code, luaModules()...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.code, err, tt.want)
		}
	}
}

// loop.time is the wall clock, Go's time.Now: the clock of packet
// timestamps, which loop.now (monotonic, from boot) is not.
func TestTimeIsTheWallClock(t *testing.T) {
	before := float64(time.Now().UnixNano()) / 1e9
	out := testlab.MustLua(t, `print(string.format("%.6f", require("loop").time()))`, luaModules()...)
	after := float64(time.Now().UnixNano()) / 1e9
	var got float64
	if _, err := fmt.Sscan(out, &got); err != nil || got < before || got > after {
		t.Errorf("loop.time() = %q, want within [%.6f, %.6f]", out, before, after)
	}
}
