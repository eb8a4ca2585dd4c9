package apidoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// toyModule is a module no file of netlua knows: a runtime made with it
// can require it, and the doc and stub generators document it, with no
// other file touched.
func toyModule() *luabind.Module {
	return &luabind.Module{
		Name: "toy",
		Doc:  "a module added by a test alone",
		Funcs: []luabind.Func{
			{Name: "greet", Sig: "greet(name) -> greeting", Doc: "says hello to name", Types: luabind.Types{"name": "string", "greeting": "string"}, Fn: func(L *lua.LState) int {
				L.Push(lua.LString("hello, " + luabind.CheckString(L, 1)))
				return 1
			}},
		},
	}
}

func TestToyModuleIsRequiredAndDocumented(t *testing.T) {
	out := testlab.MustLua(t, `print(require("toy").greet("lab"))`, toyModule())
	if out != "hello, lab\n" {
		t.Errorf("toy.greet printed %q, want %q", out, "hello, lab\n")
	}
	// A runtime made without it does not have it: nothing is registered
	// anywhere else.
	if _, err := testlab.RunLua(t, `require "toy"`, modules.All()...); err == nil || !strings.Contains(err.Error(), "module toy not found") {
		t.Errorf("require of a module the runtime was not given: %v, want module toy not found", err)
	}

	// netlua doc, given the binary's modules and the toy, documents it.
	mods := append(modules.All(), toyModule())
	var doc, stderr strings.Builder
	if status := Main([]string{"toy"}, mods, &doc, &stderr); status != 0 {
		t.Fatalf("netlua doc toy: exit %d: %s", status, stderr.String())
	}
	for _, want := range []string{"toy — a module added by a test alone", `local toy = require "toy"`, "toy.greet(name) -> greeting\n        says hello to name"} {
		if !strings.Contains(doc.String(), want) {
			t.Errorf("netlua doc toy lacks %q:\n%s", want, doc.String())
		}
	}
	// Its stub carries the types it declares. (The stubs of the toy alone:
	// whether the other modules declare theirs is not this test's concern.)
	dir := t.TempDir()
	if status := Main([]string{"--stubs", dir}, []*luabind.Module{toyModule()}, &doc, &stderr); status != 0 {
		t.Fatalf("netlua doc --stubs: exit %d: %s", status, stderr.String())
	}
	stub, err := os.ReadFile(filepath.Join(dir, "toy.lua"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"---@meta toy\n", "---says hello to name\n",
		"---`greet(name) -> greeting`\n---@param name string\n---@return string greeting\nfunction toy.greet(name) end\n"} {
		if !strings.Contains(string(stub), want) {
			t.Errorf("the stub of toy lacks %q:\n%s", want, stub)
		}
	}
}
