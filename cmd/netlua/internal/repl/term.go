package repl

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// A tty is the terminal the editor reads keys from. It reads with
// poll(2) on the terminal and an eventfd, so that SIGTERM can wake a
// prompt that waits for a key.
type tty struct {
	fd   int
	wake int // eventfd; readable once wakeUp was called
	buf  []byte
	room [256]byte
}

// newTTY opens the wake eventfd for the terminal fd.
func newTTY(fd int) (*tty, error) {
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	return &tty{fd: fd, wake: wake}, nil
}

// wakeUp makes the current and every later read return errTerminated.
// Any goroutine may call it.
func (t *tty) wakeUp() {
	one := []byte{1, 0, 0, 0, 0, 0, 0, 0}
	unix.Write(t.wake, one)
}

func (t *tty) close() { unix.Close(t.wake) }

// readByte returns the next byte typed. With wait < 0 it waits as long as
// it takes; otherwise at most wait milliseconds, then it returns
// errNoByte.
func (t *tty) readByte(wait int) (byte, error) {
	for len(t.buf) == 0 {
		if err := t.fill(wait); err != nil {
			return 0, err
		}
	}
	b := t.buf[0]
	t.buf = t.buf[1:]
	return b, nil
}

var errNoByte = errors.New("no byte within the wait")

// fill waits for input and reads what there is.
func (t *tty) fill(wait int) error {
	fds := []unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLIN}, {Fd: int32(t.wake), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, wait)
	switch {
	case errors.Is(err, unix.EINTR):
		return nil
	case err != nil:
		return os.NewSyscallError("poll", err)
	case fds[1].Revents != 0:
		return errTerminated
	case n == 0:
		return errNoByte
	}
	n, err = unix.Read(t.fd, t.room[:])
	switch {
	case errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN):
		return nil
	case errors.Is(err, unix.EIO) || err == nil && n == 0:
		// In raw mode ^D is a key: no bytes means the terminal hung up.
		return errHangup
	case err != nil:
		return os.NewSyscallError("read", err)
	}
	t.buf = t.room[:n]
	return nil
}

// rawMode puts the terminal in raw mode for reading keys one by one, with
// output processing left on, and returns how to restore it.
func rawMode(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, os.NewSyscallError("tcgetattr", err)
	}
	raw := *old
	raw.Iflag &^= unix.BRKINT | unix.ICRNL | unix.INPCK | unix.ISTRIP | unix.IXON
	raw.Lflag &^= unix.ECHO | unix.ICANON | unix.IEXTEN | unix.ISIG
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		return nil, os.NewSyscallError("tcsetattr", err)
	}
	return func() { unix.IoctlSetTermios(fd, unix.TCSETS, old) }, nil
}

// termWidth is the terminal's width in columns, 80 if it does not say.
func termWidth(fd int) int {
	ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 80
	}
	return int(ws.Col)
}
