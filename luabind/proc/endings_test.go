package proc_test

import (
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// A program proc.spawn started is gone once netlua has ended, however it
// ended, and so is what it left in its process group, but on SIGKILL:
// then only its parent-death signal acts, on the program itself.
func TestSpawnedDieWithNetlua(t *testing.T) {
	for _, e := range testlab.Endings {
		t.Run(e.Name, func(t *testing.T) {
			testlab.CheckSpawnedGone(t, `local spawn = require("proc").spawn`, e, e.Signal == syscall.SIGKILL)
		})
	}
}
