package frame

import (
	"fmt"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// TestReadmeFrameExamples runs every Lua example of README.md's frame
// section and checks that each `print(...) --> values` line prints what
// the README says it does: the README is what a newcomer copies.
func TestReadmeFrameExamples(t *testing.T) {
	checked := 0
	for n, code := range testlab.ReadmeExamples(t, "### frame ") {
		checked += testlab.CheckPrints(t, fmt.Sprintf("example %d", n+1), `local f = require "frame" `+code, func(code string) (string, error) {
			return testlab.RunLua(t, code, luaModules()...)
		})
	}
	if checked == 0 {
		t.Error("no `print(...) --> values` line was checked")
	}
}
