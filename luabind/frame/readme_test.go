package frame

import (
	"os"
	"strings"
	"testing"
)

// The Lua examples of README.md's frame section run, and each line that
// says what it prints (print(a, b) --> 1  2) prints that.
func TestREADMEFrameExamples(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(data)
	section = section[strings.Index(section, "### frame"):]
	section = section[:strings.Index(section[4:], "\n### ")+4]
	blocks := strings.Split(section, "```lua\n")[1:]
	if len(blocks) < 7 {
		t.Fatalf("%d examples in the frame section", len(blocks))
	}
	for n, block := range blocks {
		code := checkedPrints(t, block[:strings.Index(block, "```")])
		runLua(t, `local f = require "frame"
local function __check(want, ...)
  local got = {}
  for i = 1, select("#", ...) do got[i] = tostring((select(i, ...))) end
  eq(table.concat(got, "  "), want, "README frame example `+string(rune('1'+n))+`")
end
`+code)
	}
}

// checkedPrints turns each print(...) --> want line of code into a check.
func checkedPrints(t *testing.T, code string) string {
	lines := strings.Split(code, "\n")
	for i, line := range lines {
		call, want, ok := strings.Cut(line, "-->")
		call = strings.TrimSpace(call)
		if !ok || !strings.HasPrefix(call, "print(") || !strings.HasSuffix(call, ")") {
			continue
		}
		lines[i] = "__check([==[" + strings.TrimSpace(want) + "]==], " + strings.TrimPrefix(call, "print(")
	}
	return strings.Join(lines, "\n")
}
