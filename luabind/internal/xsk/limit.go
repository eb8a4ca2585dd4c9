package xsk

import (
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/caps"
)

// FramesFor is how many frames the UMEMs of n sockets may each have,
// up to want (a power of two): all of it, unless the kernel counts them
// against RLIMIT_MEMLOCK (a process without CAP_IPC_LOCK, such as netlua
// under setcap), whose quarter they then share, leaving the rest to the
// user's other processes and to sockets the kernel has yet to free. It is
// at least 64, a power of two.
func FramesFor(want, n int) int {
	if caps.Have(caps.IPCLock) {
		return want
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim); err != nil || lim.Cur == unix.RLIM_INFINITY {
		return want
	}
	frames := want
	for frames > 64 && uint64(frames*FrameSize*max(n, 1)) > lim.Cur/4 {
		frames /= 2
	}
	return frames
}
