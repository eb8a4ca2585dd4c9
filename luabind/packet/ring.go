package packet

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// The receive ring's shape. A block holds the largest frame (bufSize) with
// its headers; the ring holds 8 MiB, some 58,000 frames of 60 bytes, 80 ms
// at 0.7 Mpps (tcpdump's ring is 2 MiB). A block that is not full goes to
// the reader after ringTimeout, so frames at a low rate arrive promptly.
const (
	ringBlock   = 1 << 18 // bytes, a multiple of the page size
	ringBlocks  = 32
	ringFrame   = 1 << 11 // TPACKET_V3 only checks that it divides the block
	ringTimeout = 4       // milliseconds
)

// A ring is a TPACKET_V3 receive ring (PACKET_RX_RING) mapped from the
// kernel: the kernel fills blocks of frames and hands each over by its
// status word; the reader writes the frames out and hands the block back.
// No system call is made while frames keep coming, and the ring holds
// frames in a fraction of the memory that queued socket buffers take.
type ring struct {
	conn *sock.Conn
	mem  []byte
	cur  int    // the block being read
	left uint32 // frames left in it, when it is ours
	off  int    // offset in mem of its next frame
	vlan []byte // scratch for a frame with its VLAN tag put back
}

// mapRing sets up a receive ring on conn, a packet socket, and maps it.
// The kernel empties the socket's queue and stops delivering to it while
// it does (see tap): set it up before binding the socket.
func mapRing(conn *sock.Conn) (*ring, error) {
	r := &ring{conn: conn, vlan: make([]byte, tagRoom+ringBlock)}
	err := conn.Control(func(fd int) error {
		if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
			return sock.SyscallError("setsockopt PACKET_VERSION", err)
		}
		req := unix.TpacketReq3{Block_size: ringBlock, Block_nr: ringBlocks, Frame_size: ringFrame,
			Frame_nr: ringBlock / ringFrame * ringBlocks, Retire_blk_tov: ringTimeout}
		if err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
			return sock.SyscallError("setsockopt PACKET_RX_RING", err)
		}
		mem, err := unix.Mmap(fd, 0, ringBlock*ringBlocks, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		r.mem = mem
		return os.NewSyscallError("mmap", err)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// unmap unmaps the ring; the kernel frees it with the socket.
func (r *ring) unmap() error { return os.NewSyscallError("munmap", unix.Munmap(r.mem)) }

// drops is how many frames the kernel dropped for want of room in the
// ring since the last call. The TPACKET_V3 statistics carry a third
// count, tp_freeze_q_cnt: how often a full ring stopped the queue.
func (r *ring) drops() (uint64, error) {
	var st *unix.TpacketStatsV3
	err := r.conn.Control(func(fd int) (err error) {
		st, err = unix.GetsockoptTpacketStatsV3(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
		return sock.SyscallError("getsockopt PACKET_STATISTICS", err)
	})
	if err != nil {
		return 0, err
	}
	return uint64(st.Drops), nil
}

// block is the header of block i: the struct tpacket_hdr_v1 in its
// struct tpacket_block_desc.
func (r *ring) block(i int) *unix.TpacketHdrV1 {
	desc := (*unix.TpacketBlockDesc)(unsafe.Pointer(&r.mem[i*ringBlock]))
	return (*unix.TpacketHdrV1)(unsafe.Pointer(&desc.Hdr))
}

// take makes the current block ours if the kernel has handed it over and
// it holds frames.
func (r *ring) take() bool {
	b := r.block(r.cur)
	if atomic.LoadUint32(&b.Block_status)&unix.TP_STATUS_USER == 0 {
		return false
	}
	r.left, r.off = b.Num_pkts, r.cur*ringBlock+int(b.Offset_to_first_pkt)
	if r.left == 0 {
		r.release()
	}
	return r.left > 0
}

// release hands the current block back to the kernel and moves on.
func (r *ring) release() {
	atomic.StoreUint32(&r.block(r.cur).Block_status, unix.TP_STATUS_KERNEL)
	r.cur = (r.cur + 1) % ringBlocks
	r.left = 0
}

// read writes at most max frames (no limit when 0) to w once at least
// one has come, waiting for it until end (never when zero) or until ctx
// ends, and returns how many it wrote.
func (r *ring) read(ctx context.Context, end time.Time, w FrameWriter, max int) (int, error) {
	for r.left == 0 && !r.take() {
		if err := r.conn.WaitReadable(ctx, end); err != nil {
			return 0, err
		}
	}
	n := 0
	for r.left > 0 && (max == 0 || n < max) {
		h := (*unix.Tpacket3Hdr)(unsafe.Pointer(&r.mem[r.off]))
		if err := w.WriteFrame(r.frame(h, r.off), time.Unix(int64(h.Sec), int64(h.Nsec)), r.length(h)); err != nil {
			return n, err
		}
		n++
		r.off += int(h.Next_offset)
		if r.left--; r.left == 0 {
			r.release()
		}
	}
	return n, nil
}

// frame is the bytes of the frame h heads, h being at off in the ring.
// The kernel takes a VLAN tag out of the frame into h, as it does for
// recvmsg; like libpcap, frame puts it back.
func (r *ring) frame(h *unix.Tpacket3Hdr, off int) []byte {
	start := off + int(h.Mac)
	data := r.mem[start : start+int(h.Snaplen)]
	tag := sock.VLANTag(h.Status, uint16(h.Hv1.Vlan_tci), h.Hv1.Vlan_tpid)
	if tag.TPID == 0 || len(data) < tagAt {
		return data
	}
	v := r.vlan[:len(data)+tagLen]
	copy(v[tagRoom:], data)
	return putTag(v, tag)
}

// length is the original length of the frame h heads, its VLAN tag in.
func (r *ring) length(h *unix.Tpacket3Hdr) int {
	if sock.VLANTag(h.Status, uint16(h.Hv1.Vlan_tci), h.Hv1.Vlan_tpid).TPID != 0 && h.Snaplen >= tagAt {
		return int(h.Len) + tagLen
	}
	return int(h.Len)
}

// flush writes what the ring still holds once no more frames come to it:
// the last block reaches the reader within two of the kernel's block
// timeouts.
func (r *ring) flush(w FrameWriter) (int, error) {
	end := time.Now().Add(3 * ringTimeout * time.Millisecond)
	total := 0
	for {
		n, err := r.read(context.Background(), end, w, 0)
		total += n
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return total, nil
		} else if err != nil {
			return total, err
		}
	}
}
