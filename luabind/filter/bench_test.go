package filter

import (
	"testing"

	"golang.org/x/net/bpf"
)

// sixTerms is the benchmark's expression: six primitives.
const sixTerms = "tcp and dst port 80 and src host 10.0.0.1 and not ip6 and len >= 60 and tcp[tcpflags] & tcp-syn != 0"

// benchFrame is a 64-byte IPv4 TCP SYN from 10.0.0.1 to port 80: every
// term of sixTerms holds, so the whole program runs.
var benchFrame = func() []byte {
	f := pad(portFrame(80))
	return append(f, make([]byte, 64-len(f))...)
}()

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(sixTerms); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	p := MustCompile(sixTerms)
	if len(benchFrame) != 64 || !p.Match(benchFrame) {
		b.Fatal("the frame must be 64 bytes and match")
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Match(benchFrame)
	}
}

// BenchmarkMatchMiss is an ARP frame, which the first test rejects.
func BenchmarkMatchMiss(b *testing.B) {
	p := MustCompile(sixTerms)
	arp := corpus()[0].data
	b.ReportAllocs()
	for b.Loop() {
		p.Match(arp)
	}
}

// BenchmarkMatchXNetBPF runs the same program in x/net/bpf's VM.
func BenchmarkMatchXNetBPF(b *testing.B) {
	p := MustCompile(sixTerms)
	insns, _ := bpf.Disassemble(p.Raw())
	vm, err := bpf.NewVM(insns)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		vm.Run(benchFrame)
	}
}
