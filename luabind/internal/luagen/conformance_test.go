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
)

// ciPrograms is how many programs (seeds 1 to ciPrograms) every test run
// compares. NETLUA_LUAGEN=N compares N more, from NETLUA_LUAGEN_SEED
// (default: the time), for a longer run by hand.
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
	lua51 := lookLua51(t)
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
		if got != want {
			failures++
			t.Errorf("seed %d: netlua and lua5.1 differ\n%s\nprogram:\n%s", seed, diff(got, want), src)
		}
	}
	t.Logf("compared %d programs from seed %d", compared, first)
}

// lookLua51 finds the lua5.1 binary, or skips the test without it unless
// NETLUA_PRIVILEGED=1 (CI installs it).
func lookLua51(t *testing.T) string {
	path, err := exec.LookPath("lua5.1")
	if err == nil {
		return path
	}
	if os.Getenv("NETLUA_PRIVILEGED") == "1" {
		t.Fatal("lua5.1 not found and NETLUA_PRIVILEGED=1 is set: install lua5.1 (Debian package lua5.1)")
	}
	t.Skip("lua5.1 not found: install it (Debian package lua5.1) to compare the VM with the reference")
	return ""
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
