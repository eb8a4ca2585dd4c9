package pcap

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Link types (the LINKTYPE_ values of tcpdump.org) that scripts name.
const (
	LinkEthernet = 1   // Ethernet frames: packet sockets
	LinkRaw      = 101 // IPv4 or IPv6 packets, told apart by their version
	LinkLinuxSLL = 113 // Linux "cooked" captures (tcpdump -i any)
	LinkIPv4     = 228 // IPv4 packets: raw IPv4 sockets
	LinkIPv6     = 229 // IPv6 packets
)

// LinkTypes names the link types that scripts may give by name.
var LinkTypes = map[string]uint32{
	"ethernet": LinkEthernet, "raw": LinkRaw, "linux_sll": LinkLinuxSLL,
	"ipv4": LinkIPv4, "ipv6": LinkIPv6,
}

// DefaultSnaplen is tcpdump's: whole frames, even 64 KiB GRO ones.
const DefaultSnaplen = 262144

// WriterOptions says how Create writes a file; the zero value writes
// whole Ethernet frames.
type WriterOptions struct {
	Snaplen  int    // longest record; longer frames are cut, keeping their length; 0 is DefaultSnaplen
	LinkType uint32 // what records hold; 0 is LinkEthernet
}

// A Writer writes a capture file with nanosecond timestamps. It is not
// safe for concurrent use.
type Writer struct {
	name    string
	f       *os.File
	bw      *bufio.Writer
	w       *pcapgo.Writer
	snaplen int
	count   int
}

// Create creates (or truncates) the file name and writes its header. It
// refuses a symbolic link (see createFile).
func Create(name string, opts WriterOptions) (*Writer, error) {
	if opts.Snaplen == 0 {
		opts.Snaplen = DefaultSnaplen
	}
	if opts.Snaplen < 0 || opts.Snaplen > DefaultSnaplen {
		return nil, fmt.Errorf("snaplen %d is out of range (1 to %d)", opts.Snaplen, DefaultSnaplen)
	}
	if opts.LinkType == 0 {
		opts.LinkType = LinkEthernet
	}
	f, err := createFile(name)
	if err != nil {
		return nil, err
	}
	w := &Writer{name: name, f: f, bw: bufio.NewWriterSize(f, 1<<16), snaplen: opts.Snaplen}
	w.w = pcapgo.NewWriterNanos(w.bw)
	if err := w.w.WriteFileHeader(uint32(opts.Snaplen), layers.LinkType(opts.LinkType)); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// errSymlink is the error of a writer asked to write through a link.
var errSymlink = errors.New("is a symbolic link (a pcap writer does not follow links: it would truncate their target)")

// createFile creates or truncates name, as os.Create does, but not
// through a symbolic link: a capture run as root must not truncate
// whatever file a link in a shared directory points at. Opened for
// reading and writing as os.Create does, a FIFO opens at once, reader or
// not.
func createFile(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o666)
	if errors.Is(err, syscall.ELOOP) {
		if st, lerr := os.Lstat(name); lerr == nil && st.Mode()&os.ModeSymlink != 0 {
			return nil, &os.PathError{Op: "open", Path: name, Err: errSymlink}
		}
	}
	return f, err
}

// Name is the file's name, as given to Create.
func (w *Writer) Name() string { return w.name }

// Count is the number of records written.
func (w *Writer) Count() int { return w.count }

// WriteFrame writes one record: data, cut to the snap length, received at
// ts, of original length length (len(data) when smaller).
func (w *Writer) WriteFrame(data []byte, ts time.Time, length int) error {
	if w.f == nil {
		return errClosed
	}
	length = max(length, len(data))
	if len(data) > w.snaplen {
		data = data[:w.snaplen]
	}
	ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: length}
	if err := w.w.WritePacket(ci, data); err != nil {
		return err
	}
	w.count++
	return nil
}

// Flush writes what is buffered to the file.
func (w *Writer) Flush() error {
	if w.f == nil {
		return errClosed
	}
	return w.bw.Flush()
}

// Close flushes and closes the file. It is idempotent.
func (w *Writer) Close() error {
	if w.f == nil {
		return nil
	}
	err := errors.Join(w.bw.Flush(), w.f.Close())
	w.f = nil
	return err
}

// errClosed is the error of a call on a closed Writer or Reader.
var errClosed = os.ErrClosed
