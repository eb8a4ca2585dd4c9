package xsk

import (
	"fmt"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A ring is one of the four single-producer single-consumer rings an
// AF_XDP socket shares with the kernel, mmapped from the socket. The
// kernel's side of it moves its own index with store-release and reads
// ours with load-acquire; Go's atomics are sequentially consistent,
// which is at least that.
type ring struct {
	mem      []byte
	producer *uint32
	consumer *uint32
	flags    *uint32
	desc     unsafe.Pointer // the entries: XDPDesc for rx/tx, uint64 for fill/completion
	mask     uint32
	size     uint32
}

// mapRing mmaps the ring of n entries of entSize bytes at page offset pgoff.
func mapRing(fd int, off unix.XDPRingOffset, pgoff int64, n, entSize uint32) (*ring, error) {
	length := int(off.Desc) + int(n)*int(entSize)
	mem, err := unix.Mmap(fd, pgoff, length, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		return nil, fmt.Errorf("mmap ring: %w", err)
	}
	return &ring{
		mem:      mem,
		producer: (*uint32)(unsafe.Pointer(&mem[off.Producer])),
		consumer: (*uint32)(unsafe.Pointer(&mem[off.Consumer])),
		flags:    (*uint32)(unsafe.Pointer(&mem[off.Flags])),
		desc:     unsafe.Pointer(&mem[off.Desc]),
		mask:     n - 1,
		size:     n,
	}, nil
}

func (r *ring) unmap() {
	if r != nil && r.mem != nil {
		_ = unix.Munmap(r.mem)
		r.mem = nil
	}
}

// needWakeup reports whether the kernel asks for a system call to go on
// with this ring (XDP_USE_NEED_WAKEUP).
func (r *ring) needWakeup() bool { return atomic.LoadUint32(r.flags)&unix.XDP_RING_NEED_WAKEUP != 0 }

// addr is the i-th entry of a fill or completion ring.
func (r *ring) addr(i uint32) *uint64 {
	return (*uint64)(unsafe.Add(r.desc, uintptr(i&r.mask)*8))
}

// xdpDesc is the i-th entry of an rx or tx ring.
func (r *ring) xdpDesc(i uint32) *unix.XDPDesc {
	return (*unix.XDPDesc)(unsafe.Add(r.desc, uintptr(i&r.mask)*unsafe.Sizeof(unix.XDPDesc{})))
}

// ready is how many entries a consumer may take, from cons, its own index.
func (r *ring) ready(cons uint32) uint32 { return atomic.LoadUint32(r.producer) - cons }
