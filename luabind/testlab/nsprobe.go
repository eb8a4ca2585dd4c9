package testlab

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/internal/netns"
)

// An NSProbe tells when a network namespace is destroyed, without holding
// it: a veth pair with one end inside it and the other in a namespace of
// the test. The kernel deletes the pair with the namespace.
type NSProbe struct {
	home *netns.NS // the test's namespace, with the probe's end
}

// ProbeNamespace puts a probe into the namespace ns ("net:[N]", as
// readlink /proc/self/ns/net prints it inside) that process pid holds by
// a descriptor.
func ProbeNamespace(t *testing.T, pid int, ns string) *NSProbe {
	t.Helper()
	path := nsDescriptor(t, pid, ns)
	home, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { home.Close() })
	ip := exec.Command("ip", "link", "add", "probe", "type", "veth", "peer", "name", "probe", "netns", path)
	var out strings.Builder
	ip.Stdout, ip.Stderr = &out, &out
	if err := home.Do(ip.Start); err != nil {
		t.Fatal(err)
	}
	if err := ip.Wait(); err != nil {
		t.Fatalf("ip link add: %v\n%s", err, out.String())
	}
	p := &NSProbe{home: home}
	if p.Gone(t, 0) {
		t.Fatal("the probe is not there")
	}
	return p
}

// nsDescriptor is the /proc path of a descriptor by which process pid
// holds the namespace ns ("net:[N]").
func nsDescriptor(t *testing.T, pid int, ns string) string {
	t.Helper()
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, fd := range fds {
		if target, _ := os.Readlink(fd); target == ns {
			return fd
		}
	}
	t.Fatalf("process %d holds no descriptor of %s", pid, ns)
	return ""
}

// Gone waits until the probe's end has vanished, for at most d.
func (p *NSProbe) Gone(t *testing.T, d time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := p.home.Do(func() error {
			_, err := net.InterfaceByName("probe")
			return err
		})
		switch {
		case err != nil && strings.Contains(err.Error(), "no such network interface"):
			return true
		case err != nil:
			t.Fatal(err)
		case time.Now().After(deadline):
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// RunEndingProbed runs script as RunEnding does, where the script prints
// its pid, then the namespaces it wants watched ("net:[N]", as readlink
// /proc/self/ns/net prints them inside), one a line, before "ready"; it
// puts a probe in each and returns them, in that order.
func RunEndingProbed(t *testing.T, script string, e Ending) []*NSProbe {
	t.Helper()
	var probes []*NSProbe
	RunEnding(t, script, e, func(lines []string) {
		if len(lines) < 2 {
			t.Fatalf("want a pid and namespaces, got %q", lines)
		}
		pid, err := strconv.Atoi(lines[0])
		if err != nil {
			t.Fatalf("not a pid: %q", lines[0])
		}
		for _, ns := range lines[1:] {
			if !strings.HasPrefix(ns, "net:[") {
				t.Fatalf("not a namespace: %q", ns)
			}
			probes = append(probes, ProbeNamespace(t, pid, ns))
		}
	})
	return probes
}
