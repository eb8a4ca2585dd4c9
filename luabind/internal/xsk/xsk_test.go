package xsk

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Open refuses, before any system call, a socket with no ring and a UMEM
// that is not a power of two of 64 frames or more.
func TestOpenChecksOptions(t *testing.T) {
	for _, tt := range []struct {
		opt  Options
		want string
	}{
		{Options{Ifindex: 1}, "needs an rx or a tx ring"},
		{Options{Ifindex: 1, RX: true, Frames: 100}, "100 frames: want a power of two, 64 or more"},
		{Options{Ifindex: 1, TX: true, Frames: 32}, "32 frames: want a power of two, 64 or more"},
	} {
		if _, err := Open(tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%+v): %v, want %q", tt.opt, err, tt.want)
		}
	}
}

// FramesFor fits the UMEMs of n sockets in a quarter of RLIMIT_MEMLOCK
// when the kernel counts them (no CAP_IPC_LOCK), else gives what is wanted.
func TestFramesFor(t *testing.T) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 8} {
		got := FramesFor(16384, n)
		if got < 64 || got > 16384 || got&(got-1) != 0 {
			t.Fatalf("FramesFor(16384, %d) = %d, want a power of two from 64 to 16384", n, got)
		}
		counted := lim.Cur != unix.RLIM_INFINITY && !hasIPCLock()
		if !counted && got != 16384 {
			t.Errorf("FramesFor(16384, %d) = %d with no limit to keep, want 16384", n, got)
		}
		if counted && got > 64 && uint64(got*FrameSize*n) > lim.Cur/4 {
			t.Errorf("FramesFor(16384, %d) = %d: %d bytes, over a quarter of the limit %d", n, got, got*FrameSize*n, lim.Cur)
		}
	}
}

// hasIPCLock reads CAP_IPC_LOCK from the effective set.
func hasIPCLock() bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return true
	}
	return data[unix.CAP_IPC_LOCK/32].Effective&(1<<(unix.CAP_IPC_LOCK%32)) != 0
}
