// Package pidns gives each lab host a PID namespace, so that everything
// a host runs dies with the host, however it detached from its command
// (setsid, a double fork, a process group of its own) and however netlua
// ends, SIGKILL included, and so that nothing outside is ever signalled.
//
// A namespace is held by its init: this very binary, re-executed from
// /proc/self/exe under the name netlua-lab-init, born as PID 1 of a new
// PID namespace. The init does nothing but read a pipe from netlua. When
// netlua closes its end (Close), or dies and the kernel closes it, the
// init reads end of file and exits, and the kernel then kills every
// process left in its namespace. The init ignores SIGCHLD, so the kernel
// reaps the orphans it adopts.
//
// Commands are forked by netlua itself, from a thread whose children go
// to the namespace (setns of pid_for_children), so netlua stays their
// parent: it waits for them, times them out and kills them as before.
// Each is born in a mount namespace of its own, where a second re-exec
// (netlua-lab-exec) does what ip netns exec does (mounts that do not
// propagate back, /sys of the host's network namespace) and also mounts
// the /proc of the PID namespace, so that ps, pgrep and kill inside see
// the host's processes under the host's numbers, and the host's Tree if
// it has one (private directories: subpaths of a detached mount cloned
// over /run, /etc/hosts, ...); then it executes the command.
//
// Both re-execs are recognised by argv[0] in this package's init, so
// every binary that links the package (netlua, its test binaries) can
// serve them. Any other run pays one string comparison.
package pidns
