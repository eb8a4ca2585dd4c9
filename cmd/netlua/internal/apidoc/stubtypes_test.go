package apidoc

import (
	"fmt"
	"os"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

func nop(*lua.LState) int { return 0 }

// kitModule is a test module whose functions declare their types in
// every form Types takes: LuaLS types, a registered type by its short
// name, unions, lists and inline tables.
func kitModule() *luabind.Module {
	box := &luabind.Type{Name: "kit.box", Doc: "a box", Methods: []luabind.Func{
		{Name: "stats", Sig: "box:stats() -> { sent, dropped }", Doc: "counts", Fn: nop,
			Types: luabind.Types{"sent": "integer", "dropped": "integer"}},
	}}
	return &luabind.Module{
		Name:  "kit",
		Doc:   "types in every form",
		Types: []*luabind.Type{box},
		Funcs: []luabind.Func{
			{Name: "open", Sig: "open(path [, opts]) -> box", Doc: "opens a box", Fn: nop,
				Types: luabind.Types{"path": "string", "opts": "table", "box": "box"}},
			{Name: "boxes", Sig: "boxes() -> { box, ... }", Doc: "lists the boxes", Fn: nop,
				Types: luabind.Types{"box": "kit.box"}},
			{Name: "put", Sig: "put(data, { into [, tags] [, limits] }) -> boolean", Doc: "puts data in a box", Fn: nop,
				Types: luabind.Types{"data": "string|box", "into": "box", "tags": "string[]", "limits": "{ count: integer, bytes: integer }"}},
			{Name: "route", Sig: "route{ dst, table }", Doc: "a field named like a LuaLS type", Fn: nop,
				Types: luabind.Types{"dst": "string", "table": "integer|string"}},
			{Name: "each", Sig: "each(fn)", Doc: "calls fn on every box", Fn: nop,
				Types: luabind.Types{"fn": `fun(b: kit.box, name?: string, mode: "r"|'w'): boolean`}},
		},
	}
}

// The stub of a function writes the types it declares: a registered
// type's short name resolved, the rest as given, a name that is a LuaLS
// type itself unless declared otherwise.
func TestStubsWriteDeclaredTypes(t *testing.T) {
	files, err := stubFiles([]*luabind.Module{kitModule()})
	if err != nil {
		t.Fatal(err)
	}
	stub := files[0].text
	for _, want := range []string{
		"---@param path string\n---@param opts? table\n---@return kit.box box\nfunction kit.open(path, opts) end\n",
		"---@return kit.box[]\nfunction kit.boxes() end\n",
		"---@class kit.put.opts\n---@field into kit.box\n---@field tags? string[]\n---@field limits? { count: integer, bytes: integer }\n",
		"---@param data string|kit.box\n---@param opts kit.put.opts\n---@return boolean\nfunction kit.put(data, opts) end\n",
		"---@class kit.route.opts\n---@field dst? string\n---@field table? integer|string\n",
		"---@return { sent: integer, dropped: integer }\nfunction kit_box:stats() end\n",
		"---@param fn fun(b: kit.box, name?: string, mode: \"r\"|'w'): boolean\nfunction kit.each(fn) end\n",
	} {
		if !strings.Contains(stub, want) {
			t.Errorf("the stub of kit lacks\n%s\n--- stub:\n%s", want, stub)
		}
	}
}

// A name the signature uses without a declared type stops the generator,
// which names the function and the names, and `netlua doc --stubs` writes
// nothing.
func TestStubsRefuseUndeclaredNames(t *testing.T) {
	kit := kitModule()
	kit.Types[0].Methods[0].Types = luabind.Types{"sent": "integer"}
	kit.Funcs = append(kit.Funcs, luabind.Func{Name: "close", Sig: "close(box [, why]) -> ok", Doc: "closes a box", Fn: nop,
		Types: luabind.Types{"box": "box"}})
	dir := t.TempDir()
	var stdout, stderr strings.Builder
	if status := Main([]string{"--stubs", dir}, []*luabind.Module{kit}, &stdout, &stderr); status == 0 {
		t.Fatalf("netlua doc --stubs succeeded with undeclared names:\n%s", stdout.String())
	}
	want := `netlua doc --stubs: kit.close: signature "close(box [, why]) -> ok": no type in Types for "why", "ok"` + "\n"
	if stderr.String() != want {
		t.Errorf("netlua doc --stubs said\n%s\nwant\n%s", stderr.String(), want)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("netlua doc --stubs wrote %d files (%v) before failing", len(entries), err)
	}

	kit.Funcs = kit.Funcs[:len(kit.Funcs)-1]
	_, err := stubFiles([]*luabind.Module{kit})
	if want := `kit.box:stats: signature "box:stats() -> { sent, dropped }": no type in Types for "dropped"`; err == nil || err.Error() != want {
		t.Errorf("a method with an undeclared name: error %v, want %s", err, want)
	}

	// A table's field named like a LuaLS type is a name like any other.
	kit = kitModule()
	delete(kit.Funcs[3].Types, "table")
	_, err = stubFiles([]*luabind.Module{kit})
	if want := `kit.route: signature "route{ dst, table }": no type in Types for "table"`; err == nil || err.Error() != want {
		t.Errorf("a field named table without a type: error %v, want %s", err, want)
	}
}

// A declared type naming a type neither LuaLS nor a module knows stops
// the generator: a short name is resolved only where it stands alone.
func TestStubsRefuseUnknownTypes(t *testing.T) {
	tests := []struct{ typ, unknown string }{
		{"kit.bx", "kit.bx"},
		{"string|intger", "intger"},
		{"box[]", "box"},
		{"{ n: integr }", "integr"},
		{"fun(b: kit.box): boxx", "boxx"},
	}
	for _, tt := range tests {
		kit := kitModule()
		kit.Funcs[0].Types["box"] = tt.typ
		_, err := stubFiles([]*luabind.Module{kit})
		want := fmt.Sprintf(`kit.open: "box" has the type %q in Types, in which %q is no LuaLS or registered type`, tt.typ, tt.unknown)
		if err == nil || err.Error() != want {
			t.Errorf("box typed %s: error %v, want %s", tt.typ, err, want)
		}
	}
}
