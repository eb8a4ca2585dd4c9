package packet

import (
	"context"
	"strconv"
	"testing"

	"github.com/netlua/netlua/luabind/lab"
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
			b.Run(strconv.Itoa(n), func(b *testing.B) { benchBlastWorkers(b, a, frame, n) })
		}
	}
}

// benchBlastWorkers sends b.N frames in one blast from a with n workers.
// It reports no CPU time: the calling thread only waits for the workers.
func benchBlastWorkers(b *testing.B, a *lab.End, frame []byte, n int) {
	s := openOn(b, a, Config{Proto: benchProto})
	b.ReportAllocs()
	b.ResetTimer()
	st, err := s.Blast(context.Background(), frame, BlastOptions{Limits: Limits{Count: b.N}, Workers: n})
	if err != nil {
		b.Fatal(err)
	}
	pps(b)
	if st.Errors > 0 {
		b.ReportMetric(float64(st.Errors), "errors")
	}
}
