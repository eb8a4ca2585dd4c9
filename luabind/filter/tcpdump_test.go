package filter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// Judged against tcpdump itself: for every expression, the corpus frames
// netlua's Match selects must be exactly those tcpdump -r selects, and
// an expression tcpdump refuses netlua must refuse too.

const corpusFile = "testdata/corpus.pcap"

// tcpdumpPath finds tcpdump; without it the test skips, unless
// NETLUA_PRIVILEGED=1 (CI, which installs it) makes that a failure.
func tcpdumpPath(t *testing.T) string {
	for _, p := range []string{"tcpdump", "/usr/bin/tcpdump", "/usr/sbin/tcpdump"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("NETLUA_PRIVILEGED") == "1" {
		t.Fatal("tcpdump is not installed and NETLUA_PRIVILEGED=1 is set: apt-get install tcpdump")
	}
	t.Skip("tcpdump is not installed (apt-get install tcpdump): nothing to judge netlua's filters against")
	return ""
}

// readPcap returns the records of a pcap file by timestamp second.
func readPcap(data []byte) (map[uint32][]byte, error) {
	if len(data) < 24 {
		return nil, fmt.Errorf("pcap of %d bytes", len(data))
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch binary.LittleEndian.Uint32(data) {
	case 0xa1b2c3d4, 0xa1b23c4d:
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order = binary.BigEndian
	default:
		return nil, fmt.Errorf("not a pcap file")
	}
	recs := map[uint32][]byte{}
	for off := 24; off < len(data); {
		if off+16 > len(data) {
			return nil, fmt.Errorf("truncated record header at %d", off)
		}
		sec, n := order.Uint32(data[off:]), int(order.Uint32(data[off+8:]))
		if off+16+n > len(data) {
			return nil, fmt.Errorf("truncated record at %d", off)
		}
		recs[sec] = data[off+16 : off+16+n]
		off += 16 + n
	}
	return recs, nil
}

// loadCorpus reads the committed corpus: frame i is the record at i seconds.
func loadCorpus(t *testing.T) [][]byte {
	data, err := os.ReadFile(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readPcap(data)
	if err != nil {
		t.Fatal(err)
	}
	frames := make([][]byte, len(recs))
	for sec, f := range recs {
		frames[sec] = f
	}
	return frames
}

// tcpdumpSelects runs tcpdump on the corpus with expr and returns the
// indexes of the frames it selects, or its error message.
func tcpdumpSelects(tcpdump, file, expr string) ([]int, error) {
	cmd := exec.Command(tcpdump, "-n", "-r", file, "-w", "-", "--", expr)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, errors.New(strings.TrimSpace(stderr.String()))
	}
	recs, err := readPcap(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("tcpdump's output: %v", err)
	}
	var idx []int
	for sec := range recs {
		idx = append(idx, int(sec))
	}
	sort.Ints(idx)
	return idx, nil
}

// netluaSelects returns the indexes of the frames p matches.
func netluaSelects(p *Program, frames [][]byte) []int {
	var idx []int
	for i, f := range frames {
		if p.Match(f) {
			idx = append(idx, i)
		}
	}
	return idx
}

// verdict is the comparison of one expression.
type verdict struct {
	expr    string
	compile error
	tcpdump error
	got     []int
	want    []int
}

// judge compiles and runs every expression on the corpus.
func judge(tcpdump string, exprs []string, frames [][]byte) []verdict {
	return judgeFile(tcpdump, corpusFile, exprs, frames)
}

// judgeFile compiles and runs every expression on the frames of file,
// tcpdump in parallel; host names go to testResolver, not the machine's.
func judgeFile(tcpdump, file string, exprs []string, frames [][]byte) []verdict {
	out := make([]verdict, len(exprs))
	parallel(len(exprs), func(i int) {
		v := verdict{expr: exprs[i]}
		v.want, v.tcpdump = tcpdumpSelects(tcpdump, file, v.expr)
		var p *Program
		if p, v.compile = CompileWith(v.expr, Options{Resolve: testResolver}); v.compile == nil {
			v.got = netluaSelects(p, frames)
		}
		out[i] = v
	})
	return out
}

func allExprs() []string {
	var all []string
	for _, list := range [][]string{protocolExprs, booleanExprs, hostExprs, etherExprs, protoExprs,
		portExprs, byteExprs, arithExprs, vlanExprs, labelExprs} {
		all = append(all, list...)
	}
	// Long programs, whose jumps need trampolines.
	var ports []string
	for p := 1; p <= 300; p++ {
		ports = append(ports, fmt.Sprint(p*7))
	}
	return append(all, "tcp dst port "+strings.Join(ports, " or ")+" or icmp",
		"host "+hostList(200)+" or 192.168.1.10", "not (src net 10.0.0.0/8 and "+hostList(120)+") and udp")
}

func TestMatchesTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	frames := loadCorpus(t)
	exprs := allExprs()
	agree := 0
	for _, v := range judge(tcpdump, exprs, frames) {
		switch {
		case v.tcpdump != nil:
			t.Errorf("%q: tcpdump refuses it (%v); the list is of expressions it compiles", v.expr, v.tcpdump)
		case v.compile != nil:
			t.Errorf("%q: netlua refuses it (%v); tcpdump selects %v", v.expr, v.compile, v.want)
		case fmt.Sprint(v.got) != fmt.Sprint(v.want):
			t.Errorf("%q: netlua selects %v, tcpdump %v\n%s", v.expr, v.got, v.want, diffNames(v.got, v.want, corpus()))
		default:
			agree++
		}
	}
	t.Logf("%d of %d expressions select the same frames as tcpdump, over %d frames", agree, len(exprs), len(frames))
}

// diffNames names the frames on which the two disagree.
func diffNames(got, want []int, names []corpusFrame) string {
	in := func(s []int, x int) bool {
		i := sort.SearchInts(s, x)
		return i < len(s) && s[i] == x
	}
	var b strings.Builder
	for _, x := range got {
		if !in(want, x) {
			fmt.Fprintf(&b, "  only netlua: %d %s\n", x, names[x].name)
		}
	}
	for _, x := range want {
		if !in(got, x) {
			fmt.Fprintf(&b, "  only tcpdump: %d %s\n", x, names[x].name)
		}
	}
	return b.String()
}

func TestRefusedLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	for _, v := range judge(tcpdump, refusedExprs, nil) {
		if v.tcpdump == nil {
			t.Errorf("%q: tcpdump compiles it; the list is of expressions it refuses", v.expr)
		}
		if v.compile == nil {
			t.Errorf("%q: netlua compiles it; tcpdump says %v", v.expr, v.tcpdump)
		}
	}
}

func TestUnsupportedNamed(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	for _, v := range judge(tcpdump, unsupportedExprs, nil) {
		if v.tcpdump != nil {
			t.Errorf("%q: tcpdump refuses it too (%v); move it to refusedExprs", v.expr, v.tcpdump)
		}
		if !errors.Is(v.compile, ErrUnsupported) {
			t.Errorf("%q: want an error naming it as not supported, got %v", v.expr, v.compile)
		}
	}
}

// TestVMsAgree runs every program on every frame in netlua's interpreter
// and in x/net/bpf's VM, which cannot run "neg" (those are skipped).
func TestVMsAgree(t *testing.T) {
	frames := loadCorpus(t)
	checked := 0
	for _, e := range allExprs() {
		p, err := Compile(e)
		if err != nil {
			continue
		}
		insns, ok := bpf.Disassemble(p.raw)
		vm, err := bpf.NewVM(insns)
		if !ok || err != nil || strings.Contains(p.Dump(), "neg") {
			continue
		}
		for i, f := range frames {
			n, err := vm.Run(f)
			if err != nil || (n > 0) != p.Match(f) {
				t.Errorf("%q on frame %d: x/net/bpf says %d (%v), netlua %v", e, i, n, err, p.Match(f))
			}
		}
		checked++
	}
	t.Logf("%d programs × %d frames agree in both VMs", checked, len(frames))
}

// TestDumpsLikeTcpdump counts the programs that are tcpdump -d's own,
// instruction for instruction; none may be longer than tcpdump's.
func TestDumpsLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	same, total := 0, 0
	for _, e := range allExprs() {
		p, err := Compile(e)
		out, terr := exec.Command(tcpdump, "-d", "--", e).Output()
		if err != nil || terr != nil {
			continue
		}
		total++
		if string(out) == p.Dump() {
			same++
		} else if n := strings.Count(string(out), "\n"); p.Len() > n {
			t.Errorf("%q: %d instructions, tcpdump %d", e, p.Len(), n)
		}
	}
	t.Logf("%d of %d programs are the very instructions of tcpdump -d", same, total)
}
