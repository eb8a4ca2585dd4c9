package proc_test

import (
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }
