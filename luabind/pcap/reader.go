package pcap

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Record is what a capture file says of one frame.
type Record struct {
	TS       time.Time // when it was captured
	Len      int       // its original length; more than the bytes stored when cut
	LinkType uint32    // what it holds: the file's link type, in pcapng its interface's
	Bad      string    // what is wrong with it that did not stop the read: "caplen > len"; "" if nothing
}

// A FormatError is a file that is not a capture file, or is damaged.
type FormatError struct {
	File   string
	Offset int64 // where the damage starts; -1 when unknown (pcapng, gzip)
	Record int   // records read before it
	Msg    string
}

// Error implements error: "in.pcap: offset 64: truncated record header
// (10 of 16 bytes)".
func (e *FormatError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%s: after record %d: %s", e.File, e.Record, e.Msg)
	}
	return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Msg)
}

// packetReader is what pcapgo's Reader and NgReader have in common.
type packetReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// A Reader reads the records of a pcap or pcapng file.
type Reader struct {
	name     string
	f        *os.File
	size     int64 // -1 when offsets are not file offsets
	r        packetReader
	linkType uint32
	mender   *lenMender // pcap files: records with caplen > len
	off      int64      // offset of the next record, for pcap files
	count    int
	intr     *interrupter // nil for regular files, whose reads never wait
}

// Magic numbers of the formats, as the first four bytes read little-endian.
const (
	magicMicros = 0xa1b2c3d4
	magicNanos  = 0xa1b23c4d
	magicNg     = 0x0a0d0d0a
	headerLen   = 24 // pcap file header
	recordLen   = 16 // pcap record header
)

// Open opens the capture file name and reads its header. A FIFO or a
// pipe may make it wait for a writer and for data; the end of ctx ends
// the wait with ctx's cause.
func Open(ctx context.Context, name string) (*Reader, error) {
	f, err := openRead(name)
	if err != nil {
		return nil, err
	}
	r := &Reader{name: name, f: f, size: -1, off: headerLen}
	if err = r.await(ctx); err == nil {
		err = r.readHeader()
	}
	if err != nil {
		if cause := r.cause(); cause != nil {
			err = cause
		}
		r.Close()
		return nil, err
	}
	return r, nil
}

// await readies a file whose reads may wait: the end of ctx interrupts
// them, and a FIFO waits for its writer. A directory is an error.
func (r *Reader) await(ctx context.Context) error {
	st, err := r.f.Stat()
	switch {
	case err != nil || st.Mode().IsRegular():
		return err
	case st.IsDir(): // which opens, and reads as an empty file
		return &os.PathError{Op: "read", Path: r.name, Err: syscall.EISDIR}
	}
	r.intr = &interrupter{f: r.f}
	r.intr.watch(ctx)
	if st.Mode()&os.ModeNamedPipe != 0 {
		return awaitWriter(r.f)
	}
	return nil
}

// cause is the cause of the end of the context of the last read, nil
// while it goes on: a read that fails after that end failed for it.
func (r *Reader) cause() error {
	if r.intr == nil {
		return nil
	}
	return r.intr.cause()
}

// readHeader reads the file's header and picks the format.
func (r *Reader) readHeader() error {
	br := bufio.NewReader(r.f)
	head, _ := br.Peek(4)
	if len(head) < 4 {
		return r.formatError(0, fmt.Sprintf("not a capture file: %d bytes, too short for a header", len(head)))
	}
	switch magic := binary.LittleEndian.Uint32(head); magic {
	case magicNg:
		return r.openNg(br)
	case magicMicros, magicNanos, swap32(magicMicros), swap32(magicNanos):
		return r.openPcap(br, true)
	default:
		if head[0] == 0x1f && head[1] == 0x8b { // gzip, which pcapgo unpacks
			return r.openPcap(br, false)
		}
		return r.formatError(0, fmt.Sprintf("not a pcap or pcapng file (starts with %02x %02x %02x %02x)", head[0], head[1], head[2], head[3]))
	}
}

func swap32(v uint32) uint32 {
	return v>>24 | v>>8&0xff00 | v<<8&0xff0000 | v<<24
}

// openPcap reads a libpcap header. Offsets in errors are file offsets
// when plain is set (not for gzip files).
func (r *Reader) openPcap(br *bufio.Reader, plain bool) error {
	if st, err := r.f.Stat(); err == nil && plain {
		r.size = st.Size()
	}
	var in io.Reader = br
	if !plain {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return r.formatError(0, "bad gzip header: "+err.Error())
		}
		in = gz
	}
	r.mender = newLenMender(in)
	pr, err := pcapgo.NewReader(r.mender)
	if err != nil {
		return r.formatError(0, r.headerMessage(err))
	}
	r.r, r.linkType = pr, uint32(pr.LinkType())
	return nil
}

// openNg reads a pcapng section header. Its interfaces may be of several
// link types: each record has its interface's, and the file's is the
// first interface's.
func (r *Reader) openNg(br *bufio.Reader) error {
	r.linkType = firstLinkType(br)
	opts := pcapgo.DefaultNgReaderOptions
	opts.WantMixedLinkType = true
	nr, err := pcapgo.NewNgReader(br, opts)
	if err != nil {
		return r.formatError(-1, "bad pcapng header: "+err.Error())
	}
	r.r = nr
	return nil
}

// firstLinkType is the link type of the interface described by the block
// after the section header, if br's buffer holds them; else 0, until the
// first record tells.
func firstLinkType(br *bufio.Reader) uint32 {
	head, _ := br.Peek(br.Size())
	if len(head) < 12 {
		return 0
	}
	var order binary.ByteOrder = binary.LittleEndian
	if binary.BigEndian.Uint32(head[8:]) == 0x1a2b3c4d {
		order = binary.BigEndian
	}
	off := int64(order.Uint32(head[4:]))
	const idb = 1 // Interface Description Block
	if off+10 > int64(len(head)) || order.Uint32(head[off:]) != idb {
		return 0
	}
	return uint32(order.Uint16(head[off+8:]))
}

// headerMessage words pcapgo's header errors for users.
func (r *Reader) headerMessage(err error) string {
	switch {
	case !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
		return "bad pcap header: " + err.Error()
	case r.size >= 0:
		return fmt.Sprintf("truncated pcap header (%d of %d bytes)", r.size, headerLen)
	}
	return "truncated pcap header"
}

// Name is the file's name, as given to Open.
func (r *Reader) Name() string { return r.name }

// LinkType is what the records hold: LinkEthernet, LinkRaw...
func (r *Reader) LinkType() uint32 { return r.linkType }

// Next returns the next record's bytes and Record; io.EOF after the last.
// A damaged record is a *FormatError naming the offset. Reading a FIFO or
// a pipe may wait for data: the end of ctx ends the wait, with ctx's
// cause, and leaves the Reader mid-record: close it.
func (r *Reader) Next(ctx context.Context) ([]byte, Record, error) {
	if r.f == nil {
		return nil, Record{}, errClosed
	}
	return r.next(ctx, r.r.ReadPacketData)
}

// NextShared is Next returning bytes of the Reader's own buffer, valid
// until the next call: reading a record allocates nothing, which a replay
// needs.
func (r *Reader) NextShared(ctx context.Context) ([]byte, Record, error) {
	if r.f == nil {
		return nil, Record{}, errClosed
	}
	return r.next(ctx, r.r.ZeroCopyReadPacketData)
}

// next reads a record with read.
func (r *Reader) next(ctx context.Context, read func() ([]byte, gopacket.CaptureInfo, error)) ([]byte, Record, error) {
	if r.intr != nil {
		r.intr.watch(ctx)
	}
	data, ci, err := read()
	if err != nil && r.cause() != nil {
		return nil, Record{}, r.cause()
	}
	switch {
	case err == io.EOF && ci.CaptureLength == 0 && ci.Length == 0:
		return nil, Record{}, io.EOF
	case err != nil:
		return nil, Record{}, r.recordError(ci, err)
	}
	rec := Record{TS: ci.Timestamp, Len: ci.Length, LinkType: r.linkType}
	if len(ci.AncillaryData) > 0 { // pcapng: the record's interface's
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			rec.LinkType = uint32(lt)
		}
		if r.linkType == 0 {
			r.linkType = rec.LinkType
		}
	}
	if orig, ok := r.mender.take(r.count); ok {
		rec.Len = orig
	}
	if len(data) > rec.Len {
		rec.Bad = "caplen > len"
	}
	r.off += recordLen + int64(len(data))
	r.count++
	return data, rec, nil
}

// recordError explains why the record at r.off could not be read.
func (r *Reader) recordError(ci gopacket.CaptureInfo, err error) error {
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return r.formatError(r.off, "bad record: "+err.Error())
	}
	left := r.size - r.off
	switch {
	case ci.CaptureLength == 0 && ci.Length == 0 && r.size >= 0:
		return r.formatError(r.off, fmt.Sprintf("truncated record header (%d of %d bytes)", left, recordLen))
	case r.size >= 0:
		return r.formatError(r.off, fmt.Sprintf("truncated record: %d bytes captured, the file ends %d bytes after the header", ci.CaptureLength, left-recordLen))
	}
	return r.formatError(r.off, "truncated record")
}

// formatError is a FormatError at off (-1: unknown, as in pcapng files).
func (r *Reader) formatError(off int64, msg string) error {
	if r.size < 0 && off > 0 {
		off = -1
	}
	return &FormatError{File: r.name, Offset: off, Record: r.count, Msg: msg}
}

// Close closes the file. It is idempotent.
func (r *Reader) Close() error {
	if r.f == nil {
		return nil
	}
	if r.intr != nil {
		r.intr.close()
	}
	err := r.f.Close()
	r.f = nil
	return err
}
