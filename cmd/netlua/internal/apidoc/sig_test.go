package apidoc

import (
	"slices"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"github.com/netlua/netlua/luabind"
)

// outline writes a parsed signature back in a normalised form: optional
// entries end in ?, tables show their kind.
func outline(s *sig) string {
	var b strings.Builder
	if s.recv != "" {
		b.WriteString(s.recv)
		b.WriteString(map[bool]string{true: ":", false: "."}[s.method])
	}
	b.WriteString(s.name)
	if s.tableArg {
		b.WriteString(outlineShape(s.params[0].alts[0].table))
	} else {
		b.WriteString("(" + outlineEntries(s.params) + ")")
	}
	if len(s.returns) > 0 {
		b.WriteString(" -> " + outlineEntries(s.returns))
	}
	return b.String()
}

func outlineEntries(es []entry) string {
	var parts []string
	for _, e := range es {
		var alts []string
		for _, a := range e.alts {
			if a.kind == altTable {
				alts = append(alts, outlineShape(a.table))
			} else {
				alts = append(alts, a.text)
			}
		}
		s := strings.Join(alts, "|")
		if e.key != "" {
			s = e.key + "=" + s
		}
		if e.optional {
			s += "?"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func outlineShape(t *shape) string {
	if t.list {
		return "{" + outlineEntries(t.entries) + ", ...}"
	}
	return "{" + outlineEntries(t.entries) + "}"
}

func TestParseSig(t *testing.T) {
	tests := []struct{ sig, want string }{
		{"open(ifname [, opts]) -> socket", "open(ifname, opts?) -> socket"},
		{"socket:recv([timeout]) -> bytes, info | nil", "socket:recv(timeout?) -> bytes, info|nil"},
		{"netlink.watch(groups, fn [, opts]) -> watcher", "netlink.watch(groups, fn, opts?) -> watcher"},
		{"stop()", "stop()"},
		{"print(...)", "print(...)"},
		{"netlink.addrs([name|index] [, opts]) -> { addr, ... }", "netlink.addrs(name|index?, opts?) -> {addr, ...}"},
		{"capture{ file [, count] [, duration] } -> { captured, dropped }", "capture{file, count?, duration?} -> {captured, dropped}"},
		{"write(bytes [, ts | info [, len]])", "write(bytes, ts|info?, len?)"},
		{"filter(expression | program | nil)", "filter(expression|program|nil)"},
		{`compile(expr [, { linktype = "ether" }]) -> program`, `compile(expr, {linktype="ether"}?) -> program`},
		{`parse(bytes [, {first = name|"ip"}]) -> packet`, `parse(bytes, {first=name|"ip"}?) -> packet`},
		{"build{layer|packet|bytes, ...} -> bytes", "build{layer|packet|bytes, ...} -> bytes"},
		{"blast(bytes, { count | duration [, rate] })", "blast(bytes, {count|duration, rate?})"},
		{"bind(lower, {field = value}, name)", "bind(lower, {field=value}, name)"},
		{`define(name, {{field, bits [, "bits"|"mac"] [, default = v]}, ...}) -> constructor`,
			`define(name, {{field, bits, "bits"|"mac"?, default=v?}, ...}) -> constructor`},
		{"lab:link(x, y) -> ex, ey", "lab:link(x, y) -> ex, ey"},
		{"os.exit([code])", "os.exit(code?)"},
		{"retry(n, 0.5)", "retry(n, 0.5)"},
	}
	for _, tt := range tests {
		s, err := parseSig(tt.sig)
		if err != nil {
			t.Errorf("%s: %v", tt.sig, err)
			continue
		}
		if got := outline(s); got != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.sig, got, tt.want)
		}
	}
}

func TestParseSigErrors(t *testing.T) {
	tests := []struct{ sig, want string }{
		{"open(ifname [, opts) -> socket", "'[' without ']'"},
		{"open(ifname], opts)", "']' without '['"},
		{"open ifname", "'(' or '{' expected"},
		{"open(ifname) extra", "unexpected 'extra' after the signature"},
		{"open(ifname) ->", "return values expected after '->'"},
		{`open("ifname)`, "unterminated string"},
		{"open(if$name)", "unexpected '$'"},
		{"open(a = b = c)", "a name, literal or table expected"},
		{`open("a" = 1)`, "the key before '=' must be a name"},
		{"f{a, b, ...}", "a list { x, ... } has one element form"},
		{"(x)", "a name expected, got '('"},
	}
	for _, tt := range tests {
		_, err := parseSig(tt.sig)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.sig, err, tt.want)
		}
	}
}

// registeredFuncs calls fn for every function, global and method in the
// registry, with the name it has in the stubs' classes.
func registeredFuncs(fn func(owner string, f luabind.Func)) {
	for _, m := range luabind.NewSet(modules.All()...).Modules() {
		for _, f := range m.Funcs {
			fn(m.Name, f)
		}
		for _, f := range m.Globals {
			fn("", f)
		}
		for _, t := range m.Types {
			for _, f := range t.Methods {
				fn(t.Name, f)
			}
		}
	}
}

// Every registered signature follows the grammar and names its function,
// and every function has a doc.
func TestRegisteredSigs(t *testing.T) {
	n := 0
	registeredFuncs(func(owner string, f luabind.Func) {
		n++
		if strings.TrimSpace(f.Doc) == "" {
			t.Errorf("%s.%s has no doc", owner, f.Name)
		}
		s, err := parseSig(f.Sig)
		if err != nil {
			t.Errorf("%s.%s: %v", owner, f.Name, err)
			return
		}
		if s.name != f.Name {
			t.Errorf("%s.%s: signature %q names %s", owner, f.Name, f.Sig, s.name)
		}
	})
	if n < 50 {
		t.Errorf("only %d registered functions: are the modules linked?", n)
	}
}

// Every name a linked function's signature uses has a declared type in
// its Types, and every declared type names something in the signature:
// the stubs then cannot drift from the registrations. One subtest per
// module.
func TestSignatureNamesTyped(t *testing.T) {
	for _, m := range luabind.NewSet(modules.All()...).Modules() {
		t.Run(m.Name, func(t *testing.T) {
			check := func(owner string, f luabind.Func) {
				s, err := parseSig(f.Sig)
				if err != nil {
					t.Errorf("%s %s: %v", owner, f.Sig, err)
					return
				}
				names := s.names()
				for _, n := range names {
					if _, ok := f.Types[n]; !ok {
						t.Errorf("%s: %q has no type in Types", f.Sig, n)
					}
				}
				for n := range f.Types {
					if !slices.Contains(names, n) {
						t.Errorf("%s: Types gives %q, which the signature does not use", f.Sig, n)
					}
				}
			}
			for _, f := range m.Funcs {
				check(m.Name, f)
			}
			for _, f := range m.Globals {
				check("", f)
			}
			for _, ty := range m.Types {
				for _, f := range ty.Methods {
					check(ty.Name, f)
				}
			}
		})
	}
}
