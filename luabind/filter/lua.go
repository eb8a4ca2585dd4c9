package filter

import (
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua module "filter": the thin binding of Compile and Program.

func init() {
	programType.Methods = []luabind.Func{
		{Name: "match", Sig: "program:match(bytes) -> boolean", Fn: match,
			Doc: "runs the program on an Ethernet frame in a BPF interpreter: true if the filter takes it"},
		{Name: "dump", Sig: "program:dump() -> string", Fn: dumpProgram,
			Doc: "the classic BPF instructions, one a line, as tcpdump -d prints them"},
		{Name: "explain", Sig: "program:explain() -> string", Fn: explain,
			Doc: "what the program matches, in words: an outline of all of / any of / not"},
	}
	luabind.Register(&luabind.Module{
		Name: "filter",
		Doc:  "tcpdump filter expressions (pcap-filter(7)) compiled in Go to classic BPF",
		Funcs: []luabind.Func{
			{Name: "compile", Sig: "compile(expr [, { linktype = \"ether\" }]) -> program", Fn: compile,
				Doc: "compiles a tcpdump expression for Ethernet frames; an error names the column, and what tcpdump accepts but netlua cannot is named as not supported"},
		},
		Types: []*luabind.Type{programType},
	})
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
	// The interpreter only reads the frame, so it may see the string's
	// bytes without a copy.
	L.Push(lua.LBool(p.Match(unsafe.Slice(unsafe.StringData(frame), len(frame)))))
	return 1
}

func dumpProgram(L *lua.LState) int {
	L.Push(lua.LString(check(L).Dump()))
	return 1
}

func explain(L *lua.LState) int {
	L.Push(lua.LString(check(L).Explain()))
	return 1
}
