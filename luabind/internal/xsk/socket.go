// Package xsk is AF_XDP sockets: a UMEM of frames shared with the
// kernel, its fill and completion rings, the socket's rx and tx rings,
// all mmapped, and the XDP program that redirects received frames to a
// socket (see Redirect). It has no Lua in it.
//
// A socket binds to one queue of one interface. It asks for zero copy
// where the driver offers it and falls back to copy mode (veth has only
// copy mode); it always uses need_wakeup, so that it makes a system call
// only when the kernel asks for one.
package xsk

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Mode is how a socket's frames move between the UMEM and the driver.
type Mode int

// The modes: Auto is zero copy where the driver offers it, else copy.
const (
	Auto Mode = iota
	Copy
	ZeroCopy
)

func (m Mode) String() string {
	return [...]string{"auto", "copy", "zerocopy"}[m]
}

// Options say what socket to open.
type Options struct {
	Ifindex int // interface, in the calling thread's network namespace
	Queue   int // its queue
	Mode    Mode
	RX, TX  bool // which rings the socket has; at least one
	// Frames is the UMEM's number of frames, a power of two; 4096 when 0.
	Frames int
}

// FrameSize is the size of a UMEM frame: a page's half, room for any
// frame of a 1500-byte MTU (and jumbo frames up to it).
const FrameSize = 2048

// DefaultFrames is the UMEM's frames when Options.Frames is 0.
const DefaultFrames = 4096

// A Socket is an AF_XDP socket bound to a queue with its UMEM.
type Socket struct {
	fd     int
	umem   []byte
	frames uint32
	mode   Mode
	fill   *ring
	comp   *ring
	rx     *ring
	tx     *ring
	pfd    []unix.PollFd
	// The local copies of the indexes this side moves, and of the
	// producer of the tx ring.
	fillProd, compCons, rxCons, txProd uint32
}

// Open opens a socket. In mode Auto, a driver that refuses zero copy
// gets a second socket in copy mode.
func Open(opt Options) (*Socket, error) {
	if !opt.RX && !opt.TX {
		return nil, errors.New("xsk: a socket needs an rx or a tx ring")
	}
	if opt.Frames == 0 {
		opt.Frames = DefaultFrames
	}
	if opt.Frames < 64 || opt.Frames&(opt.Frames-1) != 0 {
		return nil, fmt.Errorf("xsk: %d frames: want a power of two, 64 or more", opt.Frames)
	}
	if opt.Mode != Auto {
		return open(opt, opt.Mode)
	}
	s, err := open(opt, ZeroCopy)
	if err == nil || !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EINVAL) {
		return s, err
	}
	return open(opt, Copy)
}

func open(opt Options, mode Mode) (*Socket, error) {
	fd, err := unix.Socket(unix.AF_XDP, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, socketError(err)
	}
	s := &Socket{fd: fd, frames: uint32(opt.Frames), mode: mode}
	if err := s.setup(opt, mode); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// setup registers the UMEM, maps the rings and binds the socket.
func (s *Socket) setup(opt Options, mode Mode) error {
	if err := s.register(); err != nil {
		return err
	}
	if err := s.mapRings(opt); err != nil {
		return err
	}
	flags := uint16(unix.XDP_USE_NEED_WAKEUP | unix.XDP_COPY)
	if mode == ZeroCopy {
		flags = unix.XDP_USE_NEED_WAKEUP | unix.XDP_ZEROCOPY
	}
	sa := &unix.SockaddrXDP{Flags: flags, Ifindex: uint32(opt.Ifindex), QueueID: uint32(opt.Queue)}
	if err := unix.Bind(s.fd, sa); err != nil {
		return bindError(opt, mode, err)
	}
	s.pfd = []unix.PollFd{{Fd: int32(s.fd)}}
	return nil
}

// register allocates the UMEM and registers it with the socket.
func (s *Socket) register() error {
	size := int(s.frames) * FrameSize
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_POPULATE)
	if err != nil {
		return fmt.Errorf("xsk: umem of %d bytes: %w", size, err)
	}
	s.umem = mem
	reg := unix.XDPUmemReg{Addr: uint64(uintptr(unsafe.Pointer(&mem[0]))), Len: uint64(size), Size: FrameSize}
	err = setsockopt(s.fd, unix.XDP_UMEM_REG, unsafe.Pointer(&reg), unsafe.Sizeof(reg))
	if errors.Is(err, unix.ENOBUFS) {
		return fmt.Errorf("xsk: register umem of %d KiB: %w (over the locked memory limit, ulimit -l, shared by the user's processes; root or CAP_IPC_LOCK has none)", size>>10, err)
	} else if err != nil {
		return fmt.Errorf("xsk: register umem: %w", err)
	}
	return nil
}

// mapRings sizes and mmaps the rings: fill and completion (which the
// kernel wants on every UMEM), and those opt asks for, each as big as
// the UMEM so that every frame can be in any ring.
func (s *Socket) mapRings(opt Options) error {
	n := s.frames
	for _, o := range []struct {
		name int
		want bool
	}{{unix.XDP_UMEM_FILL_RING, true}, {unix.XDP_UMEM_COMPLETION_RING, true}, {unix.XDP_RX_RING, opt.RX}, {unix.XDP_TX_RING, opt.TX}} {
		if !o.want {
			continue
		}
		if err := unix.SetsockoptInt(s.fd, unix.SOL_XDP, o.name, int(n)); err != nil {
			return fmt.Errorf("xsk: ring size: %w", err)
		}
	}
	var off unix.XDPMmapOffsets
	size := uint32(unsafe.Sizeof(off))
	if _, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(s.fd), unix.SOL_XDP, unix.XDP_MMAP_OFFSETS,
		uintptr(unsafe.Pointer(&off)), uintptr(unsafe.Pointer(&size)), 0); e != 0 {
		return fmt.Errorf("xsk: ring offsets: %w", e)
	}
	const descSize = uint32(unsafe.Sizeof(unix.XDPDesc{}))
	var err error
	if s.fill, err = mapRing(s.fd, off.Fr, unix.XDP_UMEM_PGOFF_FILL_RING, n, 8); err != nil {
		return err
	}
	if s.comp, err = mapRing(s.fd, off.Cr, unix.XDP_UMEM_PGOFF_COMPLETION_RING, n, 8); err != nil {
		return err
	}
	if opt.RX {
		if s.rx, err = mapRing(s.fd, off.Rx, unix.XDP_PGOFF_RX_RING, n, descSize); err != nil {
			return err
		}
	}
	if opt.TX {
		if s.tx, err = mapRing(s.fd, off.Tx, unix.XDP_PGOFF_TX_RING, n, descSize); err != nil {
			return err
		}
	}
	return nil
}

// Mode is the mode the socket got.
func (s *Socket) Mode() Mode { return s.mode }

// FD is the socket's file descriptor.
func (s *Socket) FD() int { return s.fd }

// Frame is the UMEM frame i, 0 <= i < the number of frames.
func (s *Socket) Frame(i int) []byte {
	return s.umem[i*FrameSize : (i+1)*FrameSize : (i+1)*FrameSize]
}

// Frames is the number of frames in the UMEM.
func (s *Socket) Frames() int { return int(s.frames) }

// Stats are the socket's counters (XDP_STATISTICS).
func (s *Socket) Stats() (unix.XDPStatistics, error) {
	var st unix.XDPStatistics
	size := uint32(unsafe.Sizeof(st))
	if _, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(s.fd), unix.SOL_XDP, unix.XDP_STATISTICS,
		uintptr(unsafe.Pointer(&st)), uintptr(unsafe.Pointer(&size)), 0); e != 0 {
		return st, fmt.Errorf("xsk: statistics: %w", e)
	}
	return st, nil
}

// Close unmaps the rings and the UMEM and closes the socket.
func (s *Socket) Close() error {
	for _, r := range []*ring{s.fill, s.comp, s.rx, s.tx} {
		r.unmap()
	}
	err := unix.Close(s.fd)
	if s.umem != nil {
		_ = unix.Munmap(s.umem)
		s.umem = nil
	}
	return err
}

func setsockopt(fd, name int, p unsafe.Pointer, size uintptr) error {
	if _, _, e := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), unix.SOL_XDP, uintptr(name), uintptr(p), size, 0); e != 0 {
		return e
	}
	return nil
}

// socketError says what a refused socket(AF_XDP) lacks.
func socketError(err error) error {
	switch {
	case errors.Is(err, unix.EAFNOSUPPORT):
		return fmt.Errorf("xsk: socket: %w (the kernel has no AF_XDP: CONFIG_XDP_SOCKETS)", err)
	case errors.Is(err, unix.EPERM):
		return fmt.Errorf("xsk: socket: %w (needs CAP_NET_RAW)", err)
	}
	return fmt.Errorf("xsk: socket: %w", err)
}

// bindError says why the bind to the interface's queue failed.
func bindError(opt Options, mode Mode, err error) error {
	what := fmt.Sprintf("xsk: bind to interface %d queue %d in %s mode", opt.Ifindex, opt.Queue, mode)
	switch {
	case errors.Is(err, unix.EINVAL) && mode == Copy:
		return fmt.Errorf("%s: %w (no such queue on the interface?)", what, err)
	case errors.Is(err, unix.EOPNOTSUPP):
		return fmt.Errorf("%s: %w (the driver does not offer it)", what, err)
	case errors.Is(err, unix.EBUSY):
		return fmt.Errorf("%s: %w (another socket holds the queue)", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}
