package nfqueue

import (
	"testing"

	_ "github.com/netlua/netlua/luabind/loop" // the scripts of the tests use loop
	_ "github.com/netlua/netlua/luabind/nft"  // and nft.rules(), which lists the hooks' rules

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }
