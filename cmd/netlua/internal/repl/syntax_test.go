package repl

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"github.com/netlua/netlua/luabind/testlab"
)

// promptInputs are statements typed at the prompt over several lines,
// and lines that fail at once.
var promptInputs = [][]string{
	{"x = [[", "a", "]]", "print(x)"},
	{"if true then", "print(1)", "end"},
	{"x = = 1", "print(2)"},
	{"t = {", "1,", "}", "print(#t)"},
	{`print("abc`, `def")`, "print(3)"},
	{"local function g()", "return 2", "end"},
	{"x = 1 +", "2", "print(x)"},
	{"--[[ comment", "]]", "print(4)"},
	{"return return", "print(5)"},
	{"for i = 1, 2 do", "print(i)", "end"},
}

// TestPromptContinuesAsLua51 types each input at netlua's prompt and at
// lua5.1's (lua.c): a statement continues on a >> line exactly when
// lua.c continues it, and the errors are lua.c's.
func TestPromptContinuesAsLua51(t *testing.T) {
	testlab.NeedTool(t, "lua5.1", "lua5.1")
	for _, lines := range promptInputs {
		in := strings.Join(lines, "\n") + "\n"
		cmd := exec.Command("lua5.1", "-i")
		cmd.Stdin = strings.NewReader(in)
		out, _ := cmd.CombinedOutput()
		var stdout, stderr strings.Builder
		Main("test", modules.All(), strings.NewReader(in), &stdout, &stderr)
		want, got := string(out), stdout.String()+stderr.String()
		if w, g := strings.Count(want, promptMore), strings.Count(got, promptMore); g != w {
			t.Errorf("%q: %d continuation lines, lua5.1 %d\nnetlua:\n%s\nlua5.1:\n%s", lines, g, w, got, want)
		}
		if w, g := errorLines(want), errorLines(got); g != w {
			t.Errorf("%q: errors %q, lua5.1 %q", lines, g, w)
		}
	}
}

// errorLines are the lines of out that report an error in the input.
func errorLines(out string) string {
	var errs []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "stdin:") {
			errs = append(errs, l)
		}
	}
	return strings.Join(errs, "\n")
}
