package luabind

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Exited returns the code of the last os.exit the script called, while it
// ran or in a deferred function, and whether it called one. That code is
// the script's exit status whatever else happened: an os.exit in a
// deferred function has the last word, as exit in a shell's EXIT trap does.
func (rt *Runtime) Exited() (code int, ok bool) {
	rt.runMu.Lock()
	defer rt.runMu.Unlock()
	if rt.exit == nil {
		return 0, false
	}
	return rt.exit.Code, true
}

// replaceExit makes os.exit end the run through cleanup instead of killing
// the process with namespaces and rules still in place. In a deferred
// function it ends that function, and the rest of the cleanup goes on.
// pcall does not catch it: the interrupted context stops the code that
// called pcall at its next instruction.
func (rt *Runtime) replaceExit() {
	osmod, ok := rt.L.GetGlobal("os").(*lua.LTable)
	if !ok {
		return
	}
	exit := Func{Name: "exit", Sig: "os.exit([code])", Doc: "ends the script after cleanup, with exit status code (default 0; true is 0, false 1)", Fn: func(L *lua.LState) int {
		code := exitCode(L)
		exit := &ExitError{Code: code}
		rt.runMu.Lock()
		rt.exit = exit
		rt.runMu.Unlock()
		rt.Interrupt(exit)
		L.RaiseError("exit %d", code)
		return 0
	}}
	osmod.RawSetString("exit", rt.function(exit, false))
}

// exitCode is os.exit's argument read as Lua 5.1 reads it: a number,
// truncated, or a string that reads as one; 0 when absent or nil. true and
// false are 0 and 1, as in Lua 5.2.
func exitCode(L *lua.LState) int {
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
		return 0
	case lua.LBool:
		if v {
			return 0
		}
		return 1
	case lua.LNumber:
		return cInt(float64(v))
	case lua.LString:
		if n, ok := stringNumber(string(v)); ok {
			return cInt(n)
		}
	}
	TypeError(L, 1, "number")
	return 0
}

// cInt converts n to a C int as Lua 5.1 on x86-64 does: truncated, and
// the "integer indefinite" value for what does not fit.
func cInt(n float64) int {
	if math.IsNaN(n) || n <= math.MinInt32-1 || n >= math.MaxInt32+1 {
		return math.MinInt32
	}
	return int(n)
}

// stringNumber converts s to a number as Lua 5.1's tonumber does: decimal
// or a float (strtod), or hexadecimal with 0x, with spaces around.
func stringNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if hex, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		if n, err := strconv.ParseUint(hex, 16, 64); err == nil {
			return float64(n), true
		}
	}
	if strings.Contains(s, "_") { // Go's syntax, not C's
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}
