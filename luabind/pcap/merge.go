package pcap

import (
	"container/heap"
	"context"
	"errors"
	"io"
	"time"
)

// MergeWindow is how far out of time order a record may sit in a file
// that Merge still puts in its place: this many records of its own file.
// A capture ring's frames are in order within a few frames, those of
// several CPUs interleaving by the microsecond.
const MergeWindow = 4096

// Merge writes the records of the files srcs to dst in the order of their
// timestamps (records of equal time in the order of srcs), as mergecap
// does, and returns how many records were later than one written before
// them: written where they fell, since each file is put in order only
// within MergeWindow records of its own.
func Merge(dst *Writer, srcs []string) (late int, err error) {
	m := &merger{}
	defer func() { err = errors.Join(err, m.close()) }()
	for i, name := range srcs {
		r, err := Open(context.Background(), name)
		if err != nil {
			return 0, err
		}
		m.srcs = append(m.srcs, r)
		for range MergeWindow {
			if ok, err := m.push(i); err != nil || !ok {
				if err != nil {
					return 0, err
				}
				break
			}
		}
	}
	return m.run(dst)
}

// A merger holds the next records of each file, up to MergeWindow a file,
// in a heap by time.
type merger struct {
	srcs []*Reader
	h    recordHeap
	free [][]byte // buffers of records written, for the next ones
	seq  int      // records read, the tie-break after time and file
}

// run writes the earliest record held, and reads the next of its file in
// its place, until no record is left.
func (m *merger) run(dst *Writer) (late int, err error) {
	var last time.Time
	for m.h.Len() > 0 {
		rec := heap.Pop(&m.h).(heldRecord)
		if rec.ts.Before(last) {
			late++
		} else {
			last = rec.ts
		}
		if err := dst.WriteFrame(rec.data, rec.ts, rec.length); err != nil {
			return late, err
		}
		m.free = append(m.free, rec.data[:0])
		if _, err := m.push(rec.src); err != nil {
			return late, err
		}
	}
	return late, nil
}

// push reads the next record of file i into the heap; false at its end.
func (m *merger) push(i int) (bool, error) {
	data, rec, err := m.srcs[i].Next(context.Background())
	if errors.Is(err, io.EOF) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	var buf []byte
	if n := len(m.free); n > 0 {
		buf, m.free = m.free[n-1], m.free[:n-1]
	}
	m.seq++
	heap.Push(&m.h, heldRecord{data: append(buf, data...), ts: rec.TS, length: rec.Len, src: i, seq: m.seq})
	return true, nil
}

func (m *merger) close() error {
	var errs []error
	for _, r := range m.srcs {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}

// A heldRecord is a record read and not yet written.
type heldRecord struct {
	data     []byte
	ts       time.Time
	length   int
	src, seq int
}

// recordHeap orders records by time, then file, then reading order.
type recordHeap []heldRecord

func (h recordHeap) Len() int { return len(h) }
func (h recordHeap) Less(i, j int) bool {
	a, b := &h[i], &h[j]
	if !a.ts.Equal(b.ts) {
		return a.ts.Before(b.ts)
	}
	if a.src != b.src {
		return a.src < b.src
	}
	return a.seq < b.seq
}
func (h recordHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *recordHeap) Push(x any)   { *h = append(*h, x.(heldRecord)) }
func (h *recordHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
