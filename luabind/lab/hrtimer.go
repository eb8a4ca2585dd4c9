package lab

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// An hrTimer is a one-shot timer on a timerfd, which the kernel fires
// from a high-resolution timer and Go's netpoller reports at once: some
// tens of microseconds late. Go's own timers fire up to a millisecond
// late on Linux (the netpoller's epoll waits in whole milliseconds),
// which would put a 10 ms delay 5% off.
type hrTimer struct {
	C    <-chan struct{} // has a value when the timer has fired
	fd   int
	file *os.File
}

// newHRTimer makes a stopped timer and the goroutine that reads it.
func newHRTimer() (*hrTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("timerfd: %w", err)
	}
	c := make(chan struct{}, 1)
	t := &hrTimer{C: c, fd: fd, file: os.NewFile(uintptr(fd), "timerfd")}
	go t.read(c)
	return t, nil
}

// read passes each expiry on to c until the timer is closed.
func (t *hrTimer) read(c chan<- struct{}) {
	buf := make([]byte, 8)
	for {
		if _, err := t.file.Read(buf); err != nil {
			return
		}
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// Set fires the timer once, d from now (at once for d <= 0), replacing
// any time it was set for.
func (t *hrTimer) Set(d time.Duration) error {
	// A zero time would disarm the timer.
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(max(int64(d), 1))}
	return unix.TimerfdSettime(t.fd, 0, &spec, nil)
}

// Close stops the timer and its goroutine.
func (t *hrTimer) Close() error { return t.file.Close() }
