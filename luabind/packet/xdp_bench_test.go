package packet

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/internal/xsk"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// xdpVary is BenchmarkBlast's BlastVary, for XDPVary.
var xdpVary = []VaryField{
	{Field: "ipv4.src", Lo: 0xc6120000, Hi: 0xc61200ff, Random: true},
	{Field: "udp.dport", Lo: 1000, Hi: 1999},
}

// BenchmarkBlastPeerXDP is BenchmarkBlast's Blast and XDP with an
// XDP program on the receiving veth that passes every frame on (to the
// ingress drop): veth then hands frames over through its peer's NAPI
// ring instead of the per-CPU backlog (see veth_xmit).
func BenchmarkBlastPeerXDP(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	var prog *xsk.Redirect
	err := peer.NetNS().Do(func() (err error) {
		prog, err = xsk.NewRedirect(peer.Ifindex, 1) // no socket: every frame passes
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	defer prog.Close()
	frame := labtest.Frame(a, peer, 0)[:60]
	for range sendRounds {
		b.Run("Blast", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{}) })
		b.Run("XDP", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{Engine: EngineXDP}) })
	}
}

// BenchmarkBlastXDPBatch compares the frames per sendto(2) call.
func BenchmarkBlastXDPBatch(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	for range sendRounds {
		for _, n := range []int{32, 64, 256, 1024} {
			b.Run(strconv.Itoa(n), func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{Engine: EngineXDP, Batch: n}) })
		}
	}
}

// BenchmarkBlastXDPQueues sends b.N frames from two blasts at once, on
// transmit queues 0 and 1 of a's veth (two sockets for AF_PACKET), each
// goroutine on its own thread: what two cores give each engine. A veth
// has one queue each way until ethtool -L gives it more.
func BenchmarkBlastXDPQueues(b *testing.B) {
	ethtool := testlab.NeedTool(b, "ethtool", "ethtool")
	a, peer := pair(b)
	labtest.Run(b, a, "", ethtool, "-L", a.Ifname, "tx", "2", "rx", "2")
	labtest.Run(b, peer, "", ethtool, "-L", peer.Ifname, "tx", "2", "rx", "2")
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	for range sendRounds {
		for _, engine := range []Engine{EnginePacket, EngineXDP} {
			b.Run([]string{"Packet", "XDP"}[engine], func(b *testing.B) {
				socks := []*Socket{openOn(b, a, Config{Proto: benchProto}), openOn(b, a, Config{Proto: benchProto})}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				var wg sync.WaitGroup
				errs := make([]error, len(socks))
				for q, s := range socks {
					wg.Go(func() {
						runtime.LockOSThread()
						opt := BlastOptions{Engine: engine, Limits: Limits{Count: max(1, b.N/len(socks))}}
						if engine == EngineXDP {
							_, errs[q] = s.BlastXDPOn(context.Background(), frame, opt, q, len(socks))
						} else {
							_, errs[q] = s.Blast(context.Background(), frame, opt)
						}
					})
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pps")
			})
		}
	}
}
