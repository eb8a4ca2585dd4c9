package filter

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/bpf"
)

// The optimizer judged against libpcap's own programs: generated
// expressions of arithmetic, constants that fold, relations, loads and
// boolean structure, compiled by tcpdump without its optimizer (-O) and
// with it, and by netlua. The three run in the same interpreter on a
// damaged corpus, where netlua's program must answer as libpcap's (see
// judgeFrames). An expression netlua refuses, tcpdump must refuse, and
// the reverse.
// FILTER_DIFF=n runs n expressions (400 by default); FILTER_SEED
// changes the seed.

// tcpdumpProgram compiles expr with tcpdump -dd and the extra arguments
// (-O: no optimizer) and returns the program, or tcpdump's error.
func tcpdumpProgram(tcpdump, expr string, args ...string) ([]bpf.RawInstruction, error) {
	return tcpdumpProgramCmd(tcpdump, append(append([]string{"-dd"}, args...), "--", expr)...)
}

// tcpdumpProgramCmd runs a command that prints a program as tcpdump -dd.
func tcpdumpProgramCmd(name string, args ...string) ([]bpf.RawInstruction, error) {
	cmd := exec.Command(name, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(strings.ReplaceAll(stderr.String(), "Warning: assuming Ethernet\n", ""))
		return nil, errors.New(msg)
	}
	return parseDD(out.String())
}

// parseDD reads tcpdump -dd's output: "{ 0x28, 0, 0, 0x0000000c },".
func parseDD(s string) ([]bpf.RawInstruction, error) {
	var prog []bpf.RawInstruction
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := strings.Trim(strings.TrimSpace(sc.Text()), "{},")
		if line == "" {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 4 {
			return nil, fmt.Errorf("tcpdump -dd: bad line %q", sc.Text())
		}
		var v [4]uint64
		for i := range f {
			n, err := strconv.ParseUint(strings.TrimSpace(f[i]), 0, 32)
			if err != nil {
				return nil, fmt.Errorf("tcpdump -dd: bad line %q: %v", sc.Text(), err)
			}
			v[i] = n
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
	}
	return prog, nil
}

// diffVerdict is one expression compiled three ways.
type diffVerdict struct {
	expr             string
	unopt, opt, mine []bpf.RawInstruction
	unoptErr, optErr error
	mineErr          error
}

// A libpcapCompiler compiles an expression as tcpdump does, with
// tcpdump's extra arguments (-O: without its optimizer).
type libpcapCompiler func(expr string, args ...string) ([]bpf.RawInstruction, error)

// compileThree compiles every expression with libpcap, without and with
// its optimizer, and with compile, libpcap in parallel.
func compileThree(libpcap libpcapCompiler, compile func(string) (*Program, error), exprs []string) []diffVerdict {
	out := make([]diffVerdict, len(exprs))
	parallel(len(exprs), func(i int) {
		v := diffVerdict{expr: exprs[i]}
		v.unopt, v.unoptErr = libpcap(v.expr, "-O")
		v.opt, v.optErr = libpcap(v.expr)
		if p, err := compile(v.expr); err == nil {
			v.mine = p.raw
		} else {
			v.mineErr = err
		}
		out[i] = v
	})
	return out
}

// parallel runs f(0) to f(n-1), twice as many at a time as there are
// CPUs (most of the time goes to waiting for tcpdump).
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU()*2)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

// diffCounts sum up judgeAll.
type diffCounts struct {
	agree, refused, split, known, skipped int
}

// judgeAll judges every verdict on inputs (see judgeFrames), except
// those skip names; what is wrong is a test error. An expression netlua
// refuses, libpcap must refuse, and the reverse, but for deadStoreLag.
func judgeAll(t *testing.T, verdicts []diffVerdict, inputs []namedInput, skip func(diffVerdict) bool) diffCounts {
	t.Helper()
	var n diffCounts
	for _, v := range verdicts {
		switch {
		case skip != nil && skip(v):
			n.skipped++
		case v.optErr == nil && deadStoreLag(v.expr, v.mineErr):
			n.known++
			t.Logf("%q: netlua refuses it (%v), tcpdump compiles it (known: see deadStoreLag)", v.expr, v.mineErr)
		case (v.optErr == nil) != (v.mineErr == nil):
			t.Errorf("%q: tcpdump says %v, netlua %v", v.expr, v.optErr, v.mineErr)
		case v.mineErr != nil:
			n.refused++
		case v.unoptErr != nil:
			t.Errorf("%q: tcpdump -O refuses it (%v) but tcpdump compiles it", v.expr, v.unoptErr)
		default:
			wrong, split := v.judgeFrames(inputs)
			n.split += split
			if wrong != "" {
				t.Errorf("%q: netlua's program answers as neither of libpcap's:\n%s%s", v.expr, wrong, dump(v.mine))
				continue
			}
			n.agree++
		}
	}
	return n
}

// A namedInput is a frame to run programs on, with its name.
type namedInput struct {
	name string
	in   input
}

// fileInputs are frames as a capture file holds them.
func fileInputs(frames []corpusFrame) []namedInput {
	out := make([]namedInput, len(frames))
	for i, f := range frames {
		out[i] = namedInput{f.name, input{data: f.data, len: uint32(len(f.data))}}
	}
	return out
}

// judgeFrames returns what is wrong with netlua's program on frames, or
// "", and counts the frames where libpcap's two programs disagree. Where
// they agree, netlua must too. Where one ended on a load past the end of
// the frame (libpcap's optimizer drops and moves loads, and adds
// offsets in 32 bits), netlua must answer as the optimized one, which
// is what tcpdump runs. Where both ran to the end and still disagree,
// libpcap's optimizer changed what the program computes, and netlua
// must answer as the unoptimized one.
func (v diffVerdict) judgeFrames(frames []namedInput) (wrong string, split int) {
	var b strings.Builder
	for _, f := range frames {
		in := f.in
		u, uok := run(v.unopt, &in)
		o, ook := run(v.opt, &in)
		m, _ := run(v.mine, &in)
		want, why := o != 0, "as libpcap's optimized and unoptimized programs"
		switch {
		case (u != 0) == (o != 0):
		case uok && ook:
			split++
			want, why = u != 0, "as libpcap's unoptimized program (its optimizer changed the result)"
		default:
			split++
			why = "as libpcap's optimized program (a load past the end decides)"
		}
		if (m != 0) != want {
			fmt.Fprintf(&b, "  %s: netlua %v, want %v %s\n", f.name, m != 0, want, why)
		}
	}
	return b.String(), split
}

func TestOptimizerAgainstLibpcap(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	seed := uint64(envInt("FILTER_SEED", 1))
	r := rand.New(rand.NewPCG(seed, 16))
	frames := fileInputs(damaged(r))
	exprs := make([]string, envInt("FILTER_DIFF", 400))
	for i := range exprs {
		exprs[i] = diffExpr(r, 3)
	}
	exprs = append(exprs, foldedExprs...)
	libpcap := func(expr string, args ...string) ([]bpf.RawInstruction, error) {
		return tcpdumpProgram(tcpdump, expr, args...)
	}
	n := judgeAll(t, compileThree(libpcap, Compile, exprs), frames, nil)
	t.Logf("seed %d: %d expressions agree with libpcap over %d frames (%d refused by both; %d verdicts where libpcap's two programs differ; %d refused by netlua alone, see deadStoreLag)",
		seed, n.agree, len(frames), n.refused, n.split, n.known)
}

// deadStoreLag reports whether err is a folding error in arithmetic
// that libpcap's dead-store elimination may remove before its folding
// meets it: a zero divisor or a long shift under an operand that "x & 0"
// or "x * 0" makes useless. fold.go follows the passes in which libpcap
// drops such statements for one level of nesting ("0 * (ip[0] / (1 -
// 1))") but not when a "& 0" or "* 0" deeper inside delays the division
// ("(ip[0] / (ip[1] * 0)) * 0 = 1"): netlua then refuses an expression
// tcpdump compiles. It is a known gap, logged, not a failure; the other
// way round (netlua compiling what tcpdump refuses) always fails.
func deadStoreLag(expr string, err error) bool {
	var fe *Error
	if !errors.As(err, &fe) || !strings.Contains(expr, "* 0") && !strings.Contains(expr, "& 0") {
		return false
	}
	return strings.Contains(fe.Msg, "by zero") || strings.Contains(fe.Msg, "shift by more than 31")
}

// foldedExprs are relations whose sides fold to constants, which the
// optimizer once decided wrongly, and folding errors in code that
// libpcap drops before it folds.
var foldedExprs = []string{
	"arp or ((ip[0] & 0) = (ip[1] & 0) and (ip[0] & 0) = 0)",
	"1 = 1 and 1 != 1 - 0",
	"2 * 2 = 2 * 2 and 2 * 2 = 4",
	"2 * 2 = 4 and 1 + 3 = 4 and 4 = 2 + 2",
	"(ip[0] & 0) = 0 and 0 = (ip[1] * 0) and ip",
	"ip and (tcp[0] & 0) = 1 - 1",
	"1 - 1 = 1 and ip[0] / (1 - 1) = 1",
	"2 * 2 = 5 and ip[0] / (1 - 1) = 1",
	"ip and ip[0] & 0 = 1 and ip[1] / (1 - 1) = 1",
	"ip and 0 * ip[0] = 1 and ip[1] / (1 - 1) = 1",
	"arp or 1 - 1 = 1 and ip[0] % (2 - 2) = 0",
	"udp or (ip[0] & 0) = 1 and ip[0] / (ip[1] & 0) = 0",
	"ip[-1] = 0", "ip[0 - 14] = 0x80", "tcp[-1] = 5", "ether[-1] = 0", "udp[-8:2] = 53",
	// Errors in operands that a zero makes useless: libpcap drops their
	// statements a pass at a time, and raises only if it meets the
	// division first.
	"0 * (ip[0] / (1 - 1)) = 1", "0 * (ip[0] / (ip[1] * 0)) = 1", "(ip[0] / (1 - 1)) * 0 = 1",
	"(ip[0] / (ip[1] * 0)) * 0 = 1", "(ip[5] & 0) * (ip[0] / (ip[1] * 0)) = 1", "(ip[0] / (ip[1] * 0)) * (1 - 1) = 1",
	"(ip[0] / (ip[1] * 0) + 1) * 0 = 1", "(1 + ip[0] / (ip[1] * 0)) * 0 = 1", "(ip[0] % (ip[1] * 0)) & 0 = 1",
	"(ip[0] / (ip[1] * (ip[2] & 0))) * (ip[5] & 0) = 1", "(ip[0] / (ip[1] * (ip[2] & 0))) * 0 = 1",
	"(ip[5] & 0) * (ip[0] / (ip[1] * (ip[2] & 0))) = 1", "(ip[5] * (ip[6] & 0)) * (ip[0] / (ip[1] * (ip[2] & 0))) = 1",
	"0 * (ip[0] / (ip[1] * 0) + 1) = 1", "(1 - 1) * (ip[0] / (ip[1] * 0)) = 1", "(1 - 1) * (ip[0] / (1 - 1)) = 1",
	"0 << (ip[0] / (ip[1] * 0)) = 1", "0 << (ip[0] / (1 - 1)) = 1", "ip[0] << (ip[1] * 0 + 32) = 1",
}

// diffExpr is an expression of about depth levels of boolean structure
// over relations and primitives.
func diffExpr(r *rand.Rand, depth int) string {
	return boolExpr(r, depth, 5, diffLeaf)
}

// diffLeaf is a primitive or a relation of two arithmetic expressions.
func diffLeaf(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return diffPrimitives[r.IntN(len(diffPrimitives))]
	}
	return diffArith(r, 2) + []string{" = ", " != ", " < ", " <= ", " > ", " >= "}[r.IntN(6)] + diffArith(r, 2)
}

// diffPrimitives are the primitives between the relations.
var diffPrimitives = []string{"arp", "ip", "ip6", "tcp", "udp", "icmp", "udp port 53", "tcp port 80", "vlan",
	"host 10.0.0.1", "ether broadcast", "len > 60", "less 64"}

// diffLeaves are the operands: numbers (zero among them, so that
// products and masks fold), loads at fixed and negative offsets, and
// constants written as arithmetic.
var diffLeaves = []string{"0", "1", "2", "4", "14", "31", "32", "0xff", "0xffffffff", "0x45",
	"ip[0]", "ip[9]", "ip[2:2]", "ip[1]", "ip[-1]", "tcp[13]", "tcp[0:2]", "tcp[-4:4]", "udp[0:2]", "udp[8]",
	"ether[12:2]", "ether[0]", "ether[60]", "icmp[0]", "ip6[6]", "ip6[40]", "arp[7]", "len", "ip[0] & 0xf",
	"(1 - 1)", "(2 * 2)", "(ip[0] & 0)", "(ip[1] * 0)", "(0 * len)", "(0 - 1)", "-1", "-len", "(len - len)",
	"ether[ip[0] & 0]", "ip[2 * 2]", "tcp[1 - 1]", "ip[len - len]"}

// diffArith is arithmetic of about depth levels.
func diffArith(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(3) == 0 {
		return diffLeaves[r.IntN(len(diffLeaves))]
	}
	op := []string{" + ", " - ", " * ", " / ", " % ", " & ", " | ", " ^ ", " << ", " >> "}[r.IntN(10)]
	e := diffArith(r, depth-1) + op + diffArith(r, depth-1)
	if r.IntN(2) == 0 {
		return "(" + e + ")"
	}
	return e
}
