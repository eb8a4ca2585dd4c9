package testlab

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ReadmeExamples returns the Lua examples of the README.md section whose
// heading line starts with heading ("### frame "), up to the next
// heading of its level or above.
func ReadmeExamples(t testing.TB, heading string) []string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := string(text)
	start := strings.Index(section, "\n"+heading)
	if start < 0 {
		t.Fatalf("README.md has no section %q", heading)
	}
	section = section[start+1:]
	level := heading[:strings.IndexByte(heading, ' ')+1] // "### "
	for _, h := range []string{"\n" + level, "\n## "} {
		if end := strings.Index(section[1:], h); end >= 0 {
			section = section[:end+1]
		}
	}
	var blocks []string
	for _, b := range regexp.MustCompile("(?s)```lua\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, b[1])
	}
	if len(blocks) == 0 {
		t.Fatalf("README.md's section %q has no Lua examples", heading)
	}
	return blocks
}

// printsPrelude goes on the line before an example: print records what
// it prints with its line, and printsEpilogue writes the records out.
const (
	printsPrelude  = `local __printed = {} local function print(...) local t = {} for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end __printed[#__printed + 1] = debug.getinfo(2, "l").currentline - 1 .. "\t" .. table.concat(t, "\t") end `
	printsEpilogue = "\nfor _, l in ipairs(__printed) do io.write(l, '\\n') end"
)

// CheckPrints runs code, a README example, with run and checks that each
// of its `print(...) --> values` lines prints what the README says (the
// values two spaces or more apart). It returns how many lines it checked.
func CheckPrints(t testing.TB, name, code string, run func(code string) (string, error)) int {
	t.Helper()
	out, err := run(printsPrelude + "\n" + code + printsEpilogue)
	if err != nil {
		t.Errorf("%s:\n%s\nfails: %v", name, code, err)
		return 0
	}
	got := map[int]string{}
	for _, l := range strings.Split(out, "\n") {
		var line int
		if _, err := fmt.Sscanf(l, "%d\t", &line); err == nil {
			got[line] = strings.SplitN(l, "\t", 2)[1]
		}
	}
	checked := 0
	for line, w := range expectedPrints(code) {
		if g := strings.Join(strings.Split(got[line], "\t"), "  "); g != w {
			t.Errorf("%s, line %d: prints %q, the README says %q", name, line, g, w)
		}
		checked++
	}
	return checked
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
