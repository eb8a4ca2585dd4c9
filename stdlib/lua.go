// Package stdlib holds netlua's modules written in Lua: convenience that
// composes the Go primitives (pretty printers, the test harness).
// Each file NAME.lua is the module NAME, embedded in the binary and
// described here with the documentation of its functions; Modules returns
// them for a runtime to be built with.
package stdlib

import (
	"embed"
	"maps"

	"github.com/netlua/netlua/luabind"
)

//go:embed *.lua
var files embed.FS

// source returns the embedded text of NAME.lua.
func source(name string) string {
	b, err := files.ReadFile(name + ".lua")
	if err != nil {
		panic("stdlib: " + err.Error()) // a missing embedded file is a build mistake
	}
	return string(b)
}

// Modules returns the modules written in Lua, fresh values for a runtime
// to be built with (see luabind.New). A runtime compiles each the first
// time it is required, and runtimes made with the same values share that.
// test uses loop's clock (now) and frame (t:expect): a runtime with test
// needs those too.
func Modules() []*luabind.Module {
	return []*luabind.Module{ppModule(), testModule(), respondModule(), scanModule(), tcptestModule()}
}

// ppModule returns the module "pp", a fresh value.
func ppModule() *luabind.Module {
	return &luabind.Module{
		Name: "pp",
		Doc:  "pretty printing of Lua values: nested tables, sorted keys, binary strings escaped",
		Lua:  source("pp"),
		Funcs: []luabind.Func{
			{Name: "format", Sig: "format(value [, opts]) -> string",
				Types: luabind.Types{"value": "any", "opts": "{ indent?: integer, depth?: integer }"},
				Doc:   "renders value as Lua-like text; opts.indent: spaces a level, 0 to 64 (default 2); opts.depth: levels shown, >= 0 (default 8)"},
			{Name: "print", Sig: "print(...)", Doc: "prints each value rendered by format"},
		},
	}
}

// testModule returns the module "test", the harness of `netlua test`
// (test.lua); the runner itself, which gives each test a fresh runtime, is
// cmd/netlua/internal/testrun.
func testModule() *luabind.Module {
	return &luabind.Module{
		Name: "test",
		Doc:  "protocol tests: test(name, fn) in *_test.lua files, run with netlua test [PATH...]",
		Lua:  source("test"),
		Globals: []luabind.Func{
			{Name: "test", Sig: "test(name, fn)",
				Types: luabind.Types{"name": "string", "fn": "fun(t: test.t)"},
				Doc:   "defines a test: netlua test calls fn(t) in a fresh Lua state, after the file's top level, and undoes what it created when it ends"},
		},
		Funcs: []luabind.Func{
			{Name: "new", Sig: "new(name) -> t", Types: luabind.Types{"name": "string", "t": "test.t"},
				Doc: "a fresh test object, as netlua test passes to each test's function"},
		},
		Fields: []luabind.Field{
			{Name: "tests", Type: "table", Doc: "the tests defined in this state, in order: { name, fn, where = \"file:line\" }"},
		},
		Types: []*luabind.Type{testType},
	}
}

// merged is a new Types with the entries of base and of more (more's win):
// a module's shared parameter types and one function's own.
func merged(base, more luabind.Types) luabind.Types {
	t := maps.Clone(base)
	maps.Copy(t, more)
	return t
}
