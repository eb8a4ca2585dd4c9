package lab

import (
	"os"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testlab.Cleanup()
	os.Exit(code)
}
