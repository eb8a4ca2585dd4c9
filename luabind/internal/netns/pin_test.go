package netns_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/internal/netns"

	"github.com/netlua/netlua/luabind/testlab"
)

// ipNetnsListed reports whether `ip netns list` names name, as a whole
// name (netlua-x-1 is not netlua-x-12).
func ipNetnsListed(t *testing.T, name string) bool {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return true
		}
	}
	return false
}

// freeName is a namespace name of the test's own: random, and checked
// free under RunDir (a pid-based name may be a stale pin of another run).
func freeName(t *testing.T, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%s", prefix, rand.Text()[:10])
	if _, err := os.Lstat(filepath.Join(netns.RunDir, name)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s: %v, want it free", name, err)
	}
	return name
}

func TestPinNamesTheNamespace(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	name := freeName(t, "netlua-test")
	path, err := ns.Pin(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Unpin() })
	if !ipNetnsListed(t, name) {
		t.Errorf("ip netns list does not show %s", name)
	}
	out, err := exec.Command("ip", "netns", "exec", name, "ip", "-o", "link").CombinedOutput()
	if err != nil || strings.Contains(string(out), "eth") || !strings.Contains(string(out), "lo:") {
		t.Errorf("ip netns exec %s ip -o link: %v\n%s", name, err, out)
	}
	if err := ns.Unpin(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s still exists after Unpin: %v", path, err)
	}
	if ipNetnsListed(t, name) {
		t.Errorf("ip netns list still shows %s", name)
	}
	if err := ns.Unpin(); err != nil {
		t.Errorf("second Unpin: %v", err)
	}
}

func TestPinRefuses(t *testing.T) {
	testlab.Privileged(t)
	taken := freeName(t, "netlua-test-taken")
	holder := newNS(t)
	if _, err := holder.Pin(taken); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { holder.Unpin() })
	tests := []struct {
		name, pin string
		want      error
		wantText  string
	}{
		{name: "a name in use", pin: taken, want: fs.ErrExist},
		{name: "a path", pin: "../etc", wantText: "not a valid namespace name"},
		{name: "empty", pin: "", wantText: "not a valid namespace name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := newNS(t)
			_, err := ns.Pin(tt.pin)
			if err == nil {
				ns.Unpin()
				t.Fatalf("netns.Pin(%q) succeeded", tt.pin)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("netns.Pin(%q) = %v, want %v", tt.pin, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("netns.Pin(%q) = %v, want %q", tt.pin, err, tt.wantText)
			}
		})
	}
	if _, err := os.Stat("/run/netns/" + taken); err != nil {
		t.Errorf("a refused netns.Pin removed the existing name: %v", err)
	}
}
