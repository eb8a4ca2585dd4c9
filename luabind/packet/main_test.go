package packet

import (
	"testing"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

// openOn opens a packet socket on the end e, closed when the test ends.
func openOn(t testing.TB, e *lab.End, cfg Config) *Socket {
	t.Helper()
	cfg.NetNS = e.NetNS()
	s, err := Open(e.Ifname, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pair is labtest.Pair.
func pair(t testing.TB) (a, b *lab.End) { return labtest.Pair(t) }
