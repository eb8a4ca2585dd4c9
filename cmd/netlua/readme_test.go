package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// TestReadmeConversations runs the examples of README.md's Conversations
// section, one script as a reader would paste them one after the other
// (they share the lab of the first), in the netlua binary, and checks
// each `print(...) --> values` line against what it prints: the lab
// peer's kernel, ping and the nfqueue hook are the oracles.
func TestReadmeConversations(t *testing.T) {
	testlab.Privileged(t)
	code := strings.Join(testlab.ReadmeExamples(t, "## Conversations"), "")
	checked := testlab.CheckPrints(t, "Conversations", code, func(code string) (string, error) {
		res := testlab.Run(t, code, "-")
		if res.Code != 0 {
			return res.Stdout, fmt.Errorf("exit %d: %s", res.Code, res.Stderr)
		}
		return res.Stdout, nil
	})
	if checked < 4 {
		t.Errorf("checked %d `print(...) --> values` lines, want 4 or more", checked)
	}
}
