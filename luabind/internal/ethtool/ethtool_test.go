package ethtool

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSetVeth turns each offload of a veth off and on inside a fresh
// namespace of a locked thread, and checks each state with ethtool -k,
// the outside oracle, when it is installed, and with Get.
func TestSetVeth(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("NETLUA_PRIVILEGED") == "1" {
			t.Fatal("NETLUA_PRIVILEGED=1 but not root")
		}
		t.Skip("needs root: makes a network namespace")
	}
	runtime.LockOSThread() // the thread dies with its namespace: never unlocked
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ip", "link", "add", "tt0", "type", "veth", "peer", "name", "tt1").CombinedOutput(); err != nil {
		t.Skipf("no veth (ip link add: %v: %s)", err, out)
	}
	for _, f := range []Feature{TSO, GSO, GRO} {
		for _, on := range []bool{false, true, false} {
			if err := Set("tt0", f, on); err != nil {
				t.Fatal(err)
			}
			got, err := Get("tt0", f)
			if err != nil || got != on {
				t.Errorf("Get %s after Set(%v) = %v, %v", f.Name, on, got, err)
			}
			checkEthtool(t, f, on)
		}
	}
	if err := Set("nosuch0", TSO, false); !errors.Is(err, unix.ENODEV) {
		t.Errorf("Set on a missing interface: %v, want ENODEV", err)
	}
}

// checkEthtool compares with what ethtool -k prints, where it is installed.
func checkEthtool(t *testing.T, f Feature, on bool) {
	t.Helper()
	// TSO is shown as its parts: on 6.18 the legacy command leaves
	// tx-tcp-accecn-segmentation on (only AccECN connections use it).
	lines := map[string][]string{"tso": {"\ttx-tcp-segmentation", "\ttx-tcp6-segmentation"},
		"gso": {"generic-segmentation-offload"}, "gro": {"generic-receive-offload"}}[f.Name]
	out, err := exec.Command("ethtool", "-k", "tt0").Output()
	if err != nil {
		return // no ethtool here: Get is the check
	}
	for _, l := range lines {
		if want := l + ": " + onOff(on) + "\n"; !strings.Contains(string(out), want) {
			t.Errorf("ethtool -k tt0 lacks %q:\n%s", want, out)
		}
	}
}
