package packet

import (
	"strconv"
	"testing"

	"github.com/netlua/netlua/luabind/lab/labtest"
)

// BenchmarkBlastWorkers measures Socket.Blast with 1 to 4 workers on one
// lab pair, b dropping at ingress, in rounds (see BenchmarkSend): pps
// over the blast's own wall time. allocs/op stays 0: workers allocate
// once, at the start, and nothing per frame.
func BenchmarkBlastWorkers(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	for range sendRounds {
		for _, n := range []int{1, 2, 4} {
			b.Run(strconv.Itoa(n), func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{Workers: n}) })
		}
	}
}
