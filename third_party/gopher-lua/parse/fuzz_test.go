package parse_test

import (
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// fuzzOracle is one lua5.1 process shared by the fuzz inputs of a fuzz
// worker, nil when lua5.1 is not installed. It ends with the worker, when
// its standard input closes.
var fuzzOracle struct {
	once  sync.Once
	mu    sync.Mutex
	batch *lua51Batch
}

func oracle(t *testing.T) *lua51Batch {
	fuzzOracle.once.Do(func() {
		if _, err := exec.LookPath("lua5.1"); err != nil {
			return
		}
		b, err := startLua51()
		if err != nil {
			t.Fatal(err)
		}
		fuzzOracle.batch = b
	})
	return fuzzOracle.batch
}

// FuzzParse parses and compiles any input: neither may panic or overflow
// the Go stack, a syntax error is a *parse.Error with a line, and Parse
// rejects an input exactly when lua5.1 does (but for gopher-lua's
// extensions and lua5.1's code-generation limits). The seeds are
// testdata/syntax_errors.txt, the corpus and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, c := range readCases(f) {
		f.Add(c.chunk)
	}
	for _, path := range corpus(f) {
		f.Add(string(readChunk(f, path)))
	}
	f.Fuzz(func(t *testing.T, src string) {
		chunk, err := parse.Parse(strings.NewReader(src), "stdin")
		var perr *parse.Error
		switch {
		case err == nil:
			if _, err := lua.Compile(chunk, "stdin"); err != nil {
				var cerr *lua.CompileError
				if !errors.As(err, &cerr) {
					t.Fatalf("compile: %v", err)
				}
			}
		case !errors.As(err, &perr) || perr.Pos.Line < 1:
			t.Fatalf("not a syntax error with a line: %#v", err)
		}
		lua51 := oracle(t)
		if lua51 == nil {
			return
		}
		fuzzOracle.mu.Lock()
		want := lua51.check(t, src)
		fuzzOracle.mu.Unlock()
		got := ourError(src)
		if (got == "") == (want == "") || extension(src, got, want) || codeLimit(want) {
			return
		}
		if strings.HasSuffix(want, "chunk has too many syntax levels") && luac51(t, src) == got {
			return // loadstring starts one level deeper than a file
		}
		if strings.HasSuffix(got, "chunk has too many syntax levels") && len(src) > 4000 {
			return // a chain longer than Parse takes (lua5.1 has no bound on chains)
		}
		t.Errorf("Parse says %q, lua5.1 %q", got, want)
	})
}
