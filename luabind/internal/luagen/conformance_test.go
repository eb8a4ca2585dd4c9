package luagen_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/luagen"
	"github.com/netlua/netlua/luabind/testlab"
)

// ciPrograms is how many programs (seeds 1 to ciPrograms) every test run
// compares. NETLUA_LUAGEN=N compares N programs instead, from seed
// NETLUA_LUAGEN_SEED (default: the time), for a longer run by hand.
const ciPrograms = 300

// A run is what one implementation printed and whether it ended in error.
type run struct {
	out    string
	failed bool
	err    string
}

// TestProgramsAgainstLua51 runs generated programs in netlua's runtime and
// in lua5.1, and requires the same output from both.
func TestProgramsAgainstLua51(t *testing.T) {
	lua51 := testlab.NeedTool(t, "lua5.1", "lua5.1")
	first, n := uint64(1), uint64(ciPrograms)
	if s := os.Getenv("NETLUA_LUAGEN"); s != "" {
		var err error
		if n, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("NETLUA_LUAGEN=%q: %v", s, err)
		}
		first = uint64(time.Now().UnixNano())
		if s := os.Getenv("NETLUA_LUAGEN_SEED"); s != "" {
			if first, err = strconv.ParseUint(s, 10, 64); err != nil {
				t.Fatalf("NETLUA_LUAGEN_SEED=%q: %v", s, err)
			}
		}
	}
	failures, compared := 0, 0
	for seed := first; seed < first+n && failures < 3; seed++ {
		compared++
		src := luagen.Program(seed)
		want := runLua51(t, lua51, src)
		if want.failed {
			t.Fatalf("seed %d: the generator wrote a program lua5.1 rejects:\n%s\n%s", seed, want.err, src)
		}
		got := runNetlua(src)
		got.out, want.out = unsignZeros(got.out), unsignZeros(want.out)
		if got != want {
			failures++
			t.Errorf("seed %d: netlua and lua5.1 differ\n%s\nprogram:\n%s", seed, diff(got, want), src)
		}
	}
	t.Logf("compared %d programs from seed %d", compared, first)
}

func runLua51(t *testing.T, lua51, src string) run {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, lua51, "-")
	cmd.Stdin = strings.NewReader(src)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("lua5.1: %v", err)
	}
	if ctx.Err() != nil {
		return run{out: out.String(), failed: true, err: "timed out"}
	}
	return run{out: out.String(), failed: err != nil, err: strings.TrimSpace(stderr.String())}
}

// runNetlua runs src in a fresh netlua runtime, interrupted after 10 s (a
// miscompiled loop may never end).
func runNetlua(src string) run {
	rt := luabind.New()
	defer rt.Close()
	var out bytes.Buffer
	rt.Stdout = &out
	timer := time.AfterFunc(10*time.Second, func() { rt.Interrupt(errors.New("timed out")) })
	defer timer.Stop()
	chunk, err := rt.Load(strings.NewReader(src), "prog.lua")
	if err == nil {
		err = rt.Run(chunk)
	}
	if err != nil {
		return run{out: out.String(), failed: true, err: luabind.Report(err)}
	}
	return run{out: out.String()}
}

// unsignZeros writes every "-0" number as "0". Lua 5.1 keeps one constant
// for 0 and -0, the one its single-pass parser meets first, so whether a
// folded zero prints with a sign depends on the order in which a compiler
// registers constants, which gopher-lua's, compiling a tree, does not
// share. Printing -0 itself is checked by gopher-lua's luaformat_test.go.
func unsignZeros(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i+1 < len(s) && s[i+1] == '0' && !numberByte(s, i-1) && !numberByte(s, i+2) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// numberByte reports whether s[i] exists and could continue a number.
func numberByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return '0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'x' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// diff shows the first line where the outputs differ, and the errors.
func diff(got, want run) string {
	g, w := strings.Split(got.out, "\n"), strings.Split(want.out, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  netlua: %q\n  lua5.1: %q\nnetlua error: %s", i+1, gl, wl, got.err)
		}
	}
	return fmt.Sprintf("same output; netlua error: %q, lua5.1 error: %q", got.err, want.err)
}
