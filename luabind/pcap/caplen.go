package pcap

import (
	"encoding/binary"
	"errors"
	"io"
)

// lenMender passes a pcap file through to pcapgo, which refuses a record
// whose captured length exceeds its original length. tcpdump and Scapy
// read such records (tcpdump marks them "Invalid header"), so the mender
// gives pcapgo the captured length as the original one and keeps the
// length the file gave, for Next to report the record as bad.
type lenMender struct {
	r       io.Reader
	order   binary.ByteOrder // nil until the file header has passed
	hdr     [headerLen]byte  // the header being passed: the file's, then each record's
	pending []byte           // header bytes not yet passed on
	data    int64            // record bytes left to pass on
	err     error            // the error to give once pending is passed on
	records int              // record headers passed on
	mended  map[int]int      // record number -> the original length the file gave
}

func newLenMender(r io.Reader) *lenMender { return &lenMender{r: r, mended: map[int]int{}} }

// Read passes on the file, a whole header at a time so that it can mend
// one before any of it is passed on.
func (m *lenMender) Read(p []byte) (int, error) {
	switch {
	case len(m.pending) > 0:
		n := copy(p, m.pending)
		m.pending = m.pending[n:]
		return n, nil
	case m.err != nil:
		return 0, m.err
	case m.data > 0:
		n, err := m.r.Read(p[:min(int64(len(p)), m.data)])
		m.data -= int64(n)
		return n, err
	}
	need := recordLen
	if m.order == nil {
		need = headerLen
	}
	n, err := io.ReadFull(m.r, m.hdr[:need])
	m.pending = m.hdr[:n]
	if err != nil {
		m.err = err
		if errors.Is(err, io.ErrUnexpectedEOF) {
			m.err = io.EOF // the reader sees a short header, then the end
		}
		return m.Read(p)
	}
	if m.order == nil {
		m.order = binary.LittleEndian
		if magic := binary.BigEndian.Uint32(m.hdr[:]); magic == magicMicros || magic == magicNanos {
			m.order = binary.BigEndian
		}
		return m.Read(p)
	}
	m.mend()
	return m.Read(p)
}

// mend reads the record header in hdr, and where its captured length
// exceeds its original length, writes the captured one there too.
func (m *lenMender) mend() {
	caplen, orig := m.order.Uint32(m.hdr[8:]), m.order.Uint32(m.hdr[12:])
	if caplen > orig {
		m.mended[m.records] = int(orig)
		m.order.PutUint32(m.hdr[12:], caplen)
	}
	m.data = int64(caplen)
	m.records++
}

// take returns the original length the file gave record n (counting from
// 0), if it was mended, and forgets it.
func (m *lenMender) take(n int) (int, bool) {
	if m == nil {
		return 0, false
	}
	orig, ok := m.mended[n]
	delete(m.mended, n)
	return orig, ok
}
