package apidoc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netlua/netlua/luabind"
)

// luaTypes are the types LuaLS knows by themselves. A parameter or result
// named as one of them (-> boolean) is its own type.
var luaTypes = map[string]bool{
	"any": true, "nil": true, "boolean": true, "number": true, "integer": true,
	"string": true, "table": true, "function": true, "userdata": true, "thread": true,
}

// undeclared lists the names s uses that need a type and have none in
// types: the generator refuses them rather than guess.
func undeclared(s *sig, types luabind.Types) []string {
	var missing []string
	for _, n := range s.names() {
		if _, ok := types[n]; !ok {
			missing = append(missing, n)
		}
	}
	return missing
}

// A typer resolves the types of one module: its fields' types and, given
// a function's declared Types, the names its signature uses.
type typer struct {
	mod   *luabind.Module
	types []string      // every registered type's name, sorted
	decl  luabind.Types // the declared types of the function being written
}

func newTyper(mod *luabind.Module, mods []*luabind.Module) typer {
	ty := typer{mod: mod}
	for _, m := range mods {
		for _, t := range m.Types {
			ty.types = append(ty.types, t.Name)
		}
	}
	sort.Strings(ty.types)
	return ty
}

// forFunc is ty typing the signature of f: it checks that every name the
// signature uses has a type, and that the types name only types LuaLS or
// netlua know.
func (ty typer) forFunc(f luabind.Func, s *sig) (typer, error) {
	if missing := undeclared(s, f.Types); len(missing) > 0 {
		return ty, fmt.Errorf("signature %q: no type in Types for %s", f.Sig, quoteAll(missing))
	}
	for _, n := range s.names() {
		t := f.Types[n]
		if u := ty.unknownType(ty.resolve(t)); u != "" {
			return ty, fmt.Errorf("%q has the type %q in Types, in which %q is no LuaLS or registered type", n, t, u)
		}
	}
	ty.decl = f.Types
	return ty, nil
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// name is the type of a value called n in the signature: its declared
// type, or n itself for a parameter or result named as a type LuaLS
// knows (forFunc has checked that these are the only two cases).
func (ty typer) name(n string) string {
	if t, ok := ty.decl[n]; ok {
		return ty.resolve(t)
	}
	return n
}

// field is the type of a documented Field: its Type ("integer",
// "number|string", "layer", "lab.host") resolved.
func (ty typer) field(f luabind.Field) string {
	return ty.resolve(f.Type)
}

// resolve is a type as a Field or a Func's Types writes it, each part of
// a union that names a registered type by its last element ("layer",
// "socket") given the full name: a type of this module first, then one of
// any module. Other parts (string, string[], { n: integer }) are as given.
func (ty typer) resolve(t string) string {
	parts := splitUnion(t)
	for i, p := range parts {
		parts[i] = ty.registeredName(strings.TrimSpace(p))
	}
	return strings.Join(parts, "|")
}

func (ty typer) registeredName(p string) string {
	if _, ok := ty.registered(p); ok || luaTypes[p] {
		return p
	}
	if t, ok := ty.registered(ty.mod.Name + "." + p); ok {
		return t
	}
	for _, t := range ty.types {
		if strings.HasSuffix(t, "."+p) {
			return t
		}
	}
	return p
}

// lualsWords are the words of LuaLS's type syntax that are no types:
// fun(x: integer): string.
var lualsWords = map[string]bool{"fun": true, "unknown": true, "lightuserdata": true, "true": true, "false": true}

// unknownType is the first name in the type t that is neither a LuaLS
// type nor a registered one, or "" when there is none. The keys of inline
// tables and the parameters of fun types (a name before : or ?:) and
// string literals are no types.
func (ty typer) unknownType(t string) string {
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case c == '"' || c == '\'':
			end := strings.IndexByte(t[i+1:], c)
			if end < 0 {
				return t[i:]
			}
			i += end + 2
		case isNameByte(c, false):
			n := spanOf(t[i:], func(b byte) bool { return isNameByte(b, true) || b == '.' })
			name := t[i : i+n]
			i += n
			if strings.HasPrefix(strings.TrimLeft(t[i:], " ?"), ":") || lualsWords[name] || luaTypes[name] {
				continue
			}
			if _, ok := ty.registered(name); !ok {
				return name
			}
		default:
			i++
		}
	}
	return ""
}

func (ty typer) registered(name string) (string, bool) {
	i := sort.SearchStrings(ty.types, name)
	return name, i < len(ty.types) && ty.types[i] == name
}

// alts is the union of an entry's alternatives. Tables become a list type,
// table<string, any>, or, for named fields, what shape gives (a class or
// an inline table type).
func (ty typer) alts(e entry, shapeType func(*shape) string) string {
	var parts []string
	for _, a := range e.alts {
		parts = append(parts, ty.alt(a, shapeType))
	}
	return union(parts)
}

func (ty typer) alt(a alt, shapeType func(*shape) string) string {
	switch a.kind {
	case altName:
		return ty.name(a.text)
	case altString:
		return `"` + strings.Trim(a.text, `"'`) + `"`
	case altNumber:
		return "number"
	case altNil:
		return "nil"
	case altVararg:
		return "any"
	}
	switch t := a.table; {
	case t.list:
		elem := ty.alts(t.entries[0], func(*shape) string { return "table" })
		if strings.Contains(elem, "|") {
			elem = "(" + elem + ")"
		}
		return elem + "[]"
	case t.isMap():
		return "table<string, any>"
	}
	return shapeType(a.table)
}

// union joins types with |, each once, in order.
func union(parts []string) string {
	seen := map[string]bool{}
	var out []string
	for _, p := range parts {
		for _, q := range splitUnion(p) {
			if !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	return strings.Join(out, "|")
}

// resultShape is the inline type of a returned table of named values, such
// as { received, dropped }.
func (ty typer) resultShape(s *shape) string {
	var fields []string
	for _, e := range s.entries {
		for _, a := range e.alts {
			if a.kind == altName {
				fields = append(fields, a.text+": "+ty.name(a.text))
			}
		}
	}
	return "{ " + strings.Join(fields, ", ") + " }"
}

// splitUnion splits a type at the | that are outside parentheses and braces.
func splitUnion(t string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range t {
		switch c {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case '|':
			if depth == 0 {
				parts = append(parts, t[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, t[start:])
}
