package xsk

import (
	"errors"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// The hot paths: none allocates.

// ErrDropped is Kick's report that the device refused a frame: the
// kernel completed it unsent (a veth's peer with a full backlog).
var ErrDropped = errors.New("xsk: the device dropped a frame")

// Put writes a descriptor of length bytes of the UMEM frame i into the
// tx ring, unseen by the kernel until Submit. The caller keeps track of
// room: a ring as big as the UMEM has room for every frame not in flight.
func (s *Socket) Put(i int, length int) {
	d := s.tx.xdpDesc(s.txProd)
	d.Addr = uint64(i) * FrameSize
	d.Len = uint32(length)
	d.Options = 0
	s.txProd++
}

// Submit hands the descriptors Put to the kernel and, if it asks for it
// (in copy mode, always), makes it send them. A frame the device refused
// comes back as ErrDropped; a full device queue, completion ring or send
// buffer (copy mode's buffers count against SO_SNDBUF until the receiver
// frees them) is no error: Completed frees room, then Submit again.
func (s *Socket) Submit() error {
	atomic.StoreUint32(s.tx.producer, s.txProd)
	if !s.tx.needWakeup() {
		return nil
	}
	_, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(s.fd), 0, 0, unix.MSG_DONTWAIT, 0, 0)
	switch e {
	case 0, unix.EAGAIN, unix.ENOBUFS, unix.ENOMEM:
		return nil
	case unix.EBUSY:
		return ErrDropped
	}
	return e
}

// Pending is how many descriptors the tx ring holds that the kernel
// has not taken yet.
func (s *Socket) Pending() int { return int(s.txProd - atomic.LoadUint32(s.tx.consumer)) }

// Completed takes the frames the kernel is done with off the completion
// ring and says how many there were. Frames complete in the order they
// were Put.
func (s *Socket) Completed() int {
	n := s.comp.ready(s.compCons)
	if n > 0 {
		s.compCons += n
		atomic.StoreUint32(s.comp.consumer, s.compCons)
	}
	return int(n)
}

// Fill gives the kernel the UMEM frames from..to-1 to receive into.
func (s *Socket) Fill(from, to int) {
	for i := from; i < to; i++ {
		*s.fill.addr(s.fillProd) = uint64(i) * FrameSize
		s.fillProd++
	}
	atomic.StoreUint32(s.fill.producer, s.fillProd)
}

// Receive calls fn with each frame the rx ring holds, up to max (all
// when 0), then gives their UMEM frames back to the fill ring. It returns
// how many fn took without error, and stops at fn's first error (that
// frame is gone too). The data fn gets is the UMEM's: fn must copy what
// it keeps.
func (s *Socket) Receive(max int, fn func(data []byte) error) (int, error) {
	n := s.rx.ready(s.rxCons)
	if max > 0 {
		n = min(n, uint32(max))
	}
	var err error
	var i uint32
	for i < n {
		d := s.rx.xdpDesc(s.rxCons + i)
		err = fn(s.umem[d.Addr : d.Addr+uint64(d.Len)])
		*s.fill.addr(s.fillProd) = d.Addr &^ (FrameSize - 1)
		s.fillProd++
		i++
		if err != nil {
			break
		}
	}
	s.rxCons += i
	atomic.StoreUint32(s.rx.consumer, s.rxCons)
	atomic.StoreUint32(s.fill.producer, s.fillProd)
	if err != nil {
		return int(i) - 1, err
	}
	return int(i), nil
}

// Wait waits up to d for the rx ring to have a frame (events POLLIN) or
// the tx side to have room (POLLOUT), waking the kernel on the way when
// the fill ring asks for it. It returns early, without error, on EINTR.
func (s *Socket) Wait(events int16, d time.Duration) error {
	if s.rx != nil && s.rx.ready(s.rxCons) > 0 && events&unix.POLLIN != 0 {
		return nil
	}
	s.pfd[0].Events = events
	s.pfd[0].Revents = 0
	_, err := unix.Poll(s.pfd, int(d.Milliseconds()))
	if err == unix.EINTR {
		return nil
	}
	return err
}

// SetTxBudget lets one system call send up to n frames in copy mode
// (XDP_MAX_TX_SKB_BUDGET, Linux 6.17; the kernel's default is 32): fewer
// calls a frame. Kernels without it keep their default, without error.
func (s *Socket) SetTxBudget(n int) error {
	err := unix.SetsockoptInt(s.fd, unix.SOL_XDP, unix.XDP_MAX_TX_SKB_BUDGET, n)
	if errors.Is(err, unix.ENOPROTOOPT) {
		return nil
	}
	return err
}
