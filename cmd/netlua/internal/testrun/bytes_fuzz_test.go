package testrun

import (
	"strings"
	"testing"
)

// FuzzBytesFailure feeds t:bytes arbitrary got and want, as a test does
// with bytes straight off a socket: it must never panic, must name the
// first differing byte, and its hex rows must show both sides there.
//
//	go test -run X -fuzz FuzzBytesFailure ./cmd/netlua
func FuzzBytesFailure(f *testing.F) {
	for _, s := range []struct{ got, want string }{
		{"", "x"},
		{"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x1c\x00\x01\x00\x00\x40\x11",
			"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x1c\x00\x01\x00\x00\x3f\x11"},
		{"\x45\x00\x00\x14\x00\x00\x00\x00\x40\x01\x00\x00\x7f\x00\x00\x01\x7f\x00\x00\x01",
			"\x45\x00\x00\x14\x00\x00\x00\x00\x40\x06\x00\x00\x7f\x00\x00\x01\x7f\x00\x00\x01"},
		{"\x60\x00\x00\x00\x00\x00\x3a\x40", "\x60\x00\x00\x00\x00\x08\x3a\x40"},
	} {
		f.Add([]byte(s.got), []byte(s.want))
	}
	f.Fuzz(func(t *testing.T, got, want []byte) {
		if string(got) == string(want) {
			return
		}
		off := firstDifference(got, want)
		fail := bytesFailure("x_test.lua:1", "", got, want)
		if !strings.Contains(fail.Message, "first difference at byte ") {
			t.Fatalf("message %q", fail.Message)
		}
		if off > len(got) || off > len(want) || (off < len(got) && off < len(want) && got[off] == want[off]) {
			t.Fatalf("first difference %d of % x and % x", off, got, want)
		}
		if len(fail.Detail) == 0 {
			t.Fatalf("no hex rows for % x and % x", got, want)
		}
	})
}
