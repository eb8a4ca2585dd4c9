package luabind

import (
	"fmt"
	"sort"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// A Func is one Go function exposed to Lua.
type Func struct {
	Name string         // name in Lua: "open"
	Sig  string         // signature as users read it: "open(ifname [, opts]) -> socket"
	Doc  string         // one line
	Fn   lua.LGFunction // the implementation
}

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

// A Module is a Lua module as its Go package registers it.
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
}

// registry holds every registered module by name. It is the one piece of
// global mutable state netlua has, written only from init functions.
var registry = struct {
	sync.Mutex
	mods map[string]*Module
}{mods: map[string]*Module{}}

// Register adds a module to the registry. Registering the same name twice,
// or a function without a signature or doc, is a programming error and
// panics at init time so that it can never ship.
func Register(m *Module) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.mods[m.Name]; dup {
		panic(fmt.Sprintf("luabind: module %q registered twice", m.Name))
	}
	for _, f := range m.allFuncs() {
		if f.Name == "" || f.Sig == "" || f.Doc == "" || (f.Fn == nil) == (m.Lua == "") {
			panic(fmt.Sprintf("luabind: %s.%s: a function needs a name, signature, doc and implementation", m.Name, f.Name))
		}
	}
	registry.mods[m.Name] = m
}

// Modules returns the registered modules sorted by name.
func Modules() []*Module {
	registry.Lock()
	defer registry.Unlock()
	mods := make([]*Module, 0, len(registry.mods))
	for _, m := range registry.mods {
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Name < mods[j].Name })
	return mods
}

// Lookup returns the module registered under name.
func Lookup(name string) (*Module, bool) {
	registry.Lock()
	defer registry.Unlock()
	m, ok := registry.mods[name]
	return m, ok
}

// allFuncs lists every function of the module, methods included.
func (m *Module) allFuncs() []Func {
	fs := append(append([]Func{}, m.Funcs...), m.Globals...)
	for _, t := range m.Types {
		fs = append(fs, t.Methods...)
	}
	return fs
}
