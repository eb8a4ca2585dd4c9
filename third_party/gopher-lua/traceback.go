package lua

import (
	"fmt"
	"strings"
)

// netlua patch (PATCHES.md): tracebacks, error positions and debug.getinfo
// as Lua 5.1 gives them (ldblib.c db_errorfb, lauxlib.c luaL_where,
// ldebug.c lua_getinfo).

// How many levels a traceback shows before and after the "..." that stands
// for the levels in between (ldblib.c LEVELS1, LEVELS2).
const (
	levels1 = 12
	levels2 = 10
	// errorLevels1 is how many levels an error's traceback shows before
	// the "...": the standalone lua shows debug.traceback(msg, 2) from its
	// message handler, that is levels1 minus the two levels it skips.
	errorLevels1 = levels1 - 2
)

// traceback is "stack traceback:" and a line per level from level up, the
// first `first` levels and the last levels2 when there are too many.
func (ls *LState) traceback(level, first int) string {
	frames := ls.levelFrames()
	var lines []string
	for _, cf := range frames[min(level, len(frames)):] {
		lines = append(lines, "\t"+ls.tracebackLine(cf))
	}
	// the level below the last is the Go code that called the Lua code, as
	// the standalone lua's C function that calls the main chunk
	if level <= len(frames) {
		lines = append(lines, "\t[C]: ?")
	}
	if first < 0 {
		first = 0
	}
	if len(lines) >= first+levels2+2 {
		lines = append(append(lines[:first:first], "\t..."), lines[len(lines)-levels2:]...)
	}
	return "stack traceback:\n" + strings.Join(lines, "\n")
}

// levelFrames is the frame of every level of the stack, from level 0, as
// GetStack numbers them: nil for a call lost to a tail call. One walk, where
// GetStack walks from the top for each level (a traceback of 20,000 calls
// took a second).
func (ls *LState) levelFrames() []*callFrame {
	var frames []*callFrame
	for cf := ls.currentFrame; cf != nil; cf = cf.Parent {
		frames = append(frames, cf)
		if !cf.Fn.IsG {
			for i := 0; i < cf.TailCall; i++ {
				frames = append(frames, nil)
			}
		}
	}
	return frames
}

// tracebackLine is a traceback's line for one level, the frame running
// there (nil for a call lost to a tail call): where it is and what runs
// there.
func (ls *LState) tracebackLine(cf *callFrame) string {
	switch {
	case cf == nil:
		return "(tail call): ?"
	case cf.Fn.IsG:
		if _, name := funcName(cf); name != "" {
			return fmt.Sprintf("[C]: in function '%s'", name)
		}
		return "[C]: ?"
	}
	p := cf.Fn.Proto
	where := p.SourceName + ":"
	if cf.Pc > 0 {
		where += fmt.Sprintf("%d:", p.DbgSourcePositions[cf.Pc-1])
	}
	if _, name := funcName(cf); name != "" {
		return fmt.Sprintf("%s in function '%s'", where, name)
	}
	if funcWhat(cf.Fn) == "main" {
		return where + " in main chunk"
	}
	return fmt.Sprintf("%s in function <%s:%d>", where, p.SourceName, p.LineDefined)
}

// whereLevel is "source:line: " of the function at level, or "" when it
// is not Lua code or was lost to a tail call (luaL_where).
func (ls *LState) whereLevel(level int) string {
	dbg, ok := ls.GetStack(level)
	if !ok || dbg.frame == nil || dbg.frame.Fn.IsG || dbg.frame.Pc < 1 {
		return ""
	}
	p := dbg.frame.Fn.Proto
	return fmt.Sprintf("%s:%d: ", p.SourceName, p.DbgSourcePositions[dbg.frame.Pc-1])
}

// funcWhat is what kind of function fn is: "C" (Go), "main" (a chunk) or
// "Lua".
func funcWhat(fn *LFunction) string {
	switch {
	case fn.IsG:
		return "C"
	case fn.Proto.LineDefined == 0:
		return "main"
	}
	return "Lua"
}

// tailCallInfo fills dbg for a level lost to a tail call, which has no
// function: only what it is.
func tailCallInfo(what string, dbg *Debug) (LValue, error) {
	for _, c := range what {
		switch c {
		case 'S':
			dbg.What, dbg.Source = "tail", "=(tail call)"
			dbg.LineDefined, dbg.LastLineDefined = -1, -1
		case 'l':
			dbg.CurrentLine = -1
		case 'n':
			dbg.Name = ""
		case 'f', 'u':
		default:
			return LNil, newApiErrorS(ApiErrorRun, "invalid what: "+string(c))
		}
	}
	return LNil, nil
}
