package nfqueue

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/testlab"
)

// Without CAP_NET_ADMIN, nft and nfqueue say which capability they need,
// exit 1 and show no Go trace. The runs happen as nobody inside a
// namespace of their own, so even a wrong success could touch no real
// ruleset.
func TestModulesNeedNetAdmin(t *testing.T) {
	testlab.Privileged(t) // root is needed to switch to nobody
	bin := testlab.Binary(t)
	ns, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	hint := "operation not permitted: needs root or CAP_NET_ADMIN (sudo netlua ..., or sudo setcap cap_net_raw,cap_net_admin+ep "
	tests := []struct{ name, code, want string }{
		{"nft.drop", `require("nft").drop{ proto = "tcp", contains = "HTTP" }`, "nft.drop: inet netlua: " + hint},
		{"nfqueue.hook", `require("nfqueue").hook({ proto = "tcp" }, print)`, "nfqueue.hook: " + hint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, "-e", tt.code)
			cmd.Dir = "/"
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := ns.Do(cmd.Start)
			if err == nil {
				err = cmd.Wait()
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit: %v, want status 1\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) || strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("stderr:\n%s\nwant %q and no Go trace", stderr.String(), tt.want)
			}
		})
	}
}
