package inet

import (
	"encoding/binary"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// A watch is a goroutine waiting for the socket to be ready on behalf of
// the event loop (a coroutine parked in a call, an on() callback). It
// polls the descriptor beside an eventfd of its own, so that stopping it
// wakes it and nothing else; the goroutine closes the eventfd on its way out.
type watch struct {
	wake int
	once sync.Once
}

// stop wakes the watch's goroutine for good.
func (w *watch) stop() {
	w.once.Do(func() {
		var one [8]byte
		binary.NativeEndian.PutUint64(one[:], 1)
		unix.Write(w.wake, one[:])
	})
}

// Watch calls ready from a new goroutine each time the socket has one of
// events, until ready returns false, stop is called or the socket is
// closed. ready gets nil when the socket is ready, os.ErrDeadlineExceeded
// once end has passed (never when end is zero; the watch ends then), or
// net.ErrClosed when the socket closed (the watch ends too); stop ends the
// watch without a call. The watch
// polls again only after ready has returned: a callback that leaves the
// data queued is called again, as poll is level-triggered.
func (s *Socket) Watch(events int16, end time.Time, ready func(err error) bool) (stop func(), err error) {
	c, err := s.Conn()
	if err != nil {
		return nil, err
	}
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	w := &watch{wake: fd}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		unix.Close(fd)
		return nil, net.ErrClosed
	}
	if s.watches == nil {
		s.watches = map[*watch]struct{}{}
	}
	s.watches[w] = struct{}{}
	go s.run(w, c.Control, events, end, ready)
	return w.stop, nil
}

// run is the goroutine of watch w.
func (s *Socket) run(w *watch, control func(func(int) error) error, events int16, end time.Time, ready func(error) bool) {
	defer func() {
		s.mu.Lock()
		delete(s.watches, w)
		s.mu.Unlock()
		unix.Close(w.wake)
	}()
	fds := []unix.PollFd{{Events: events}, {Fd: int32(w.wake), Events: unix.POLLIN}}
	for {
		err := control(func(fd int) error {
			fds[0].Fd = int32(fd)
			return poll(fds, end)
		})
		if fds[1].Revents != 0 {
			if s.isClosed() {
				ready(net.ErrClosed)
			}
			return // stopped
		}
		if err != nil && err != os.ErrDeadlineExceeded {
			err = net.ErrClosed
		}
		if !ready(err) || err != nil {
			return
		}
	}
}

// isClosed is Closed for the goroutine of a watch.
func (s *Socket) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// poll waits in ppoll until one of fds is ready or end passes.
func poll(fds []unix.PollFd, end time.Time) error {
	for {
		var ts *unix.Timespec
		if !end.IsZero() {
			d := time.Until(end)
			if d <= 0 {
				return os.ErrDeadlineExceeded
			}
			t := unix.NsecToTimespec(int64(d))
			ts = &t
		}
		n, err := unix.Ppoll(fds, ts, nil)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return os.NewSyscallError("ppoll", err)
		case n == 0:
			return os.ErrDeadlineExceeded
		}
		return nil
	}
}
