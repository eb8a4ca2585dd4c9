package luabind_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestCloseRunsDeferredThenLedger(t *testing.T) {
	rt := luabind.New(luaModules()...)
	var out strings.Builder
	rt.Stdout = &out
	rt.Ledger.Add("kernel object", func() error { out.WriteString("ledger\n"); return nil })
	chunk, err := rt.Load(strings.NewReader(`require('loop').defer(function() print('deferred') end) error('stop here')`), "t.lua")
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Run(chunk); err == nil || !strings.Contains(luabind.Report(err), "t.lua:1: stop here") {
		t.Fatalf("Run: %v", err)
	}
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	rt.Close()
	if out.String() != "deferred\nledger\n" {
		t.Errorf("got %q, want the deferred function then the ledger, once", out.String())
	}
}

func TestSyntaxErrorNamesFileAndLine(t *testing.T) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	_, err := rt.Load(strings.NewReader("#!/usr/bin/env netlua\nlocal x = 1\nif x then\n"), "s.lua")
	if err == nil || err.Error() != "s.lua:4: 'end' expected (to close 'if' at line 3) near '<eof>'" {
		t.Errorf("got %v", err)
	}
	_, err = rt.Load(strings.NewReader("\n\nlocal = 2"), "s.lua")
	if err == nil || err.Error() != "s.lua:3: '<name>' expected near '='" {
		t.Errorf("got %v", err)
	}
}

func TestModulesLoadLazily(t *testing.T) {
	out := testlab.MustLua(t, `print(package.loaded.loop == nil, type(require('loop').after), package.loaded.loop ~= nil)`, luaModules()...)
	if out != "true\tfunction\ttrue\n" {
		t.Errorf("got %q", out)
	}
}

func TestRegistryIsComplete(t *testing.T) {
	// This package's modules and those packet uses: what importing packet
	// registered when modules registered themselves.
	mods := append(luaModules(), filter.Module(), frame.Module(), lab.Module(), pcap.Module())
	for _, m := range mods {
		if m.Doc == "" {
			t.Errorf("module %s has no doc", m.Name)
		}
		for _, typ := range m.Types {
			if typ.Doc == "" {
				t.Errorf("type %s has no doc", typ.Name)
			}
			for _, f := range typ.Fields {
				if f.Doc == "" || f.Type == "" {
					t.Errorf("field %s.%s has no doc or type", typ.Name, f.Name)
				}
			}
		}
	}
}

// print and io.write both go to rt.Stdout, in order, so captured output
// (netlua test, embedders) is whole.
func TestPrintAndWriteGoToStdout(t *testing.T) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	var out strings.Builder
	rt.Stdout = &out
	chunk, err := rt.Load(strings.NewReader(`io.write("a", 1); print("b"); io.write("c"); print(io.write() == io.stdout)`), "w.lua")
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Run(chunk); err != nil {
		t.Fatal(err)
	}
	if out.String() != "a1b\nctrue\n" {
		t.Errorf("got %q", out.String())
	}
}

// io.write writes to the default output file, as Lua's does: after
// io.output(file), to that file; after io.output(io.stdout), to rt.Stdout
// again.
func TestWriteFollowsIOOutput(t *testing.T) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	var out strings.Builder
	rt.Stdout = &out
	path := filepath.Join(t.TempDir(), "out.txt")
	rt.L.SetGlobal("path", lua.LString(path))
	chunk, err := rt.Load(strings.NewReader(`io.write("a")
local f = io.output(path)
print(io.write("to file ", 1) == f)
io.output(io.stdout)
f:close()
io.write("b")`), "w.lua")
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Run(chunk); err != nil {
		t.Fatal(err)
	}
	if out.String() != "atrue\nb" {
		t.Errorf("standard output %q, want %q", out.String(), "atrue\nb")
	}
	if b, err := os.ReadFile(path); string(b) != "to file 1" {
		t.Errorf("the file holds %q (%v), want %q", b, err, "to file 1")
	}
}
