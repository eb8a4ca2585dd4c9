package nlowner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/testlab"
)

// /proc/net/netlink as Linux 6.x writes it: two sockets of NETLINK_ROUTE
// (0), one of NETLINK_NETFILTER (12) bound to port 4242.
const sampleList = `sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
000000007306c6b5 0   0          00000000 0        0        0     2        0        4       
000000009283355d 0   4242       00000000 0        0        0     2        0        1248    
00000000c0ffee00 12  4242       00000000 0        0        0     2        0        98765   
`

func TestInodeOf(t *testing.T) {
	tests := []struct {
		protocol int
		port     uint32
		want     string
	}{
		{unix.NETLINK_NETFILTER, 4242, "98765"},
		{unix.NETLINK_ROUTE, 4242, "1248"},
		{unix.NETLINK_NETFILTER, 4243, ""},
		{unix.NETLINK_NETFILTER, 0, ""},
	}
	for _, tt := range tests {
		if got := inodeOf(sampleList, tt.protocol, tt.port); got != tt.want {
			t.Errorf("inodeOf(%d, %d) = %q, want %q", tt.protocol, tt.port, got, tt.want)
		}
	}
}

// holder finds the process by the link of one of its descriptors, in a
// /proc made of directories and symbolic links.
func TestHolder(t *testing.T) {
	proc := t.TempDir()
	for pid, links := range map[string][]string{
		"1":      {"/dev/null", "socket:[11]"},
		"77":     {"pipe:[5]", "socket:[98765]"},
		"self":   {"socket:[98765]"}, // not a process directory
		"sys":    nil,
		"123456": nil, // a process whose descriptors cannot be read
	} {
		fds := filepath.Join(proc, pid, "fd")
		if err := os.MkdirAll(fds, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, l := range links {
			if err := os.Symlink(l, filepath.Join(fds, fmt.Sprint(i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := holder(proc, "socket:[98765]"); got != 77 {
		t.Errorf("holder = %d, want 77", got)
	}
	if got := holder(proc, "socket:[4]"); got != 0 {
		t.Errorf("holder of a socket nobody holds = %d, want 0", got)
	}
}

// A netfilter socket this process opens in a namespace of its own is
// named after this process, whatever port the kernel gave it.
func TestNameFindsThisProcess(t *testing.T) {
	testlab.Privileged(t)
	ns, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	var fd int
	err = ns.Do(func() (err error) {
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_NETFILTER)
		if err == nil {
			err = unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*unix.SockaddrNetlink).Pid
	comm, _ := os.ReadFile("/proc/self/comm")
	want := fmt.Sprintf("pid %d (%s)", os.Getpid(), strings.TrimSpace(string(comm)))
	if got := Name(ns, unix.NETLINK_NETFILTER, port); got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
	if got := Name(ns, unix.NETLINK_NETFILTER, port+1); got != Unknown {
		t.Errorf("Name of a port nobody has = %q, want %q", got, Unknown)
	}
}
