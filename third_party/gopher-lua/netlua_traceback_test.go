package lua

import (
	"strings"
	"testing"
)

// tracebackScript collects tracebacks of a deep stack with tail calls, of
// the last level (Go's call of the chunk), past the end and of an error,
// as the global result.
const tracebackScript = `local out = {}
local function tail(n) if n == 0 then return debug.traceback("msg") end return tail(n - 1) end
local function rec(n) if n == 0 then return (tail(3)) end return (rec(n - 1)) end
out[#out + 1] = rec(30)
out[#out + 1] = debug.traceback("top", 1)
out[#out + 1] = debug.traceback("at the end", 2)
out[#out + 1] = debug.traceback("past the end", 3)
local function rec2(n) if n == 0 then error("boom") end return (rec2(n - 1)) end
out[#out + 1] = select(2, xpcall(function() rec2(25) end, debug.traceback))
result = table.concat(out, "\n")
if arg then io.write(result) end
`

// tracebackLua51 is what lua5.1 (5.1.5) wrote running tracebackScript as
// tb.lua: 30 levels are cut to the first 12, "..." and the last 10 (ldblib.c
// LEVELS1 and LEVELS2), an error's traceback from xpcall's handler too.
const tracebackLua51 = `msg
stack traceback:
	tb.lua:2: in function <tb.lua:2>
	(tail call): ?
	(tail call): ?
	(tail call): ?
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	...
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:3: in function 'rec'
	tb.lua:4: in main chunk
	[C]: ?
top
stack traceback:
	tb.lua:5: in main chunk
	[C]: ?
at the end
stack traceback:
	[C]: ?
past the end
stack traceback:
tb.lua:8: boom
stack traceback:
	[C]: in function 'error'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	...
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:8: in function 'rec2'
	tb.lua:9: in function <tb.lua:9>
	[C]: in function 'xpcall'
	tb.lua:9: in main chunk
	[C]: ?`

// TestTracebackAsLua51 checks tracebacks of long stacks (netlua patch 2):
// the levels shown, the tail calls and the cut.
func TestTracebackAsLua51(t *testing.T) {
	L := NewState()
	defer L.Close()
	fn, err := L.Load(strings.NewReader(tracebackScript), "tb.lua")
	if err != nil {
		t.Fatal(err)
	}
	L.Push(fn)
	if err := L.PCall(0, 0, nil); err != nil {
		t.Fatal(err)
	}
	if got := L.GetGlobal("result").String(); got != tracebackLua51 {
		t.Errorf("got:\n%s\nlua5.1:\n%s", got, tracebackLua51)
	}
}

// debug.traceback(thread, msg) shows another coroutine's stack, dead of
// an error or suspended, as lua5.1 does, but for one line: the Go function
// that raised the error or yielded (lua5.1's "[C]: in function 'error'")
// is no longer on the coroutine's stack, so levels count from its caller.
func TestTracebackOfThread(t *testing.T) {
	L := NewState()
	defer L.Close()
	if err := L.DoString(`
		local function inner() error("boom") end
		local function mid() inner() end
		local co = coroutine.create(function() mid() end)
		coroutine.resume(co)
		local co2 = coroutine.create(function() local x = coroutine.yield(1) end)
		coroutine.resume(co2)
		result = table.concat({ debug.traceback(co, "msg"), debug.traceback(co, "m1", 1), debug.traceback(co2) }, "\n")
	`); err != nil {
		t.Fatal(err)
	}
	want := `msg
stack traceback:
	<string>:2: in function 'inner'
	<string>:3: in function 'mid'
	<string>:4: in function <<string>:4>
m1
stack traceback:
	<string>:3: in function 'mid'
	<string>:4: in function <<string>:4>
stack traceback:
	<string>:6: in function <<string>:6>`
	if got := L.GetGlobal("result").String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
