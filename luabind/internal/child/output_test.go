package child

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// An Output holds the last keep bytes of everything written, and counts
// the rest: checked against the whole stream, kept aside.
func TestOutputKeepsTheLastBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, keep := range []int{1, 7, 100, 4096} {
		o := NewOutput(keep)
		var all bytes.Buffer
		for range 500 {
			chunk := make([]byte, r.IntN(3*keep+2))
			for i := range chunk {
				chunk[i] = byte(r.Uint32())
			}
			o.Write(chunk)
			all.Write(chunk)
			got, cut := o.Get()
			want := all.Bytes()[max(0, all.Len()-keep):]
			if got != string(want) || cut != int64(all.Len()-len(want)) {
				t.Fatalf("keep %d after %d bytes: got %d bytes, cut %d; want the last %d, cut %d",
					keep, all.Len(), len(got), cut, len(want), all.Len()-len(want))
			}
		}
	}
}
