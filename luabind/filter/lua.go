package filter

import (
	"fmt"
	"math"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua module "filter": the thin binding of Compile and Program.

func init() {
	programType.Methods = []luabind.Func{
		{Name: "match", Sig: "program:match(bytes [, len | info]) -> boolean", Fn: match,
			Types: luabind.Types{"bytes": "string", "len": "integer", "info": "table"},
			Doc:   "runs the program on an Ethernet frame in a BPF interpreter: true if the filter takes it; len (or a pcap.read or recv info table's len) is the frame's original length, which len, less and greater test, as tcpdump -r does on a capture cut by its snaplen"},
		{Name: "dump", Sig: "program:dump() -> string", Fn: dumpProgram,
			Doc: "the classic BPF instructions, one a line, as tcpdump -d prints them"},
		{Name: "explain", Sig: "program:explain() -> string", Fn: explain,
			Doc: "what the program matches, in words: an outline of all of / any of / not"},
	}
}

// Module returns the Lua module "filter", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "filter",
		Doc:  "tcpdump filter expressions (pcap-filter(7)) compiled in Go to classic BPF",
		Funcs: []luabind.Func{
			{Name: "compile", Sig: "compile(expr [, { linktype = \"ether\" }]) -> program", Fn: compile,
				Types: luabind.Types{"expr": "string", "linktype": "string", "program": "filter.program"},
				Doc:   "compiles a tcpdump expression for Ethernet frames; an error names the column, and what tcpdump accepts but netlua cannot is named as not supported"},
		},
		Types: []*luabind.Type{programType},
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

func compile(L *lua.LState) int {
	expr := luabind.CheckString(L, 1)
	o := luabind.CheckOptions(L, 2, "linktype")
	if lt := o.String("linktype", "ether"); lt != "ether" && lt != "ethernet" {
		o.Error("linktype", "is \""+lt+"\": only \"ether\" is supported")
	}
	p, err := Compile(expr)
	if err != nil {
		luabind.Raise(L, err)
	}
	L.Push(luabind.NewObject(L, programType, p))
	return 1
}

func check(L *lua.LState) *Program {
	return luabind.CheckObject[*Program](L, 1, programType)
}

func match(L *lua.LState) int {
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

func dumpProgram(L *lua.LState) int {
	L.Push(lua.LString(check(L).Dump()))
	return 1
}

func explain(L *lua.LState) int {
	L.Push(lua.LString(check(L).Explain()))
	return 1
}
