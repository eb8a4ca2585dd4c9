package lab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// netNamespaces returns the network namespaces held on the machine, by
// inode: those of every task (/proc/*/task/*/ns/net), those held by open
// descriptors (/proc/*/fd/*), and those pinned by mounts (mountinfo).
func netNamespaces() map[uint64]bool {
	set := map[uint64]bool{}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		addNetLinks(set, p+"/task/*/ns/net")
		addNetLinks(set, p+"/fd/*")
	}
	addMounted(set)
	return set
}

// netNamespacesOf returns the network namespaces process pid holds.
func netNamespacesOf(pid int) map[uint64]bool {
	set := map[uint64]bool{}
	p := "/proc/" + strconv.Itoa(pid)
	addNetLinks(set, p+"/task/*/ns/net")
	addNetLinks(set, p+"/fd/*")
	return set
}

// addNetLinks adds the namespaces that links matching pattern point to
// ("net:[4026532301]").
func addNetLinks(set map[uint64]bool, pattern string) {
	links, _ := filepath.Glob(pattern)
	for _, l := range links {
		target, err := os.Readlink(l)
		if err != nil {
			continue
		}
		if ino, ok := netInode(target); ok {
			set[ino] = true
		}
	}
}

// addMounted adds namespaces pinned by bind mounts, as `ip netns add` and
// Pin make them; mountinfo's root field reads "net:[N]".
func addMounted(set map[uint64]bool) {
	data, _ := os.ReadFile("/proc/self/mountinfo")
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 3 {
			if ino, ok := netInode(fields[3]); ok {
				set[ino] = true
			}
		}
	}
}

// netInode parses "net:[4026532301]".
func netInode(s string) (uint64, bool) {
	s, ok := strings.CutPrefix(s, "net:[")
	if !ok {
		return 0, false
	}
	ino, err := strconv.ParseUint(strings.TrimSuffix(s, "]"), 10, 64)
	return ino, err == nil
}
