package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// labNamespaces returns the network namespaces ("net:[N]") that process
// pid holds, by its threads or its descriptors, other than this test's
// own: those of a netlua run's labs.
func labNamespaces(t *testing.T, pid int) []string {
	t.Helper()
	own, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	var held []string
	for _, pattern := range []string{"/proc/%d/task/*/ns/net", "/proc/%d/fd/*"} {
		links, _ := filepath.Glob(fmt.Sprintf(pattern, pid))
		for _, l := range links {
			target, err := os.Readlink(l)
			if err == nil && strings.HasPrefix(target, "net:[") && target != own && !slices.Contains(held, target) {
				held = append(held, target)
			}
		}
	}
	return held
}
