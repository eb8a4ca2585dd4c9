package repl

import (
	"regexp"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/cmd/netlua/internal/apidoc"
	"github.com/netlua/netlua/luabind"
)

// requireArg matches a module name being typed as require's argument.
var requireArg = regexp.MustCompile(`require\s*\(?\s*["']([\w.]*)$`)

// pathBefore matches the name path before the cursor: t.a.b, s:m, name.
var pathBefore = regexp.MustCompile(`(?:[A-Za-z_]\w*\.)*(?:[A-Za-z_]\w*[.:])?\w*$`)

// complete is the prompt's completer: module names in require's argument;
// globals, keywords and module names for a plain name; for t.x and t:x,
// the fields and methods of the live value t, and, for a netlua object,
// those its type registers.
func (s *session) complete(line string, pos int) (start int, cands []string) {
	before := line[:pos]
	if m := requireArg.FindStringSubmatchIndex(before); m != nil {
		return m[2], withPrefix(moduleNameList(s.rt.Modules()), before[m[2]:])
	}
	start = pathBefore.FindStringIndex(before)[0]
	word := before[start:]
	sep := strings.LastIndexAny(word, ".:")
	if sep < 0 {
		names := append(s.globalNames(), moduleNameList(s.rt.Modules())...)
		return start, withPrefix(append(names, apidoc.Keywords()...), word)
	}
	keys := s.keysOf(word[:sep], word[sep] == ':')
	for i, k := range keys {
		keys[i] = word[:sep+1] + k
	}
	return start, withPrefix(keys, word)
}

// withPrefix keeps the names that start with prefix, sorted, each once.
func withPrefix(names []string, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// moduleNameList lists the names of mods.
func moduleNameList(mods *luabind.Set) []string {
	var names []string
	for _, m := range mods.Modules() {
		if m.Name != "" {
			names = append(names, m.Name)
		}
	}
	return names
}

// globalNames are the names of the globals.
func (s *session) globalNames() []string {
	return identKeys(s.rt.L.G.Global, false)
}

// identKeys lists the keys of t that are names, only those holding a
// function when methods is set.
func identKeys(t *lua.LTable, methods bool) []string {
	var keys []string
	t.ForEach(func(k, v lua.LValue) {
		ks, ok := k.(lua.LString)
		if ok && apidoc.IsIdent(string(ks)) && (!methods || v.Type() == lua.LTFunction) {
			keys = append(keys, string(ks))
		}
	})
	return keys
}

// keysOf lists the fields (or only the methods) of the value the path
// names. Reading the path may call __index functions: a Lua error there
// means no completions.
func (s *session) keysOf(path string, methods bool) []string {
	L := s.rt.L
	var keys []string
	protect(L, func() lua.LValue {
		v := lua.LValue(L.G.Global)
		for _, name := range strings.Split(path, ".") {
			v = L.GetField(v, name)
		}
		keys = s.valueKeys(v, methods)
		return lua.LNil
	})
	return keys
}

// valueKeys lists what v offers after . or :, following __index tables.
func (s *session) valueKeys(v lua.LValue, methods bool) []string {
	L := s.rt.L
	var keys []string
	if v.Type() == lua.LTString {
		v = L.GetGlobal("string") // s:upper() and the other string methods
		methods = true
	}
	for depth := 0; depth < 8 && v != lua.LNil; depth++ {
		switch t := v.(type) {
		case *lua.LTable:
			keys = append(keys, identKeys(t, methods)...)
		case *lua.LUserData:
			keys = append(keys, registeredKeys(s.rt.Modules(), t, methods)...)
		}
		index := L.GetMetaField(v, "__index")
		if index.Type() != lua.LTTable {
			break
		}
		v = index
	}
	return keys
}

// registeredKeys lists the methods and fields that the registry documents
// for the type of a netlua object, and the fields the object itself lists
// (a parsed frame's layers, a layer's fields).
func registeredKeys(mods *luabind.Set, ud *lua.LUserData, methods bool) []string {
	_, t := registeredType(mods, ud)
	if t == nil {
		return nil
	}
	var keys []string
	for _, f := range t.Methods {
		keys = append(keys, f.Name)
	}
	if methods {
		return keys
	}
	for _, f := range t.Fields {
		if apidoc.IsIdent(f.Name) {
			keys = append(keys, f.Name)
		}
	}
	if t.Keys != nil {
		keys = append(keys, t.Keys(ud.Value)...)
	}
	return keys
}

// registeredType finds the module of mods of a netlua object by its
// metatable's name ("frame.packet"), and its type in that module, if any.
func registeredType(mods *luabind.Set, ud *lua.LUserData) (*luabind.Module, *luabind.Type) {
	mt, _ := ud.Metatable.(*lua.LTable)
	if mt == nil {
		return nil, nil
	}
	typeName := lua.LVAsString(mt.RawGetString("__metatable"))
	modName, _, _ := strings.Cut(typeName, ".")
	m, ok := mods.Lookup(modName)
	if !ok {
		return nil, nil
	}
	for _, t := range m.Types {
		if t.Name == typeName {
			return m, t
		}
	}
	return m, nil
}
