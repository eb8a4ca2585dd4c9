package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// brokenDir holds scripts with the mistakes people make: syntax errors,
// nil globals, fields, methods, locals and upvalues, arithmetic,
// concatenation, length and comparison on the wrong type, error levels,
// errors in callbacks and coroutines.
const brokenDir = "testdata/broken"

// maxDisagreements is how many broken scripts may get a first error line
// from netlua that differs from lua5.1's.
const maxDisagreements = 2

// TestErrorsAgreeWithLua51 runs each broken script with netlua and with
// lua5.1 and compares the first line each prints on stderr: the position
// (file:line) and what it names in quotes (global 'x', field 'y', 'end'
// expected ... near '<eof>') must agree.
func TestErrorsAgreeWithLua51(t *testing.T) {
	lua51 := testlab.NeedTool(t, "lua5.1", "lua5.1")
	netlua := testlab.Binary(t)
	scripts, err := filepath.Glob(filepath.Join(brokenDir, "*.lua"))
	if err != nil || len(scripts) < 25 {
		t.Fatalf("%s has %d scripts, want at least 25 (%v)", brokenDir, len(scripts), err)
	}
	var differ [][3]string
	for _, path := range scripts {
		script := filepath.Base(path)
		want := firstErrorLine(t, lua51, script)
		got := firstErrorLine(t, netlua, script)
		if errorKey(want) != errorKey(got) {
			differ = append(differ, [3]string{script, want, got})
		}
	}
	if len(differ) == 0 {
		return
	}
	report := disagreements(differ)
	if len(differ) > maxDisagreements {
		t.Errorf("%d of %d broken scripts get a first error line that differs from lua5.1's (at most %d may):\n%s",
			len(differ), len(scripts), maxDisagreements, report)
		return
	}
	t.Logf("%d of %d broken scripts differ from lua5.1 (at most %d may):\n%s", len(differ), len(scripts), maxDisagreements, report)
}

// firstErrorLine runs script in brokenDir with the interpreter bin and
// returns the first line of its error, without the "/usr/bin/lua5.1: "
// that lua5.1 puts first. The script must fail.
func firstErrorLine(t *testing.T, bin, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, script)
	cmd.Dir = brokenDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || ctx.Err() != nil {
		t.Fatalf("%s %s: want an error, got %v (%v)", filepath.Base(bin), script, err, ctx.Err())
	}
	first, _, _ := strings.Cut(stderr.String(), "\n")
	return strings.TrimPrefix(first, bin+": ")
}

var (
	errorPosition = regexp.MustCompile(`^[^\s:][^:]*:\d+:`)
	errorNames    = regexp.MustCompile(`(?:\b(?:global|local|field|method|upvalue) )?'[^']*'`)
)

// errorKey is what two error lines must share: "file:line:" and the
// quoted names with their kind (global 'x').
func errorKey(line string) string {
	names := errorNames.FindAllString(line, -1)
	return errorPosition.FindString(line) + " " + strings.Join(names, " ")
}

// disagreements is a table of the scripts whose errors differ.
func disagreements(differ [][3]string) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "script\tlua5.1\tnetlua")
	for _, d := range differ {
		fmt.Fprintf(w, "%s\t%s\t%s\n", d[0], d[1], d[2])
	}
	w.Flush()
	return b.String()
}
