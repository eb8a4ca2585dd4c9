package netns

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// ipNetnsList is the output of `ip netns list`.
func ipNetnsList(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns list: %v\n%s", err, out)
	}
	return string(out)
}

func TestPinNamesTheNamespace(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	name := fmt.Sprintf("netlua-test-%d", os.Getpid())
	path, err := ns.Pin(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Unpin() })
	if !strings.Contains(ipNetnsList(t), name) {
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
	if strings.Contains(ipNetnsList(t), name) {
		t.Errorf("ip netns list still shows %s", name)
	}
	if err := ns.Unpin(); err != nil {
		t.Errorf("second Unpin: %v", err)
	}
}

func TestPinRefuses(t *testing.T) {
	testlab.Privileged(t)
	taken := fmt.Sprintf("netlua-test-taken-%d", os.Getpid())
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
				t.Fatalf("Pin(%q) succeeded", tt.pin)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Pin(%q) = %v, want %v", tt.pin, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Pin(%q) = %v, want %q", tt.pin, err, tt.wantText)
			}
		})
	}
	if _, err := os.Stat("/run/netns/" + taken); err != nil {
		t.Errorf("a refused Pin removed the existing name: %v", err)
	}
}
