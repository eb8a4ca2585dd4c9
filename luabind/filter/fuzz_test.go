package filter

import (
	"errors"
	"strings"
	"testing"
)

// FuzzCompile: no input makes the compiler panic or hang, every program
// it accepts passes the kernel's checks, and both interpreters agree on
// it. Run with go test -fuzz=FuzzCompile; the seeds are the expression
// lists and testdata/fuzz/FuzzCompile.
func FuzzCompile(f *testing.F) {
	for _, list := range [][]string{allExprs(), refusedExprs, unsupportedExprs, protochainExprs, geneveExprs} {
		for _, e := range list {
			f.Add(e)
		}
	}
	for _, c := range namedExprs {
		f.Add(c[0])
	}
	var frames [][]byte
	for i, fr := range corpus() {
		if i%5 == 0 {
			frames = append(frames, fr.data)
		}
	}
	f.Fuzz(func(t *testing.T, expr string) {
		// Names go to the test's resolver and files, never the machine's.
		p, err := CompileWith(expr, testOptions)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.Expr != expr || !strings.HasPrefix(err.Error(), "filter: ") {
				t.Fatalf("%q: error %v is not a *filter.Error for the expression", expr, err)
			}
			return
		}
		if err := validate(p.raw); err != nil {
			t.Fatalf("%q: invalid program: %v\n%s", expr, err, p.Dump())
		}
		checkAgainstXNet(t, p, frames)
		_ = p.Explain()
	})
}

// checkAgainstXNet runs p on frames in both interpreters.
func checkAgainstXNet(t *testing.T, p *Program, frames [][]byte) {
	t.Helper()
	if strings.Contains(p.Dump(), "neg") {
		return
	}
	vm := xnetVM(t, p)
	for i, f := range frames {
		n, err := vm.Run(f)
		if err != nil || (n > 0) != p.Match(f) {
			t.Fatalf("%q on frame %d: x/net/bpf says %d (%v), netlua %v", p.expr, i, n, err, p.Match(f))
		}
	}
}
