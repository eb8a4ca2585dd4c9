package luabind

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// A Func is one Go function exposed to Lua, declared once with everything
// the docs and the editor stubs say of it.
type Func struct {
	Name string         // name in Lua: "open"
	Sig  string         // signature as users read it: "open(ifname [, opts]) -> socket"
	Doc  string         // one line
	Fn   lua.LGFunction // the implementation
	// Types gives the LuaLS type of every name Sig uses: parameters,
	// results and the names in the tables Sig writes ("ifname": "string",
	// "socket": "packet.socket"). A name that is a LuaLS type itself
	// (-> boolean) needs none. A type is written as LuaLS reads it: a
	// union, a list ("string[]"), an inline table ("{ n: integer }") or a
	// registered type. The editor stubs read them; a name without a type
	// is an error there, never a silent any.
	Types Types
}

// Types maps the names a signature uses to their LuaLS types.
type Types map[string]string

// A Field documents a value reachable by name: a module constant or a field
// of an object (s.ifname).
type Field struct {
	Name string
	Type string // Lua type as users see it: "string", "integer", "table"
	Doc  string
}

// A Type is a userdata type with methods, such as a socket or a timer handle.
type Type struct {
	Name    string  // unique metatable name: "loop.timer"
	Doc     string  // one line
	Methods []Func  // called with the object as self: h:cancel()
	Fields  []Field // fields served by Get
	// Get returns the field key of the object v, or nil for no such field.
	Get func(L *lua.LState, v any, key string) lua.LValue
	// Set, if set, makes the fields writable: it sets the field key of
	// the object v to val (a layer's l.ttl = 3).
	Set func(L *lua.LState, v any, key string, val lua.LValue)
	// Keys, if set, lists the fields the object v has beyond those Fields
	// names, for the prompt's completion: a parsed frame's layers, a
	// layer's fields.
	Keys func(v any) []string
}

// A Module is a Lua module as its Go package describes it; a runtime is
// built from the modules it is given (see New and NewSet). Each module
// package has a constructor returning a fresh one.
type Module struct {
	Name    string  // the name given to require
	Doc     string  // one line
	Funcs   []Func  // module functions: module.name(...)
	Globals []Func  // functions also installed as globals in every state
	Fields  []Field // documented module fields, set by Open
	Types   []*Type // userdata types the module returns
	// Open, if set, completes the module table after the functions are in it
	// (constants, submodule tables). It runs on the Lua thread.
	Open func(L *lua.LState, mod *lua.LTable)
	// Lua is the source of a module written in Lua (see stdlib/): a chunk
	// returning the module table. Its Funcs document it and have no Fn.
	Lua string

	// compile holds Lua compiled, once, for every runtime given this
	// Module; see compiled.
	compile struct {
		sync.Once
		proto *lua.FunctionProto
	}
}

// A Set is the modules a runtime is built from, by name. It is read-only
// once made, so runtimes on many goroutines may share its modules.
type Set struct {
	byName map[string]*Module
	sorted []*Module
}

// NewSet makes the set of mods. Two modules of one name, or a function
// without a name, signature, doc or implementation, is a programming error:
// NewSet panics, so that the first test or start fails and it never ships.
func NewSet(mods ...*Module) *Set {
	s := &Set{byName: make(map[string]*Module, len(mods)), sorted: make([]*Module, 0, len(mods))}
	for _, m := range mods {
		if _, dup := s.byName[m.Name]; dup {
			panic(fmt.Sprintf("luabind: module %q given twice", m.Name))
		}
		m.checkFuncs(m.Funcs)
		m.checkFuncs(m.Globals)
		for _, t := range m.Types {
			m.checkFuncs(t.Methods)
		}
		s.byName[m.Name] = m
		s.sorted = append(s.sorted, m)
	}
	sort.Slice(s.sorted, func(i, j int) bool { return s.sorted[i].Name < s.sorted[j].Name })
	return s
}

// Modules returns the modules of the set sorted by name.
func (s *Set) Modules() []*Module { return append([]*Module(nil), s.sorted...) }

// Lookup returns the module of the set named name.
func (s *Set) Lookup(name string) (*Module, bool) {
	m, ok := s.byName[name]
	return m, ok
}

// compiled returns the compiled chunk of a module written in Lua, or nil
// if it does not compile (require then reports why). It compiles once per
// Module value: parsing the stdlib again in every state was most of the
// cost of a test in netlua test, and gopher-lua lets states share a chunk.
func (m *Module) compiled() *lua.FunctionProto {
	m.compile.Do(func() {
		name := m.chunkName()
		chunk, err := parse.Parse(strings.NewReader(m.Lua), name)
		if err != nil {
			return
		}
		if proto, err := lua.Compile(chunk, name); err == nil {
			m.compile.proto = proto
		}
	})
	return m.compile.proto
}

// chunkName is the name a module written in Lua has in error messages.
func (m *Module) chunkName() string { return "stdlib/" + m.Name + ".lua" }

// checkFuncs panics unless each of fs has a name, signature, doc and, in
// a module written in Go, an implementation (a module written in Lua has
// none). It runs for every runtime made, so it allocates nothing.
func (m *Module) checkFuncs(fs []Func) {
	for _, f := range fs {
		if f.Name == "" || f.Sig == "" || f.Doc == "" || (f.Fn == nil) == (m.Lua == "") {
			panic(fmt.Sprintf("luabind: %s.%s: a function needs a name, signature, doc and implementation", m.Name, f.Name))
		}
	}
}
