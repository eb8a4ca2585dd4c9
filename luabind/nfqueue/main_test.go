package nfqueue

import (
	"testing"

	_ "github.com/netlua/netlua/luabind/loop" // the scripts of the tests use loop

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }
