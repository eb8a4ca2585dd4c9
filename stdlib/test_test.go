package stdlib_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// Every method of t is documented in the registry, and every documented
// one exists, so that netlua doc test cannot drift from the harness.
func TestHarnessMatchesItsDocs(t *testing.T) {
	out := testlab.MustLua(t, `
		local t = require("test").new("x")
		for k, v in pairs(getmetatable(t)) do
			if type(v) == "function" then print(k) end
		end`, luaModules()...)
	have := strings.Fields(out)
	sort.Strings(have)
	m, ok := luabind.NewSet(luaModules()...).Lookup("test")
	if !ok {
		t.Fatal("module test is not registered")
	}
	var documented []string
	for _, f := range m.Types[0].Methods {
		documented = append(documented, f.Name)
	}
	sort.Strings(documented)
	if strings.Join(have, " ") != strings.Join(documented, " ") {
		t.Errorf("t has methods %v, the registry documents %v", have, documented)
	}
	if len(m.Globals) != 1 || m.Globals[0].Name != "test" {
		t.Errorf("globals %v, want test", m.Globals)
	}
}

// checks runs code with a test object t and prints what t recorded.
func checks(t *testing.T, code string) string {
	t.Helper()
	return testlab.MustLua(t, `local t = require("test").new("x")
`+code+`
for _, f in ipairs(t.failures) do print(f.where, f.msg, f.got, f.want) end
print("failed", t.failed)`, luaModules()...)
}

func TestChecksRecordAndGoOn(t *testing.T) {
	got := checks(t, `print(t:eq({ a = { 1, 2 } }, { a = { 1, 2 } }), t:ok(1), t:match("abc", "^a"), t:ne(1, 2), t:bytes("\1", "\1"))
t:eq({ a = { 1, 2 } }, { a = { 1, 3 } })
t:ok(nil, "needs a reply")
t:ne({ 1 }, { 1 })
t:match("SSH", "^HTTP")`)
	want := "true\ttrue\ttrue\ttrue\ttrue\n" +
		"<string>:3\tt:eq: not equal at a[2]\t{\n  a = {\n    1,\n    2,\n  },\n}\t{\n  a = {\n    1,\n    3,\n  },\n}\n" +
		"<string>:4\tneeds a reply\tnil\tnil\n" +
		"<string>:5\tt:ne: equal, want different\t{\n  1,\n}\tnil\n" +
		"<string>:6\tt:match: no match for \"^HTTP\"\t\"SSH\"\ta string matching \"^HTTP\"\n" +
		"failed\ttrue\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A failure is reported at the line of the test that made the check, not
// at a line of the harness, however the check is reached.
func TestFailureAtCallersLine(t *testing.T) {
	got := checks(t, `local function helper(x)
  local ok = t:eq(x, 2)
  return ok
end
helper(1)`)
	if want := "<string>:3\tt:eq: not equal\t1\t2\nfailed\ttrue\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestStoppingCalls(t *testing.T) {
	tests := []struct{ code, want string }{
		{`t:fatal("no way on")`, "<string>:2\tno way on\tnil\tnil\nfailed\ttrue\n"},
		{`t:skip("no ipv6")`, "failed\tfalse\nno ipv6\t<string>:2\n"},
	}
	for _, tt := range tests {
		got := testlab.MustLua(t, `local t = require("test").new("x")
local ok, err = pcall(function() `+tt.code+` end)
assert(not ok and err == t, "the call did not stop the test by raising t")
for _, f in ipairs(t.failures) do print(f.where, f.msg, f.got, f.want) end
print("failed", t.failed)
if t.skipped then print(t.skipped, t.skipped_at) end`, luaModules()...)
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestDefiningTests(t *testing.T) {
	out := testlab.MustLua(t, `require "test"
test("one", function() end)
test("two", function() end)
for _, d in ipairs(require("test").tests) do print(d.name, d.where) end`, luaModules()...)
	if want := "one\t<string>:2\ntwo\t<string>:3\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	errs := []struct{ code, want string }{
		{`test(nil, function() end)`, "<string>:2: bad argument #1 to 'test' (string expected, got nil)"},
		{`test("x")`, "<string>:2: bad argument #2 to 'test' (function expected, got nil)"},
		{`test("x", print) test("x", print)`, `<string>:2: test "x" is defined twice (first at <string>:2)`},
		{`require("test").new("x"):match("s", 1)`, "<string>:2: bad argument #2 to 'match' (string expected, got number)"},
		{`require("test").new("x"):expect(nil)`, "<string>:2: bad argument #1 to 'expect' (socket expected, got nil)"},
	}
	for _, e := range errs {
		_, err := testlab.RunLua(t, "require 'test'\n"+e.code, luaModules()...)
		if err == nil || !strings.HasPrefix(luabind.Report(err), e.want) {
			t.Errorf("%s: error %v, want %q", e.code, err, e.want)
		}
	}
}
