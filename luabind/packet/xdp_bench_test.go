package packet

import (
	"strconv"
	"testing"

	"github.com/netlua/netlua/luabind/internal/xsk"
	"github.com/netlua/netlua/luabind/lab/labtest"
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
