package filter

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// protochain judged against tcpdump on frames Scapy built
// (testdata/gen_chains.py writes testdata/chains.pcap), and against
// libpcap's own program, loop and all, run in netlua's interpreter on
// those frames cut at every length and damaged.

const chainsFile = "testdata/chains.pcap"

// chainFrames reads the frames of chains.pcap with their names.
func chainFrames(t *testing.T) []corpusFrame {
	t.Helper()
	data, err := os.ReadFile(chainsFile)
	must(t, err)
	recs, err := readPcap(data)
	must(t, err)
	names, err := os.ReadFile("testdata/chains.txt")
	must(t, err)
	lines := strings.Split(strings.TrimSpace(string(names)), "\n")
	if len(lines) != len(recs) {
		t.Fatalf("chains.txt names %d frames, chains.pcap holds %d", len(lines), len(recs))
	}
	out := make([]corpusFrame, len(recs))
	for i, line := range lines {
		f := strings.SplitN(line, "\t", 3)
		out[i] = corpusFrame{name: f[len(f)-1], data: recs[uint32(i)]}
	}
	return out
}

func frameBytes(fs []corpusFrame) [][]byte {
	out := make([][]byte, len(fs))
	for i, f := range fs {
		out[i] = f.data
	}
	return out
}

// beyondDepth names the frame whose chain is longer than netlua
// follows (protochainDepth): there tcpdump finds TCP and netlua stops.
const beyondDepth = "ipv6 17 dest headers tcp"

var protochainExprs = []string{
	"ip protochain 6", "ip6 protochain 6", "protochain 6", "protochain 17", `protochain \tcp`,
	`ip6 protochain \udp`, "ip6 protochain ipv6-icmp", "protochain 51", "ip6 protochain 51", "protochain 50",
	"protochain 59", "ip6 protochain 58", "ip6 protochain 44", "ip6 protochain 0", "ip6 protochain 60",
	"protochain 300", "protochain 6 or 17", "ip protochain 6 or ip6 protochain 17", "protochain 6 and tcp port 80",
	"not protochain 17", "protochain 17 and not udp", "vlan and ip6 protochain 6", "vlan 10 and protochain 17",
	"mpls and protochain 6", "mpls 100 and ip6 protochain 17", "pppoes and protochain 17",
	"pppoes 7 and ip protochain 6", "ip6 protochain 6 and ip6 host 2001:2::2", "ip6 and protochain 6",
	"ip protochain 17 or arp", "protochain 6 and len > 100",
}

func TestProtochainLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	chains := chainFrames(t)
	judgeChains(t, tcpdump, chains, protochainExprs, beyondDepth)
	// The one difference, where the chain is longer than netlua follows.
	v := judgeFile(tcpdump, chainsFile, []string{"ip6 protochain 6"}, frameBytes(chains))[0]
	at := slices.IndexFunc(chains, func(f corpusFrame) bool { return f.name == beyondDepth })
	if !slices.Contains(v.want, at) || slices.Contains(v.got, at) {
		t.Errorf("%q on %q: tcpdump %v, netlua %v; want tcpdump's only", v.expr, beyondDepth, v.want, v.got)
	}
}

// judgeChains judges exprs with tcpdump -r on chains.pcap and on the
// corpus; they may differ on the chain frame named except only. It
// returns the verdicts on chains.pcap.
func judgeChains(t *testing.T, tcpdump string, chains []corpusFrame, exprs []string, except string) []verdict {
	t.Helper()
	verdicts := judgeFile(tcpdump, chainsFile, exprs, frameBytes(chains))
	for i, v := range judge(tcpdump, exprs, loadCorpus(t)) {
		checkVerdict(t, v, corpus(), "")
		checkVerdict(t, verdicts[i], chains, except)
	}
	return verdicts
}

// checkVerdict fails when netlua and tcpdump differ on a frame other
// than the one named except.
func checkVerdict(t *testing.T, v verdict, frames []corpusFrame, except string) {
	t.Helper()
	switch {
	case v.tcpdump != nil || v.compile != nil:
		t.Errorf("%q: tcpdump says %v, netlua %v", v.expr, v.tcpdump, v.compile)
		return
	}
	drop := func(s []int) []int {
		return slices.DeleteFunc(slices.Clone(s), func(i int) bool { return frames[i].name == except })
	}
	if got, want := drop(v.got), drop(v.want); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%q: netlua selects %v, tcpdump %v\n%s", v.expr, got, want, diffNames(got, want, frames))
	}
}

// damagedChains are the chain frames, each cut at every length and with
// bytes past the Ethernet header changed, but the one longer than netlua
// follows.
func damagedChains(frames []corpusFrame, r *rand.Rand) []corpusFrame {
	var out []corpusFrame
	for _, f := range frames {
		if f.name == beyondDepth {
			continue
		}
		for n := 0; n <= len(f.data); n++ {
			out = append(out, corpusFrame{fmt.Sprintf("%s cut at %d", f.name, n), f.data[:n]})
		}
		for range 8 {
			b := slices.Clone(f.data)
			i := 14 + r.IntN(len(b)-14)
			b[i] = byte(r.IntN(256))
			out = append(out, corpusFrame{fmt.Sprintf("%s with byte %d = %#x", f.name, i, b[i]), b})
		}
	}
	return out
}

// TestProtochainAgainstLibpcap runs libpcap's program for each
// expression (tcpdump -dd: unoptimized, with its backward jumps) and
// netlua's on the damaged chain frames and the corpus: they must agree
// on every one.
func TestProtochainAgainstLibpcap(t *testing.T) { judgeChainsAgainstLibpcap(t, protochainExprs, 1) }

// judgeChainsAgainstLibpcap judges exprs on the chain frames, damaged
// with a seed, and on the corpus.
func judgeChainsAgainstLibpcap(t *testing.T, exprs []string, seed uint64) {
	tcpdump := tcpdumpPath(t)
	r := rand.New(rand.NewPCG(seed, 18))
	frames := fileInputs(append(damagedChains(chainFrames(t), r), corpus()...))
	libpcap := func(expr string, args ...string) ([]bpf.RawInstruction, error) {
		return tcpdumpProgram(tcpdump, expr, args...)
	}
	compile := func(expr string) (*Program, error) { return CompileWith(expr, testOptions) }
	n := judgeAll(t, compileThree(libpcap, compile, exprs), frames, nil)
	if n.agree != len(exprs) {
		t.Errorf("%d of %d expressions agree with libpcap", n.agree, len(exprs))
	}
	t.Logf("%d expressions agree with libpcap's programs over %d frames", n.agree, len(frames))
}

// TestProtochainProgram: the unrolled loop is a program the kernel
// takes, with no backward jump, and a live program refuses protochain
// after its first vlan as libpcap does.
func TestProtochainProgram(t *testing.T) {
	for _, e := range protochainExprs {
		p, err := CompileWith(e, testOptions)
		if err != nil {
			t.Fatalf("%q: %v", e, err)
		}
		for i, ins := range p.raw {
			if ins.Op == opJMP|jJA && int32(ins.K) < 0 {
				t.Errorf("%q: instruction %d jumps back", e, i)
			}
		}
		if p.Len() > maxInsns {
			t.Errorf("%q: %d instructions", e, p.Len())
		}
	}
	_, err := CompileWith("vlan and protochain 6", Options{Live: true, Resolve: testResolver, Names: testNames})
	if err == nil || err.Error() != "filter: 'protochain' not supported with variable length headers at column 21" {
		t.Errorf("live vlan and protochain: %v", err)
	}
}

var geneveExprs = []string{
	"geneve", "geneve 5", "geneve 7", "geneve 0xabcdef", "geneve 9", "geneve 6", "geneve 16777215", "not geneve",
	"geneve and ip", "geneve and ip6", "geneve and tcp", "geneve and udp port 53", "geneve and tcp port 80",
	"geneve 5 and ip host 198.18.7.2", "geneve and ip6 host 2001:2:0:7::2", "geneve and net 198.18.7.0/24",
	"geneve and ether host 02:00:00:00:00:0a", "geneve and ether src 02:00:00:00:00:0a", "geneve and ether broadcast",
	"geneve and ether multicast", "geneve and broadcast", "geneve and arp", "geneve and vlan", "geneve and vlan 20",
	"geneve and vlan 20 and udp port 53", "geneve and ether proto 0x800", "geneve and ether[0] = 2", "geneve and ether[12:2] = 0x800",
	"geneve and ip[9] = 6", "geneve and tcp[13] & 2 != 0", "geneve and udp[2:2] = 53", "geneve and ip6[6] = 17",
	"geneve and icmp", "geneve and len > 100", "ip and geneve", "udp and geneve 5", "vlan and geneve", "vlan 10 and geneve 5 and tcp",
	"geneve and ip proto 17", "geneve and ip6 proto 6",
	"geneve and geneve", "mpls and geneve", "geneve and mpls", "geneve and llc", "geneve and ip broadcast",
	"geneve and ip multicast", "tcp or geneve", "geneve and not tcp", "geneve and (tcp or udp)",
}

func TestGeneveLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	verdicts := judgeChains(t, tcpdump, chainFrames(t), geneveExprs, "")
	if v := verdicts[0]; len(v.want) < 8 {
		t.Errorf("geneve: tcpdump selects %v of chains.pcap; the captures should hold more Geneve frames", v.want)
	}
}

// TestGeneveAgainstLibpcap is TestProtochainAgainstLibpcap for geneve.
func TestGeneveAgainstLibpcap(t *testing.T) { judgeChainsAgainstLibpcap(t, geneveExprs, 2) }

// TestProtochainAHLoop: on testdata/ahloop.pcap's frame, an AH header
// whose length leads libpcap's loop back to it, tcpdump -r never ends;
// libpcap's program in netlua's interpreter stops after maxBackJumps,
// and netlua's own program, unrolled, says no.
func TestProtochainAHLoop(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	data, err := os.ReadFile("testdata/ahloop.pcap")
	must(t, err)
	recs, err := readPcap(data)
	must(t, err)
	in := input{data: recs[0], len: uint32(len(recs[0]))}
	libpcap, err := tcpdumpProgram(tcpdump, "ip protochain 6")
	must(t, err)
	if ret, done := run(libpcap, &in); ret != 0 || done {
		t.Errorf("libpcap's program: returned %d, ran to a return %v; want it stopped with no match", ret, done)
	}
	p, err := CompileWith("ip protochain 6", testOptions)
	must(t, err)
	if ret, done := run(p.raw, &in); ret != 0 || !done {
		t.Errorf("netlua's program: returned %d, ran to a return %v; want no match, returned", ret, done)
	}
}
