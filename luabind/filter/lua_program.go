package filter

import (
	"fmt"
	"math"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// filter.program: its type, its fields and its methods (see lua.go for the
// module and filter.compile, which makes a program).

func init() {
	programType.Methods = []luabind.Func{
		{Name: "match", Sig: "program:match(bytes [, len | info]) -> boolean", Fn: programMatch,
			Types: luabind.Types{"bytes": "string", "len": "integer", "info": "table"},
			Doc:   "runs the program on an Ethernet frame in a BPF interpreter: true if the filter takes it; len (or a pcap.read or recv info table's len) is the frame's original length, which len, less and greater test, as tcpdump -r does on a capture cut by its snaplen"},
		{Name: "dump", Sig: "program:dump() -> string", Fn: programDump,
			Doc: "the classic BPF instructions, one a line, as tcpdump -d prints them"},
		{Name: "explain", Sig: "program:explain() -> string", Fn: programExplain,
			Doc: "what the program matches, in words: an outline of all of / any of / not"},
	}
}

var programType = &luabind.Type{
	Name: "filter.program",
	Doc:  "a compiled filter expression",
	Fields: []luabind.Field{
		{Name: "expr", Type: "string", Doc: "the expression it was compiled from"},
		{Name: "length", Type: "integer", Doc: "the number of BPF instructions (the kernel takes up to 4096)"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		p := v.(*Program)
		switch key {
		case "expr":
			return lua.LString(p.expr)
		case "length":
			return lua.LNumber(len(p.raw))
		}
		return lua.LNil
	},
}

func check(L *lua.LState) *Program {
	return luabind.CheckObject[*Program](L, 1, programType)
}

func programMatch(L *lua.LState) int {
	p := check(L)
	frame := luabind.CheckString(L, 2)
	length := checkLength(L, len(frame))
	// The interpreter only reads the frame, so it may see the string's
	// bytes without a copy.
	L.Push(lua.LBool(p.MatchLen(unsafe.Slice(unsafe.StringData(frame), len(frame)), length)))
	return 1
}

// checkLength reads match's argument 3: the frame's original length, a
// number or the len of an info table (pcap.read's, a socket's recv),
// n (the bytes given) when absent.
func checkLength(L *lua.LState, n int) int {
	length := n
	switch v := L.Get(3).(type) {
	case *lua.LNilType:
	case lua.LNumber:
		length = luabind.CheckInt(L, 3)
	case *lua.LTable:
		if l, ok := v.RawGetString("len").(lua.LNumber); ok {
			length = int(l)
		}
	default:
		luabind.TypeError(L, 3, "number or table")
	}
	if length < n {
		luabind.ArgError(L, 3, fmt.Sprintf("the original length %d is less than the %d bytes given", length, n))
	}
	if length > math.MaxUint32 {
		luabind.ArgError(L, 3, fmt.Sprintf("the original length %d is more than 32 bits hold", length))
	}
	return length
}

func programDump(L *lua.LState) int {
	L.Push(lua.LString(check(L).Dump()))
	return 1
}

func programExplain(L *lua.LState) int {
	L.Push(lua.LString(check(L).Explain()))
	return 1
}
