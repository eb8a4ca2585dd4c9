package apidoc

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// This file checks stub files written by `netlua doc --stubs` against
// what lies outside the generator: Lua's parser reads the definitions and
// their parameters, the live module tables say which functions exist, and
// each function's documented signature, read here on its own, says which
// parameters it takes and which are optional. LuaLS's rules tie them
// together: `require "a.b"` reads a/b.lua, a chunk's return value is the
// module, `---@class T` names the table of the local that follows it, and
// `---@param name? type` lines type the definition below them.

// A stubDef is a function definition in a stub file.
type stubDef struct {
	params []string // as Lua's parser reads them; "..." for a vararg
	line   int
}

// A stubChunk is what a stub file declares, as Lua's parser reads it.
type stubChunk struct {
	lines   []string
	defs    map[string]stubDef // "packet.open", "packet_socket:recv", "now"
	classes map[string]string  // class name (packet.socket) -> its local (packet_socket)
	returns string             // the local the chunk returns
}

// readStub parses a stub file.
func readStub(text, name string) (*stubChunk, error) {
	stmts, err := parse.Parse(strings.NewReader(text), name)
	if err != nil {
		return nil, err
	}
	c := &stubChunk{lines: strings.Split(text, "\n"), defs: map[string]stubDef{}, classes: map[string]string{}}
	for _, st := range stmts {
		switch st := st.(type) {
		case *ast.FuncDefStmt:
			c.addFunction(st)
		case *ast.AssignStmt: // local["not an identifier"] = function(self, ...) end
			get, ok := st.Lhs[0].(*ast.AttrGetExpr)
			fn, isFn := st.Rhs[0].(*ast.FunctionExpr)
			if ok && isFn {
				c.add(exprName(get.Object), exprName(get.Key), fn, st.Line())
			}
		case *ast.LocalAssignStmt:
			for _, ann := range c.annotations(st.Line()) {
				if class, ok := strings.CutPrefix(ann, "---@class "); ok {
					c.classes[strings.Fields(class)[0]] = st.Names[0]
				}
			}
		case *ast.ReturnStmt:
			if len(st.Exprs) == 1 {
				c.returns = exprName(st.Exprs[0])
			}
		}
	}
	return c, nil
}

func (c *stubChunk) addFunction(st *ast.FuncDefStmt) {
	switch {
	case st.Name.Method != "":
		c.defs[exprName(st.Name.Receiver)+":"+st.Name.Method] = stubDef{paramsOf(st.Func), st.Line()}
	case exprName(st.Name.Func) != "":
		c.defs[exprName(st.Name.Func)] = stubDef{paramsOf(st.Func), st.Line()}
	default:
		get := st.Name.Func.(*ast.AttrGetExpr)
		c.add(exprName(get.Object), exprName(get.Key), st.Func, st.Line())
	}
}

// add records owner.name, or owner:name when its first parameter is self.
func (c *stubChunk) add(owner, name string, fn *ast.FunctionExpr, line int) {
	params := paramsOf(fn)
	if len(params) > 0 && params[0] == "self" {
		c.defs[owner+":"+name] = stubDef{params[1:], line}
		return
	}
	c.defs[owner+"."+name] = stubDef{params, line}
}

// exprName is the name an identifier or a string constant holds.
func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.IdentExpr:
		return e.Value
	case *ast.StringExpr:
		return e.Value
	}
	return ""
}

func paramsOf(fn *ast.FunctionExpr) []string {
	params := slices.Clone(fn.ParList.Names)
	if fn.ParList.HasVargs {
		params = append(params, "...")
	}
	return params
}

// annotations are the --- lines just above line (1-based), in order.
func (c *stubChunk) annotations(line int) []string {
	start := line - 1
	for start > 0 && strings.HasPrefix(c.lines[start-1], "---") {
		start--
	}
	return c.lines[start : line-1]
}

// annotatedParams are the ---@param lines above a definition: the names
// and whether each is marked optional (name?).
func (c *stubChunk) annotatedParams(line int) (names []string, optional []bool) {
	for _, ann := range c.annotations(line) {
		if rest, ok := strings.CutPrefix(ann, "---@param "); ok {
			name := strings.Fields(rest)[0]
			names = append(names, strings.TrimSuffix(name, "?"))
			optional = append(optional, strings.HasSuffix(name, "?"))
		}
	}
	return names, optional
}

// A sigParam is a parameter as a documented signature shows it.
type sigParam struct {
	name     string // its first alternative when that is a name; "" for a table or a literal
	optional bool   // inside [ ]
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// sigParams reads the parameters of a signature such as
// "writer:write(bytes [, ts | info [, len]])": each comma-separated
// entry of the outer parentheses is a parameter, optional inside [ ], and
// "..." is a vararg; "build{...}" takes one table.
func sigParams(sig string) ([]sigParam, error) {
	i := strings.IndexAny(sig, "({")
	if i < 0 {
		return nil, fmt.Errorf("%q: no ( or {", sig)
	}
	if sig[i] == '{' {
		return []sigParam{{}}, nil
	}
	var params []sigParam
	var cur strings.Builder
	nest, opt, started, optional := 0, 0, false, false
	end := func() {
		if text := strings.TrimSpace(cur.String()); text != "" {
			name := strings.TrimSpace(strings.Split(text, "|")[0])
			if !identRE.MatchString(name) && name != "..." {
				name = ""
			}
			params = append(params, sigParam{name: name, optional: optional})
		}
		cur.Reset()
		started = false
	}
	for j := i + 1; j < len(sig); j++ {
		ch := sig[j]
		switch {
		case nest == 0 && ch == ')':
			end()
			return params, nil
		case nest == 0 && ch == ',':
			end()
			continue
		case nest == 0 && ch == '[':
			opt++
			continue
		case nest == 0 && ch == ']':
			opt--
			continue
		case ch == '(' || ch == '{':
			nest++
		case ch == ')' || ch == '}':
			nest--
		}
		if !started && ch != ' ' {
			started, optional = true, opt > 0
		}
		cur.WriteByte(ch)
	}
	return nil, fmt.Errorf("%q: no closing )", sig)
}

// checkDef compares the definition of a registered function with its
// signature: the parameters in number and name, and their ---@param
// lines, optional where the signature has them in brackets.
func (c *stubChunk) checkDef(key string, f luabind.Func) []string {
	def, ok := c.defs[key]
	if !ok {
		return []string{fmt.Sprintf("no definition of %s (%s)", key, f.Sig)}
	}
	want, err := sigParams(f.Sig)
	if err != nil {
		return []string{err.Error()}
	}
	if len(def.params) != len(want) {
		return []string{fmt.Sprintf("%s takes %q, its signature %s has %d parameters", key, def.params, f.Sig, len(want))}
	}
	var problems []string
	seen := map[string]bool{}
	for i, p := range want {
		if p.name != "" && !seen[p.name] && def.params[i] != p.name {
			problems = append(problems, fmt.Sprintf("%s: parameter %d is %s, the signature %s calls it %s", key, i+1, def.params[i], f.Sig, p.name))
		}
		seen[p.name] = true
	}
	names, optional := c.annotatedParams(def.line)
	if !slices.Equal(names, def.params) {
		problems = append(problems, fmt.Sprintf("%s: ---@param lines name %q, the definition %q", key, names, def.params))
		return problems
	}
	for i, p := range want {
		if optional[i] != p.optional && names[i] != "..." {
			problems = append(problems, fmt.Sprintf("%s: ---@param %s optional=%v, the signature %s says %v", key, names[i], optional[i], f.Sig, p.optional))
		}
	}
	return problems
}

// liveFunctions lists, for each module, the functions its table holds
// when a script requires it ("packet": open), and checks that the globals
// the registry lists are functions.
func liveFunctions(t *testing.T, mods []*luabind.Module) map[string][]string {
	t.Helper()
	var code strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&code, "do local names = {} for k, v in pairs(require(%q)) do if type(v) == 'function' then names[#names+1] = k end end print(%q, table.concat(names, ' ')) end\n", m.Name, m.Name)
		for _, g := range m.Globals {
			fmt.Fprintf(&code, "assert(type(%s) == 'function', 'global %s is no function')\n", g.Name, g.Name)
		}
	}
	live := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(testlab.MustLua(t, code.String(), modules.All()...)), "\n") {
		name, fns, _ := strings.Cut(line, "\t")
		live[name] = strings.Fields(fns)
	}
	return live
}

// checkStubs checks the stub files in dir and returns the problems found.
func checkStubs(dir string, mods []*luabind.Module, live map[string][]string) []string {
	var problems []string
	for _, m := range mods {
		path := filepath.Join(dir, strings.ReplaceAll(m.Name, ".", "/")+".lua")
		text, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		c, err := readStub(string(text), path)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s does not parse: %v", path, err))
			continue
		}
		problems = append(problems, c.checkModule(m, live[m.Name])...)
	}
	return problems
}

// checkModule checks one module's stub: the chunk returns the module's
// class; every function the live table holds, and only those, is defined
// there as documented; every global and every method of its types too.
func (c *stubChunk) checkModule(m *luabind.Module, live []string) []string {
	var problems []string
	defined := map[string]bool{}
	mod := c.classes[m.Name]
	if mod == "" || c.returns != mod {
		problems = append(problems, fmt.Sprintf("%s: the chunk returns %q, not the local of ---@class %s (%q)", m.Name, c.returns, m.Name, mod))
	}
	documented := map[string]luabind.Func{}
	for _, f := range m.Funcs {
		documented[f.Name] = f
	}
	for _, name := range live {
		f, ok := documented[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s.%s exists but has no documented signature", m.Name, name))
			continue
		}
		defined[mod+"."+name] = true
		problems = append(problems, c.checkDef(mod+"."+name, f)...)
	}
	for _, f := range m.Globals {
		defined[f.Name] = true
		problems = append(problems, c.checkDef(f.Name, f)...)
	}
	for _, ty := range m.Types {
		local := c.classes[ty.Name]
		if local == "" {
			problems = append(problems, fmt.Sprintf("%s: no ---@class %s", m.Name, ty.Name))
			continue
		}
		for _, f := range ty.Methods {
			defined[local+":"+f.Name] = true
			problems = append(problems, c.checkDef(local+":"+f.Name, f)...)
		}
	}
	for key := range c.defs {
		if !defined[key] {
			problems = append(problems, fmt.Sprintf("%s: defines %s, which the module does not have", m.Name, key))
		}
	}
	return problems
}

// The stubs netlua doc --stubs writes declare every function a script can
// call, with the parameters its signature documents; and the check finds
// each kind of mistake.
func TestDocStubsCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errb strings.Builder
	if code := Main([]string{"--stubs", dir}, modules.All(), &out, &errb); code != cli.ExitOK {
		t.Fatalf("status %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "wrote ") {
		t.Errorf("no summary: %q", out.String())
	}
	mods := luabind.NewSet(modules.All()...).Modules()
	live := liveFunctions(t, mods)
	for _, p := range checkStubs(dir, mods, live) {
		t.Error(p)
	}
	for _, args := range [][]string{{"--stubs"}, {"--stubs", "a", "b"}, {"--frob"}} {
		if code := Main(args, modules.All(), &out, &errb); code != cli.ExitUsage {
			t.Errorf("doc %v: status %d, want %d", args, code, cli.ExitUsage)
		}
	}

	// Each mistake, made in a copy of the stubs, is found.
	for _, c := range []struct{ file, old, new, want string }{
		{"packet.lua", "function packet.open(ifname, opts) end", "", "no definition of packet.open"},
		{"packet.lua", "function packet_socket:recv(timeout) end", "function packet_socket:recv(t) end", "packet_socket:recv: parameter 1 is t"},
		{"packet.lua", "---@param timeout? number", "---@param timeout number", "---@param timeout optional=false"},
		{"packet.lua", "---@param ifname string\n", "", "packet.open: ---@param lines name"},
		{"packet.lua", "function packet_socket:send(bytes, opts) end", "function packet_socket:send(bytes, opts, n) end", "packet_socket:send takes"},
		{"packet.lua", "\nreturn packet\n", "\nreturn packet_socket\n", `the chunk returns "packet_socket"`},
		{"loop.lua", "function now() end", "function now() end\nfunction later() end", "defines later"},
		{"pp.lua", "function pp.print(...) end", "function pp.print(value) end", "pp.print: parameter 1 is value"},
		{"frame.lua", "---@class frame.packet\n", "", "no ---@class frame.packet"},
	} {
		bad := t.TempDir()
		copyStubs(t, dir, bad)
		path := filepath.Join(bad, c.file)
		text, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(text), c.old) {
			t.Fatalf("%s lacks %q (err %v)", c.file, c.old, err)
		}
		os.WriteFile(path, []byte(strings.Replace(string(text), c.old, c.new, 1)), 0o644)
		problems := strings.Join(checkStubs(bad, mods, live), "\n")
		if !strings.Contains(problems, c.want) {
			t.Errorf("%s with %q as %q: problems\n%s\nwant one with %q", c.file, c.old, c.new, problems, c.want)
		}
	}
}

// copyStubs copies the stub files of dir into dst.
func copyStubs(t *testing.T, dir, dst string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The signature reader, on the shapes the registry uses.
func TestSigParams(t *testing.T) {
	for _, c := range []struct{ sig, want string }{
		{"open(ifname [, opts]) -> socket", "ifname opts?"},
		{"addrs([name|index] [, opts]) -> { addr, ... }", "name? opts?"},
		{"writer:write(bytes [, ts | info [, len]])", "bytes ts? len?"},
		{"parse(bytes [, {first = name|\"ip\"}]) -> packet", "bytes _?"},
		{"bind(lower, {field = value}, name)", "lower _ name"},
		{"socket:blast(bytes, { count | duration [, rate] [, vary] [, progress] }) -> { sent }", "bytes _"},
		{"build{layer|packet|bytes, ...} -> bytes", "_"},
		{"print(...)", "..."},
		{"now() -> seconds", ""},
		{"t:skip([why])", "why?"},
	} {
		ps, err := sigParams(c.sig)
		if err != nil {
			t.Errorf("%s: %v", c.sig, err)
			continue
		}
		var got []string
		for _, p := range ps {
			s := p.name
			if s == "" {
				s = "_"
			}
			if p.optional {
				s += "?"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %q, want %q", c.sig, strings.Join(got, " "), c.want)
		}
	}
}
