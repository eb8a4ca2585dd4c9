package apidoc

import (
	"sort"
	"strings"

	"github.com/netlua/netlua/luabind"
)

// nameTypes gives the LuaLS type of the names signatures use for plain
// values. A name that names a registered type (socket, layer) is that type
// instead; see typer.name.
var nameTypes = map[string]string{
	"bytes": "string", "text": "string", "string": "string", "expr": "string",
	"expression": "string", "ifname": "string", "file": "string", "name": "string",
	"cidr": "string", "addr": "string", "address": "string", "dst": "string",
	"src": "string", "via": "string", "dev": "string", "device": "string",
	"lower": "string", "output": "string", "host": "string", "pattern": "string",
	"hwsrc": "string", "psrc": "string", "hwdst": "string", "pdst": "string",
	"timeout": "number", "seconds": "number", "duration": "number", "rate": "number",
	"ts": "number", "n": "integer", "count": "integer", "len": "integer",
	"snaplen": "integer", "index": "integer", "metric": "integer", "ttl": "integer",
	"family": "integer", "status": "integer", "code": "integer", "bits": "integer",
	"linktype": "integer", "first": "string",
	"fn": "function", "iterator": "function", "constructor": "function", "predicate": "function",
	"opts": "table", "info": "table", "argv": "string[]", "groups": "string[]",
	"boolean": "boolean", "hdrincl": "boolean", "promisc": "boolean", "undo": "boolean",
	"value": "any", "v": "any", "got": "any", "want": "any", "cond": "any",
	"msg": "string", "why": "string", "passed": "boolean", "pred": "function",
	"sock": "packet.socket|rawip.socket", "s": "string", "vary": "table", "progress": "boolean",
	"proto": "string|integer", "table": "integer|string",
	// header fields of frame's layers
	"sport": "integer", "dport": "integer", "seq": "integer", "ack": "integer", "id": "integer",
	"tos": "integer", "ihl": "integer", "version": "integer", "chksum": "integer", "hlim": "integer",
	"tc": "integer", "fl": "integer", "nh": "integer", "plen": "integer", "hwtype": "integer",
	"ptype": "integer", "hwlen": "integer", "op": "integer", "pcp": "integer", "dei": "integer",
	"vid": "integer", "frag": "integer", "window": "integer", "urgptr": "integer",
	"dataofs": "integer", "reserved": "integer", "flags": "string|integer", "options": "string",
	// a lab host or link end, or a namespace's name under /run/netns
	"netns": "lab.host|lab.end|string",
}

// nameAliases types the names that stand for a registered type under
// another name, keyed by module: lab.pair() -> a, b returns two link ends.
var nameAliases = map[string]map[string]string{
	"lab": {"a": "lab.end", "b": "lab.end", "ex": "lab.end", "ey": "lab.end", "x": "lab.host|lab.end", "y": "lab.host|lab.end"},
}

// luaTypes are the types LuaLS knows by themselves.
var luaTypes = map[string]bool{
	"any": true, "nil": true, "boolean": true, "number": true, "integer": true,
	"string": true, "table": true, "function": true, "userdata": true, "thread": true,
}

// A typer resolves the names in one module's signatures to LuaLS types.
type typer struct {
	mod   *luabind.Module
	types []string // every registered type's name, sorted
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

// name is the type of a value called n: a type of this module, an alias,
// a plain value's type, a type of another module, or any.
func (ty typer) name(n string) string {
	if t, ok := ty.registered(ty.mod.Name + "." + n); ok {
		return t
	}
	if t, ok := nameAliases[ty.mod.Name][n]; ok {
		return t
	}
	if t, ok := nameTypes[n]; ok {
		return t
	}
	for _, t := range ty.types {
		if strings.HasSuffix(t, "."+n) {
			return t
		}
	}
	return "any"
}

func (ty typer) registered(name string) (string, bool) {
	i := sort.SearchStrings(ty.types, name)
	return name, i < len(ty.types) && ty.types[i] == name
}

// field is the type of a documented Field: its Type ("integer",
// "number|string", "layer", "lab.host") with each part resolved.
func (ty typer) field(f luabind.Field) string {
	parts := strings.Split(f.Type, "|")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if _, ok := ty.registered(p); !ok && !luaTypes[p] {
			p = ty.name(p)
		}
		parts[i] = p
	}
	return strings.Join(parts, "|")
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
// as { received, dropped }: these are counts, so a name that is no
// registered type is a number.
func (ty typer) resultShape(s *shape) string {
	var fields []string
	for _, e := range s.entries {
		for _, a := range e.alts {
			if a.kind != altName {
				continue
			}
			t := ty.name(a.text)
			if _, ok := ty.registered(t); !ok {
				t = "number"
			}
			fields = append(fields, a.text+": "+t)
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
