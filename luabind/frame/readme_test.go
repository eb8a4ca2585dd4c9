package frame

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// readmePrelude is put on the line before each README example: the
// examples share `f`, and print records what it prints with its line.
const readmePrelude = `local f = require "frame" local __printed = {} local function print(...) local t = {} for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end __printed[#__printed + 1] = debug.getinfo(2, "l").currentline - 1 .. "\t" .. table.concat(t, "\t") end `

// TestReadmeFrameExamples runs every Lua example of README.md's frame
// section and checks that each `print(...) --> values` line prints what
// the README says it does: the README is what a newcomer copies.
func TestReadmeFrameExamples(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(testlab.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := string(text)
	start := strings.Index(section, "\n### frame ")
	if start < 0 {
		t.Fatal("README.md has no frame section")
	}
	section = section[start+1:]
	if end := strings.Index(section, "\n### "); end >= 0 {
		section = section[:end]
	}
	blocks := regexp.MustCompile("(?s)```lua\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) == 0 {
		t.Fatal("the frame section has no Lua examples")
	}
	checked := 0
	for n, b := range blocks {
		code := b[1]
		want := expectedPrints(code)
		out, err := testlab.RunLua(t, readmePrelude+"\n"+code+"\nfor _, l in ipairs(__printed) do io.write(l, '\\n') end", luaModules()...)
		if err != nil {
			t.Errorf("example %d:\n%s\nfails: %v", n+1, code, err)
			continue
		}
		got := map[int]string{}
		for _, l := range strings.Split(out, "\n") {
			var line int
			if _, err := fmt.Sscanf(l, "%d\t", &line); err == nil {
				got[line] = strings.SplitN(l, "\t", 2)[1]
			}
		}
		for line, w := range want {
			g := strings.Join(strings.Split(got[line], "\t"), "  ")
			if g != w {
				t.Errorf("example %d, line %d: prints %q, the README says %q", n+1, line, g, w)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("no `print(...) --> values` line was checked")
	}
}

// expectedPrints returns, by line number from 1, what each print line of
// code says it prints after "-->", its values two spaces apart.
func expectedPrints(code string) map[int]string {
	want := map[int]string{}
	for i, l := range strings.Split(code, "\n") {
		before, after, ok := strings.Cut(l, "-->")
		if !ok || !strings.Contains(before, "print(") {
			continue
		}
		want[i+1] = strings.Join(regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(after), -1), "  ")
	}
	return want
}
