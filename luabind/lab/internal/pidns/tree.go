package pidns

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// A Tree is a directory tree that every command of a namespace sees over
// some of the machine's paths (its own /run, /etc/hosts, ...): a
// detached mount, made with fsmount(2) and held by this process only, so
// it vanishes when the holder closes it or dies. The exec step clones a
// subpath of it (open_tree(2)) onto each target, in the command's own
// mount namespace, so commands of one host share the tree and nothing
// reaches the machine's mounts.
type Tree struct {
	Mount *os.File // the detached mount's root
	Binds []Bind   // in the order they are mounted
}

// A Bind puts the tree's Sub (a relative path) over Target (absolute,
// symbolic links resolved) in a command's view.
type Bind struct{ Sub, Target string }

// treeFD is the exec step's descriptor of the tree's mount, after reportFD.
const treeFD = reportFD + 1

// encodeBinds writes binds as one argument of the exec step: "sub\ttarget"
// lines. Paths holding a tab or a newline cannot be written so.
func encodeBinds(binds []Bind) (string, error) {
	var b strings.Builder
	for _, bd := range binds {
		if strings.ContainsAny(bd.Sub+bd.Target, "\t\n") {
			return "", fmt.Errorf("pidns: %q over %q: a path with a tab or newline", bd.Sub, bd.Target)
		}
		fmt.Fprintf(&b, "%s\t%s\n", bd.Sub, bd.Target)
	}
	return b.String(), nil
}

// decodeBinds reads what encodeBinds wrote.
func decodeBinds(s string) []Bind {
	var binds []Bind
	for _, line := range strings.Split(s, "\n") {
		if sub, target, ok := strings.Cut(line, "\t"); ok {
			binds = append(binds, Bind{sub, target})
		}
	}
	return binds
}

// mountTree mounts the binds of the tree at treeFD, in the exec step's
// mount namespace. The descriptor is closed on exec: the command gets
// the mounts, not the tree.
func mountTree(binds []Bind) error {
	if len(binds) == 0 {
		return nil
	}
	unix.CloseOnExec(treeFD)
	for _, b := range binds {
		if err := bindTree(b); err != nil {
			return err
		}
	}
	return nil
}

// bindTree clones the tree's b.Sub and moves the clone over b.Target.
func bindTree(b Bind) error {
	clone, err := unix.OpenTree(treeFD, b.Sub, unix.OPEN_TREE_CLONE|unix.OPEN_TREE_CLOEXEC)
	if err != nil {
		if errors.Is(err, unix.EINVAL) {
			err = fmt.Errorf("%w (cloning a detached mount needs a newer kernel; 6.18 does it)", err)
		}
		return &os.PathError{Op: "open_tree of the host's private tree", Path: b.Sub, Err: err}
	}
	defer unix.Close(clone)
	err = unix.MoveMount(clone, "", unix.AT_FDCWD, b.Target, unix.MOVE_MOUNT_F_EMPTY_PATH)
	if err != nil {
		return &os.PathError{Op: "move_mount of the host's private " + b.Sub + " over", Path: b.Target, Err: err}
	}
	return nil
}
