package lab

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/netlua/netlua/luabind/lab/internal/pidns"
	"golang.org/x/sys/unix"
)

// privateDirs are the directories a host with private directories has
// its own of, empty at first: where daemons keep pid files, sockets,
// leases and logs by default (dnsmasq's /run/dnsmasq.pid and
// /var/lib/misc/dnsmasq.leases, bird's /run/bird, iperf3's --pidfile),
// so that the same daemon runs in several hosts without clashing.
// Those the machine lacks are left out.
var privateDirs = []string{"/run", "/var/run", "/var/lib/misc", "/var/log"}

// privateFiles are the files a host with private directories has its
// own of: /etc/hosts, written by the lab, and /etc/resolv.conf, empty
// until the script writes it.
var privateFiles = []string{"/etc/hosts", "/etc/resolv.conf"}

// A privateTree is a host's private directories: a tmpfs of its own,
// mounted nowhere in netlua (a detached mount, held by a descriptor), so
// that it vanishes with the host or with netlua, SIGKILL included; every
// command of the host sees its parts over the machine's paths.
type privateTree struct {
	mount *os.File
	dir   string // the tree as netlua reaches it: /proc/<pid>/fd/<n>
	hosts string // where /etc/hosts is in dir
	binds []pidns.Bind
}

// newPrivateTree makes a host's private tree: the directories and
// files of privateDirs and privateFiles, at their paths (symbolic links
// resolved) under dir.
func newPrivateTree() (*privateTree, error) {
	f, err := detachedTmpfs()
	if err != nil {
		return nil, fmt.Errorf("private directories: %w", err)
	}
	t := &privateTree{mount: f, dir: fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), f.Fd())}
	if err := t.populate(); err != nil {
		f.Close()
		return nil, fmt.Errorf("private directories: %w", err)
	}
	return t, nil
}

// detachedTmpfs makes a tmpfs mounted nowhere and returns its root.
func detachedTmpfs() (*os.File, error) {
	fs, err := unix.Fsopen("tmpfs", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("fsopen tmpfs", err)
	}
	defer unix.Close(fs)
	if err := unix.FsconfigSetString(fs, "mode", "0755"); err != nil {
		return nil, os.NewSyscallError("fsconfig mode", err)
	}
	if err := unix.FsconfigCreate(fs); err != nil {
		return nil, os.NewSyscallError("fsconfig create", err)
	}
	m, err := unix.Fsmount(fs, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_NODEV|unix.MOUNT_ATTR_NOSUID)
	if err != nil {
		return nil, os.NewSyscallError("fsmount", err)
	}
	return os.NewFile(uintptr(m), "private tmpfs"), nil
}

// populate makes the directories and files of the tree and lists what
// goes over what. A file whose real path lies in a private directory
// (/etc/resolv.conf as a link into /run) is made there, with a link at
// its own place for the script, and needs no mount of its own.
func (t *privateTree) populate() error {
	var covered []string
	for _, d := range privateDirs {
		real, err := filepath.EvalSymlinks(d)
		if err != nil || contains(covered, real) {
			continue
		}
		covered = append(covered, real)
		if err := os.MkdirAll(t.dir+real, 0o755); err != nil {
			return err
		}
		t.binds = append(t.binds, pidns.Bind{Sub: real[1:], Target: real})
	}
	for _, f := range privateFiles {
		real, err := filepath.EvalSymlinks(f)
		if err != nil {
			continue // no such file to cover
		}
		if err := t.makeFile(f, real, covered); err != nil {
			return err
		}
	}
	return nil
}

// makeFile makes the tree's file f, whose real path is real.
func (t *privateTree) makeFile(f, real string, covered []string) error {
	if err := os.MkdirAll(filepath.Dir(t.dir+f), 0o755); err != nil {
		return err
	}
	at := f
	if under(real, covered) {
		at = real
		if err := os.MkdirAll(filepath.Dir(t.dir+real), 0o755); err != nil {
			return err
		}
		rel, err := filepath.Rel(filepath.Dir(f), real)
		if err == nil {
			err = os.Symlink(rel, t.dir+f)
		}
		if err != nil {
			return err
		}
	} else {
		t.binds = append(t.binds, pidns.Bind{Sub: f[1:], Target: real})
	}
	if f == "/etc/hosts" {
		t.hosts = at
	}
	return os.WriteFile(t.dir+at, nil, 0o644)
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// under reports whether path lies in one of dirs.
func under(path string, dirs []string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(path, d+"/") {
			return true
		}
	}
	return false
}

// writeHosts writes the tree's /etc/hosts: localhost, then every
// address of every host of hosts with its name, in host and link order,
// so that getent and resolvers inside find the lab's names. It rewrites
// the file in place: commands already running see the new text.
func (t *privateTree) writeHosts(hosts []*Host) error {
	if t.hosts == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n# the lab's hosts, written by netlua\n")
	for _, h := range hosts {
		for _, e := range h.ends {
			for _, p := range endAddrs(e) {
				fmt.Fprintf(&b, "%s\t%s\n", p.Addr(), h.name)
			}
		}
	}
	return os.WriteFile(t.dir+t.hosts, []byte(b.String()), 0o644)
}

// close lets the tree go: it vanishes once no command's mount
// namespace holds a part of it.
func (t *privateTree) close() error {
	err := t.mount.Close()
	if errors.Is(err, os.ErrClosed) {
		return nil
	}
	return err
}

// tree is what the host's commands see over the machine's paths, or nil.
func (h *Host) tree() *pidns.Tree {
	if h.private == nil {
		return nil
	}
	return &pidns.Tree{Mount: h.private.mount, Binds: h.private.binds}
}

// Dir is the host's private directory tree as netlua reaches it
// (/proc/<pid>/fd/<n>; its etc/hosts, etc/resolv.conf, run, var/lib/misc
// and var/log are what the host's commands see at /etc/hosts, ...), or ""
// when the host has none (Config.Private).
func (h *Host) Dir() string {
	if h.private == nil {
		return ""
	}
	return h.private.dir
}

// makePrivate gives the host its private tree.
func (l *Lab) makePrivate(h *Host) error {
	t, err := newPrivateTree()
	if err != nil {
		return err
	}
	h.private = t
	h.lab = l
	h.track("lab host "+h.name+" private directories", t.close)
	return nil
}

// updatePrivate writes the host's /etc/hosts from the lab as it is now,
// before a command starts in it.
func (h *Host) updatePrivate() error {
	if h.private == nil {
		return nil
	}
	return h.private.writeHosts(h.lab.hosts)
}
