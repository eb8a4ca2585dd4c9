package packet

import (
	"bytes"
	"context"
	"encoding/binary"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rtnl"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// BenchmarkBlast measures Socket.Blast against trafgen -P1 on one lab
// pair, b dropping at ingress, in rounds so that a busy machine slows both
// alike (see BenchmarkSend). Blast is unpaced with batches of
// DefaultBatch; BlastVary also changes the IPv4 source, the UDP port and
// their checksums in every frame; XDP and XDPVary are the same through
// engine xdp. pps is the goal's figure, cpu-ns/frame
// the sending thread's CPU time per frame.
func BenchmarkBlast(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	udp := udpFrame(b)
	for range sendRounds {
		b.Run("Blast", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{}) })
		b.Run("BlastVary", func(b *testing.B) {
			benchBlast(b, a, udp, BlastOptions{Vary: []VaryField{
				{Field: "ipv4.src", Lo: 0xc6120000, Hi: 0xc61200ff, Random: true},
				{Field: "udp.dport", Lo: 1000, Hi: 1999},
			}})
		})
		b.Run("XDP", func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{Engine: EngineXDP}) })
		b.Run("XDPVary", func(b *testing.B) { benchBlast(b, a, udp, BlastOptions{Engine: EngineXDP, Vary: xdpVary}) })
		b.Run("Trafgen", func(b *testing.B) { benchTrafgen(b, a, frame) })
	}
}

// BenchmarkBlastBatch compares the frames per sendmmsg(2) call.
func BenchmarkBlastBatch(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	for range sendRounds {
		for _, n := range []int{1, 8, 32, 64, 128} {
			b.Run(strconv.Itoa(n), func(b *testing.B) { benchBlast(b, a, frame, BlastOptions{Batch: n}) })
		}
	}
}

// benchBlast sends b.N frames in one blast from a.
func benchBlast(b *testing.B, a *lab.End, frame []byte, opt BlastOptions) {
	s := openOn(b, a, Config{Proto: benchProto})
	opt.Count = b.N
	b.ReportAllocs()
	b.ResetTimer()
	clock := startCPU()
	st, err := s.Blast(context.Background(), frame, opt)
	if err != nil {
		b.Fatal(err)
	}
	clock.report(b)
	if st.Errors > 0 {
		b.ReportMetric(float64(st.Errors), "errors")
	}
}

// BenchmarkBlastRate measures how close a paced blast keeps to its rate:
// the frames b's veth received over a second, from 0.3 s into a 1.5 s
// blast, b dropping them at ingress. cpu% is the share of a core the
// process used meanwhile: sleeping between bursts, not spinning. Run it
// with -benchtime=1x.
func BenchmarkBlastRate(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	s := openOn(b, a, Config{Proto: benchProto})
	count := rxCounter(b, peer)
	for _, rate := range []float64{10_000, 500_000} {
		b.Run(strconv.Itoa(int(rate)), func(b *testing.B) {
			for b.Loop() {
				cpu, start := processCPU(), time.Now()
				got := windowRate(b, s, count, frame, rate)
				b.ReportMetric(100*float64(processCPU()-cpu)/float64(time.Since(start)), "cpu%")
				b.ReportMetric(got, "pps")
				b.ReportMetric(100*(got/rate-1), "%off")
			}
		})
	}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rxCounter returns the count of frames e's interface received, from the
// kernel's link statistics.
func rxCounter(b *testing.B, e *lab.End) func() uint64 {
	c, err := rtnl.Dial(e.NetNS(), 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return func() uint64 {
		m, err := rtnl.LinkByIndex(c, uint32(e.Ifindex))
		if err != nil || m.Attributes == nil || m.Attributes.Stats64 == nil {
			b.Fatalf("link statistics of %s: %v", e.Ifname, err)
		}
		return m.Attributes.Stats64.RXPackets
	}
}

// BenchmarkVaryApply compares the ways of keeping checksums right when
// vary changes ipv4.src and udp.dport of a frame of 60 or 1514 bytes: the
// incremental update vary does (RFC 1624), and summing the IPv4 header
// and the UDP datagram again.
func BenchmarkVaryApply(b *testing.B) {
	for _, size := range []int{60, 1514} {
		data := udpFrameOf(b, make([]byte, size-42))
		v, err := newVarier(data, 14, []VaryField{
			{Field: "ipv4.src", Lo: 0xc6120000, Hi: 0xc61200ff},
			{Field: "udp.dport", Lo: 1000, Hi: 1999},
		})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("Incremental"+strconv.Itoa(size), func(b *testing.B) {
			for b.Loop() {
				v.apply(data)
			}
		})
		b.Run("Recompute"+strconv.Itoa(size), func(b *testing.B) {
			for b.Loop() {
				for i := range v.ops {
					op := &v.ops[i]
					writeField(data[op.off:], op.width, op.value(v.rng))
				}
				recompute(data)
			}
		})
		if want := rebuilt(b, data); !bytes.Equal(data, want) {
			b.Fatal("Recompute made wrong checksums")
		}
	}
}

// recompute sums again the IPv4 header and UDP checksums of a frame of
// Ethernet, IPv4 without options and UDP.
func recompute(d []byte) {
	ip, udp := d[14:34], d[34:]
	ip[10], ip[11] = 0, 0
	binary.BigEndian.PutUint16(ip[10:], ^fold(sum16(0, ip)))
	n := int(binary.BigEndian.Uint16(udp[4:]))
	udp[6], udp[7] = 0, 0
	s := sum16(sum16(uint32(17+n), ip[12:20]), udp[:n])
	ck := ^fold(s)
	if ck == 0 {
		ck = 0xffff
	}
	binary.BigEndian.PutUint16(udp[6:], ck)
}

func sum16(s uint32, b []byte) uint32 {
	for ; len(b) >= 2; b = b[2:] {
		s += uint32(binary.BigEndian.Uint16(b))
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// windowRate blasts frame from sa at rate for 1.5 s, and returns the rate
// at which the receiver's count of frames grew over one second from 0.3 s
// in.
func windowRate(t testing.TB, sa *Socket, count func() uint64, frame []byte, rate float64) float64 {
	done := make(chan error, 1)
	go func() {
		_, err := sa.Blast(context.Background(), frame, BlastOptions{Rate: rate, Limits: Limits{Duration: 1500 * time.Millisecond}})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	n0, t0 := count(), time.Now()
	time.Sleep(time.Second)
	n1, t1 := count(), time.Now()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return float64(n1-n0) / t1.Sub(t0).Seconds()
}
