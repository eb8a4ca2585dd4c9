package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// TestReadmeSections runs the examples of README.md's Labs and
// Conversations sections, each section one script as a reader would
// paste its examples one after the other (they share the lab of the
// first), in the netlua binary, and checks each `print(...) --> values`
// line against what it prints: the lab's kernels, ping and the nfqueue
// hook are the oracles.
func TestReadmeSections(t *testing.T) {
	testlab.Privileged(t)
	for _, heading := range []string{"## Labs", "## Conversations"} {
		t.Run(heading[3:], func(t *testing.T) {
			code := strings.Join(testlab.ReadmeExamples(t, heading), "")
			checked := testlab.CheckPrints(t, heading[3:], code, func(code string) (string, error) {
				res := testlab.Run(t, code, "-")
				if res.Code != 0 {
					return res.Stdout, fmt.Errorf("exit %d: %s", res.Code, res.Stderr)
				}
				return res.Stdout, nil
			})
			if checked < 3 {
				t.Errorf("checked %d `print(...) --> values` lines, want 3 or more", checked)
			}
		})
	}
}
