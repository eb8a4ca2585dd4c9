package packet

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
)

// BenchmarkReplayTop replays a capture of 100,000 frames at top speed;
// pps is the rate, against BenchmarkBlast's.
func BenchmarkReplayTop(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	sa := openOn(b, a, Config{Proto: benchProto})
	file := filepath.Join(b.TempDir(), "bench.pcap")
	replayFramesTo(b, file, a, peer, 100_000, time.Microsecond)
	b.ReportAllocs()
	var sent int
	var took time.Duration
	for b.Loop() {
		st, err := sa.Replay(context.Background(), file, ReplayOptions{Top: true})
		if err != nil {
			b.Fatal(err)
		}
		sent += st.Sent
		took += st.Elapsed
	}
	b.ReportMetric(float64(sent)/took.Seconds(), "pps")
}
