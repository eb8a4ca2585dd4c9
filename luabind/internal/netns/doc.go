// Package netns holds Linux network namespaces by file descriptor and runs
// code inside them without ever leaving a thread in the wrong namespace.
//
// A namespace belongs to a thread, not to a process, so every switch
// happens on a fresh goroutine locked to its OS thread: the thread enters
// the namespace, does the work, and goes back. If going back fails, the
// goroutine exits still locked and the Go runtime destroys the thread
// rather than reuse it.
//
// An anonymous namespace made by New lives as long as its descriptor (and
// any socket or process inside it), so it vanishes with the process, even
// on SIGKILL. Pin gives it a name under /run/netns for `ip netns exec`.
package netns
