package sock

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
)

// bench/sock_echo.lua's client and server talk over a lab pair, TCP and
// UDP: every round trip comes back, and the server ends on ^C.
func TestEchoBenchScript(t *testing.T) {
	a, b := labtest.Pair(t)
	for i, proto := range []string{"tcp", "udp"} {
		port := fmt.Sprint(7100 + i)
		server := labtest.StartNetlua(t, b, labtest.Script("bench/sock_echo.lua"), "server", proto, port)
		server.Out.WaitFor(t, "listening", 10*time.Second)
		out, code := labtest.RunNetlua(t, a, labtest.Script("bench/sock_echo.lua"), "client", proto, b.Addr.Addr().String(), port, "500")
		if code != 0 || !regexp.MustCompile(`^500 round trips in [0-9.]+ s: [0-9]+ pps\n$`).MatchString(out) {
			t.Errorf("%s client: exit %d\n%s", proto, code, out)
		}
		server.Interrupt(t)
	}
}
