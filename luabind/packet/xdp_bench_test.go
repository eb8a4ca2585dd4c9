package packet

import (
	"strconv"
	"testing"

	"github.com/netlua/netlua/luabind/internal/xsk"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// BenchmarkBlastXDP measures blast's AF_XDP engine against its AF_PACKET
// one on one lab pair, b dropping at ingress, in rounds so that a busy
// machine slows both alike. allocs/op must stay 0: no allocation per frame.
func BenchmarkBlastXDP(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	udp := udpFrame(b)
	vary := []VaryField{
		{Field: "ipv4.src", Lo: 0xc6120000, Hi: 0xc61200ff, Random: true},
		{Field: "udp.dport", Lo: 1000, Hi: 1999},
	}
	for range sendRounds {
		b.Run("Packet", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{}) })
		b.Run("XDP", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{Engine: EngineXDP}) })
		b.Run("XDPVary", func(b *testing.B) { benchBlast(b, a, udp, BlastOptions{Engine: EngineXDP, Vary: vary}) })
	}
}

// BenchmarkBlastPeerXDP is BenchmarkBlastXDP's Packet and XDP with an
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
		b.Run("Packet", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{}) })
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
