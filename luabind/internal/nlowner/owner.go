package nlowner

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// Unknown is what Name says of an owner it cannot find.
const Unknown = "another process"

// netlinkList lists the netlink sockets of the calling thread's namespace.
const netlinkList = "/proc/thread-self/net/netlink"

// Name names the process holding the netlink socket of protocol (such as
// unix.NETLINK_NETFILTER) bound to port in namespace ns (nil: the current
// one): "pid 1234 (netlua)", or Unknown.
func Name(ns *netns.NS, protocol int, port uint32) string {
	var list []byte
	_ = sock.InNS(ns, func() (err error) {
		list, err = os.ReadFile(netlinkList)
		return err
	})
	inode := inodeOf(string(list), protocol, port)
	if inode == "" {
		return Unknown
	}
	pid := holder("/proc", "socket:["+inode+"]")
	if pid == 0 {
		return Unknown
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return fmt.Sprintf("pid %d", pid)
	}
	return fmt.Sprintf("pid %d (%s)", pid, strings.TrimSpace(string(comm)))
}

// inodeOf finds the socket of protocol bound to port in list, the text of
// /proc/net/netlink, and returns its inode, or "". Its columns are sk,
// Eth (the protocol), Pid (the port ID), Groups, Rmem, Wmem, Dump,
// Locks, Drops and Inode.
func inodeOf(list string, protocol int, port uint32) string {
	proto, portID := strconv.Itoa(protocol), strconv.FormatUint(uint64(port), 10)
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) >= 10 && f[1] == proto && f[2] == portID {
			return f[9]
		}
	}
	return ""
}

// holder is the first process under proc with a descriptor linked to
// link ("socket:[1234]"), or 0.
func holder(proc, link string) int {
	entries, _ := os.ReadDir(proc)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		fds := filepath.Join(proc, e.Name(), "fd")
		names, _ := os.ReadDir(fds)
		for _, fd := range names {
			if target, err := os.Readlink(filepath.Join(fds, fd.Name())); err == nil && target == link {
				return pid
			}
		}
	}
	return 0
}
