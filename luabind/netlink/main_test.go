package netlink

import (
	"testing"

	_ "github.com/netlua/netlua/luabind/loop" // the tests' Lua code uses the loop
	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }
