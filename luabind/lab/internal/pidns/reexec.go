package pidns

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The names this binary runs under when re-executed: argv[0] of a
// host's init, and of the step that sets up a command's mounts and
// executes it. The init's name is also its comm, as ps shows it.
const (
	initName = "netlua-lab-init"
	execName = "netlua-lab-exec"
)

// reportFD is the exec step's descriptor for a failure report: a pipe
// closed on exec, so netlua reads end of file when the command starts.
const reportFD = 3

// exitExecFailed is the exec step's status when it could not start the
// command, as a shell's for a command it cannot run.
const exitExecFailed = 127

func init() {
	switch {
	case os.Args[0] == initName && len(os.Args) == 2:
		initMain()
	case os.Args[0] == execName && len(os.Args) >= 4:
		execMain(decodeBinds(os.Args[1]), os.Args[2], os.Args[3:])
	}
}

// initMain is a host's init: it waits for end of file on its standard
// input, then exits, which ends every process in its namespace.
func initMain() {
	setName(initName)
	// SIGCHLD ignored: the kernel reaps the orphans reparented here. The
	// others: only netlua decides when the namespace ends (a process
	// inside may signal its init only with signals the init handles).
	signal.Ignore(syscall.SIGCHLD, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT,
		syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM)
	os.Stdout.Write([]byte{'.'}) // ready: New returns, commands may start
	os.Stdout.Close()
	io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// setName sets the name ps shows for this process (its main thread's,
// which runs package initialisation), instead of "exe".
func setName(name string) {
	if p, err := unix.BytePtrFromString(name); err == nil {
		unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(p)), 0, 0, 0)
	}
}

// execMain runs in a command's new mount namespace: it gives the command
// the host's view of /proc and /sys, and the host's tree over the binds'
// targets, and executes path, or reports why not.
func execMain(binds []Bind, path string, argv []string) {
	unix.CloseOnExec(reportFD)
	err := mountView()
	if err == nil {
		err = mountTree(binds)
	}
	if err == nil {
		err = &os.PathError{Op: "exec", Path: path, Err: syscall.Exec(path, argv, os.Environ())}
	}
	unix.Write(reportFD, []byte(encodeReport(err)))
	os.Exit(exitExecFailed)
}

// mountView does what ip netns exec does to the mount namespace, and
// mounts a /proc of the PID namespace.
func mountView() error {
	// Nothing mounted here propagates back to netlua's namespace.
	if err := unix.Mount("", "/", "", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return &os.PathError{Op: "mount --make-rslave", Path: "/", Err: err}
	}
	const flags = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC
	if err := remount("proc", "/proc", flags); err != nil {
		return err
	}
	return remount("sysfs", "/sys", flags)
}

// remount replaces what is mounted at target with a new instance of
// fstype, which describes the namespaces of this process. When the old
// mount cannot be detached the new one covers it, read-only if the old
// one is: a read-only mount cannot be covered read-write.
func remount(fstype, target string, flags uintptr) error {
	if unix.Unmount(target, unix.MNT_DETACH) != nil {
		var st unix.Statfs_t
		if unix.Statfs(target, &st) == nil && st.Flags&unix.ST_RDONLY != 0 {
			flags |= unix.MS_RDONLY
		}
	}
	if err := unix.Mount(fstype, target, fstype, flags, ""); err != nil {
		return &os.PathError{Op: "mount " + fstype + " on", Path: target, Err: err}
	}
	return nil
}

// A startError is why the exec step could not start a command, as it
// reported it: the message, and the errno under it for errors.Is.
type startError struct {
	msg   string
	errno syscall.Errno
}

func (e *startError) Error() string { return e.msg }
func (e *startError) Unwrap() error { return e.errno }

// encodeReport writes err as "errno message".
func encodeReport(err error) string {
	var errno syscall.Errno
	errors.As(err, &errno)
	return fmt.Sprintf("%d %s", errno, err)
}

// decodeReport reads what encodeReport wrote; nothing means no error.
func decodeReport(s string) error {
	if s == "" {
		return nil
	}
	num, msg, _ := strings.Cut(s, " ")
	n, _ := strconv.Atoi(num)
	return &startError{msg: msg, errno: syscall.Errno(n)}
}
