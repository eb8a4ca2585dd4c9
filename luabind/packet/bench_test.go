package packet

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// The send benchmarks measure frames per second from a out of its veth,
// with b dropping them at ingress (by nft when it is installed). They run
// side by side on one lab pair, in rounds, so that a machine busy with
// other work slows them alike:
//
//	GoWrite    a plain Go loop of write(2) on a bound AF_PACKET socket: the bar
//	Socket     Socket.Send, the Go core
//	Lua        a Lua loop of s:send(frame) in a netlua runtime
//	LuaCached  the same with the method in a local: local send = s.send
//	Trafgen    trafgen -P1 (netsniff-ng): mmap'd TX ring, for reference
//
// Besides pps each reports cpu-ns/frame, the sending thread's CPU time
// per frame (trafgen's own figure for trafgen), which other processes on
// the machine disturb less than wall time.
func BenchmarkSend(b *testing.B) {
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)
	for range sendRounds {
		b.Run("GoWrite", func(b *testing.B) { benchGoWrite(b, a, frame) })
		b.Run("Socket", func(b *testing.B) { benchSocketSend(b, a, frame) })
		b.Run("Lua", func(b *testing.B) { benchLuaSend(b, a, frame, `local s, f = s, FRAME; for i = 1, N do s:send(f) end`) })
		b.Run("LuaCached", func(b *testing.B) {
			benchLuaSend(b, a, frame, `local s, f = s, FRAME; local send = s.send; for i = 1, N do send(s, f) end`)
		})
		b.Run("Trafgen", func(b *testing.B) { benchTrafgen(b, a, frame) })
	}
}

// sendRounds is how many times BenchmarkSend runs each way of sending.
const sendRounds = 3

// cpuClock measures the CPU time of the calling goroutine's thread, to
// which it stays locked until done.
type cpuClock struct{ start time.Duration }

func startCPU() *cpuClock {
	runtime.LockOSThread()
	return &cpuClock{start: threadCPU()}
}

// report reports pps and the CPU time per frame, and unlocks the thread.
func (c *cpuClock) report(b *testing.B) {
	cpu := threadCPU() - c.start
	runtime.UnlockOSThread()
	pps(b)
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/frame")
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

// benchProto is the EtherType the sending sockets bind to: not the one
// of the frames they send, so that they do not receive them.
const benchProto = 0x88b6

// pps reports frames per second.
func pps(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pps")
}

func benchGoWrite(b *testing.B, a *lab.End, frame []byte) {
	var fd int
	err := a.NetNS().Do(func() (err error) {
		fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		// The EtherType the other benchmarks bind to, in network order.
		return unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: sock.Htons(benchProto), Ifindex: a.Ifindex})
	})
	if err != nil {
		b.Fatal(err)
	}
	defer unix.Close(fd)
	b.ReportAllocs()
	clock := startCPU()
	for b.Loop() {
		if _, err := unix.Write(fd, frame); err != nil {
			b.Fatal(err)
		}
	}
	clock.report(b)
}

func benchSocketSend(b *testing.B, a *lab.End, frame []byte) {
	s := openOn(b, a, Config{Proto: benchProto})
	b.ReportAllocs()
	clock := startCPU()
	for b.Loop() {
		if _, err := s.Send(context.Background(), frame); err != nil {
			b.Fatal(err)
		}
	}
	clock.report(b)
}

func benchLuaSend(b *testing.B, a *lab.End, frame []byte, code string) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	rt.L.SetGlobal("FRAME", lua.LString(frame))
	rt.L.SetGlobal("NETNS", lua.LString(labtest.NSPath(a)))
	setup := `packet = require "packet"; s = packet.open("` + a.Ifname + `", { netns = NETNS, proto = ` + strconv.Itoa(benchProto) + ` })`
	if err := rt.L.DoString(setup); err != nil {
		b.Fatal(err)
	}
	loop, err := rt.L.LoadString(code)
	if err != nil {
		b.Fatal(err)
	}
	rt.L.SetGlobal("N", lua.LNumber(b.N))
	b.ReportAllocs()
	b.ResetTimer()
	clock := startCPU()
	if err := rt.Run(loop); err != nil {
		b.Fatal(err)
	}
	clock.report(b)
}

// trafgenRate matches the CPU time and packet count in trafgen's summary.
// Its pps is frames over that CPU time: the one thread (-P1) sends flat
// out, so that is its rate while it runs, setup left out.
var trafgenRate = regexp.MustCompile(`(\d+) sec, (\d+) usec on CPU\d+ \((\d+) packets\)`)

func benchTrafgen(b *testing.B, a *lab.End, frame []byte) {
	if _, err := exec.LookPath("trafgen"); err != nil {
		b.Skip("trafgen (netsniff-ng) is not installed")
	}
	sent, d := trafgen(b, a, frame, max(b.N, 1000))
	b.ReportMetric(float64(sent)/d.Seconds(), "pps")
	b.ReportMetric(float64(d.Nanoseconds())/float64(sent), "cpu-ns/frame")
}

// trafgen sends n copies of frame out of a with trafgen -P1, as fast as
// it can, and returns how many it sent and in how much CPU time.
func trafgen(b testing.TB, a *lab.End, frame []byte, n int) (sent int, cpu time.Duration) {
	var cfg strings.Builder
	cfg.WriteString("{ ")
	for i, c := range frame {
		if i > 0 {
			cfg.WriteString(", ")
		}
		fmt.Fprintf(&cfg, "0x%02x", c)
	}
	cfg.WriteString(" }\n")
	// Leave the host's socket memory sysctls and IRQ affinity alone.
	out := labtest.Run(b, a, cfg.String(), "trafgen", "-P1", "--no-sock-mem", "--notouch-irq", "-i", "-", "-o", a.Ifname, "-n", strconv.Itoa(n))
	m := trafgenRate.FindStringSubmatch(out)
	if m == nil {
		b.Fatalf("no rate in trafgen's output:\n%s", out)
	}
	sec, _ := strconv.Atoi(m[1])
	usec, _ := strconv.Atoi(m[2])
	sent, _ = strconv.Atoi(m[3])
	return sent, time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond
}

// The receive benchmarks measure frames per second that b reads while a
// sends as fast as it can: Socket.Recv in Go, and a Lua loop of s:recv.
// Both report the share of frames the kernel dropped for want of buffer.
func BenchmarkRecv(b *testing.B) {
	a, peer := pair(b)
	frame := labtest.Frame(a, peer, 0)
	b.Run("Socket", func(b *testing.B) {
		s := openOn(b, peer, Config{Proto: exp})
		stop := blastUntil(b, a, frame)
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := s.Recv(context.Background(), time.Second); err != nil {
				b.Fatal(err)
			}
		}
		stop()
		reportDrops(b, s)
	})
	// The same with a six-term tcpdump filter attached in the kernel, to
	// show what the filter costs a receiver.
	b.Run("SocketFiltered", func(b *testing.B) {
		prog := filter.MustCompile(fmt.Sprintf("ether proto 0x88b5 and ether src %s and ether dst %s and greater 20 and not ip and not arp", a.MAC, peer.MAC))
		s := openOn(b, peer, Config{Proto: exp, Filter: prog.Raw()})
		stop := blastUntil(b, a, frame)
		for b.Loop() {
			if _, _, err := s.Recv(context.Background(), time.Second); err != nil {
				b.Fatal(err)
			}
		}
		stop()
		reportDrops(b, s)
	})
	b.Run("Lua", func(b *testing.B) {
		rt := luabind.New(luaModules()...)
		defer rt.Close()
		rt.L.SetGlobal("NETNS", lua.LString(labtest.NSPath(peer)))
		if err := rt.L.DoString(`s = require("packet").open("` + peer.Ifname + `", { netns = NETNS, proto = 0x88b5 })`); err != nil {
			b.Fatal(err)
		}
		loop, _ := rt.L.LoadString(`local s = s; for i = 1, N do assert(s:recv(1)) end`)
		rt.L.SetGlobal("N", lua.LNumber(b.N))
		stop := blastUntil(b, a, frame)
		b.ReportAllocs()
		b.ResetTimer()
		if err := rt.Run(loop); err != nil {
			b.Fatal(err)
		}
		stop()
		pps(b)
	})
}

// blastUntil sends frame from a in a goroutine until stop is called.
func blastUntil(b *testing.B, a *lab.End, frame []byte) (stop func()) {
	s := openOn(b, a, Config{Proto: benchProto})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Blast(ctx, frame, BlastOptions{Limits: Limits{Duration: time.Hour}})
	}()
	return func() { cancel(); <-done }
}

// reportDrops reports pps and the share of frames the kernel dropped.
func reportDrops(b *testing.B, s *Socket) {
	pps(b)
	st, _ := s.Stats()
	if st.Received > 0 {
		b.ReportMetric(100*float64(st.Dropped)/float64(st.Received), "%dropped")
	}
}
