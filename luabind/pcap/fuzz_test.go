package pcap

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzRead feeds Open and Next any bytes: they must never panic, read
// forever or allocate without bound, and every error must be a
// FormatError naming the file. The seed corpus is in
// testdata/fuzz/FuzzRead: pcap (µs and ns, both byte orders), pcapng,
// gzip, and damaged files.
func FuzzRead(f *testing.F) {
	if data, err := os.ReadFile("testdata/tcpdump-ping.pcap"); err == nil {
		f.Add(data)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := dir + "/fuzz.pcap"
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n, err := readAll(name)
		if err == nil {
			return
		}
		var ferr *FormatError
		if !errors.As(err, &ferr) || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("after %d records: %v (%T): not a FormatError naming the file", n, err, err)
		}
	})
}
