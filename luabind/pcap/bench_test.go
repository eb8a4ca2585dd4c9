package pcap

import (
	"path/filepath"
	"testing"
	"time"
)

// createIn creates a pcap file in a temporary directory, closed when the
// test ends.
func createIn(t testing.TB) *Writer {
	t.Helper()
	w, err := Create(filepath.Join(t.TempDir(), "out.pcap"), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// Writing a record allocates nothing: a capture writes one per frame.
func TestWriteFrameAllocs(t *testing.T) {
	w := createIn(t)
	frame, ts := make([]byte, 60), time.Now()
	if n := testing.AllocsPerRun(1000, func() { w.WriteFrame(frame, ts, 60) }); n != 0 {
		t.Errorf("WriteFrame: %v allocations per record, want 0", n)
	}
}

// BenchmarkWriteFrame writes 60-byte frames to a file, as a capture does.
func BenchmarkWriteFrame(b *testing.B) {
	w := createIn(b)
	frame, ts := make([]byte, 60), time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if err := w.WriteFrame(frame, ts, 60); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
