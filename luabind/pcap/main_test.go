package pcap

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

// tempFile is the path of a file named name in a directory removed when
// the test ends.
func tempFile(t testing.TB, name string) string { return filepath.Join(t.TempDir(), name) }

// writeFile writes records of the given sizes to a new pcap file and
// returns its name and the records' bytes.
func writeFile(t testing.TB, opts WriterOptions, sizes ...int) (string, [][]byte) {
	t.Helper()
	name := tempFile(t, "w.pcap")
	w, err := Create(name, opts)
	if err != nil {
		t.Fatal(err)
	}
	var recs [][]byte
	for i, n := range sizes {
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(i + j)
		}
		if err := w.WriteFrame(b, stamp(i), n); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return name, recs
}

// stamp is the timestamp of record i in the tests' files.
func stamp(i int) time.Time { return time.Unix(1700000000+int64(i), 123456789) }

// globals is Lua code setting the global variables named in kv (name,
// value, name, value...) to strings.
func globals(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, "%s = %q; ", kv[i], kv[i+1])
	}
	return b.String()
}
