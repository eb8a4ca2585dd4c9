package testlab

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An Ending is one way a netlua run ends, for tests of what a script
// leaves behind.
type Ending struct {
	Name   string
	Line   string         // written to the script once it is ready: see EndingLua
	Signal syscall.Signal // then sent, once the script waits (or at once, with no Line)
	Want   string         // how netlua exits, as exec.Cmd.Wait reports it
}

// Endings are the ways a run ends: normal end, a Lua error, os.exit,
// SIGINT and SIGTERM during a wait, SIGKILL.
var Endings = []Ending{
	{Name: "normal end", Line: "end", Want: "<nil>"},
	{Name: "Lua error", Line: "error", Want: "exit status 1"},
	{Name: "os.exit", Line: "exit", Want: "exit status 3"},
	{Name: "SIGINT", Line: "wait", Signal: syscall.SIGINT, Want: "exit status 130"},
	{Name: "SIGTERM", Line: "wait", Signal: syscall.SIGTERM, Want: "exit status 143"},
	{Name: "SIGKILL", Signal: syscall.SIGKILL, Want: "signal: killed"},
}

// EndingLua ends a script as RunEnding drives it: it prints "ready",
// reads a line, and returns ("end"), raises an error ("error"), calls
// os.exit(3) ("exit"), or prints "waiting" and calls the global function
// wait, which should block until a signal ends it ("wait").
const EndingLua = `
print("ready")
local how = io.read("*l")
if how == "error" then
	error("boom")
elseif how == "exit" then
	os.exit(3)
elseif how == "wait" then
	print("waiting")
	wait()
end
`

// A Script is a run of the netlua binary on a script, with pipes to its
// standard input and output.
type Script struct {
	Cmd    *exec.Cmd
	Stdin  io.Writer
	Lines  *bufio.Scanner // its standard output, line by line
	Stderr *strings.Builder
}

// StartScript starts the netlua binary on the script file path with args;
// the test's end kills it if it still runs.
func StartScript(t *testing.T, path string, args ...string) *Script {
	t.Helper()
	cmd := exec.Command(Binary(t), append([]string{path}, args...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &Script{Cmd: cmd, Stdin: stdin, Lines: bufio.NewScanner(stdout), Stderr: &strings.Builder{}}
	cmd.Stderr = s.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return s
}

// NextLine is the script's next line of output, or "" at its end.
func (s *Script) NextLine() string {
	s.Lines.Scan()
	return s.Lines.Text()
}

// RunEnding runs the netlua binary on script, which must end with
// EndingLua, and ends it as e says. It hands ready the lines the script
// printed before "ready", while netlua still runs, and returns once
// netlua has exited as e.Want says.
func RunEnding(t *testing.T, script string, e Ending, ready func(lines []string)) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ending.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	s := StartScript(t, path)
	var before []string
	for s.Lines.Scan() && s.Lines.Text() != "ready" {
		before = append(before, s.Lines.Text())
	}
	if s.Lines.Text() != "ready" {
		s.Cmd.Wait()
		t.Fatalf("netlua never got ready (printed %q)\n%s", before, s.Stderr.String())
	}
	ready(before)
	if e.Line != "" {
		fmt.Fprintln(s.Stdin, e.Line)
	}
	if e.Line == "wait" && s.NextLine() != "waiting" {
		t.Fatalf("netlua is not waiting\n%s", s.Stderr.String())
	}
	if e.Signal != 0 {
		s.Cmd.Process.Signal(e.Signal)
	}
	if err := s.Cmd.Wait(); fmt.Sprint(err) != e.Want {
		t.Errorf("netlua exited with %v, want %s\n%s", err, e.Want, s.Stderr.String())
	}
}

// A Process names one process for the kernel: its pid and its start time
// (since boot, in clock ticks), so that a pid reused by another process
// never passes for it.
type Process struct {
	Pid   int
	start string
}

// FindProcess returns the running process pid, or fails the test.
func FindProcess(t testing.TB, pid int) Process {
	t.Helper()
	start, state, err := procStat(pid)
	if err != nil || state == "Z" {
		t.Fatalf("process %d is not running (%v, state %s)", pid, err, state)
	}
	return Process{Pid: pid, start: start}
}

// Gone waits until the process has ended, for at most d: the kernel has
// no process of its pid and start time, or only its zombie.
func (p Process) Gone(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		start, state, err := procStat(p.Pid)
		if errors.Is(err, os.ErrNotExist) || start != p.start || state == "Z" {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Children are the pids of the process's children.
func (p Process) Children(t testing.TB) []int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", p.Pid, p.Pid))
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	return pids
}

// procStat reads the start time and state of process pid from
// /proc/PID/stat, whose second field (the name) may hold spaces and
// parentheses: the fields after it follow the last ')'.
func procStat(pid int) (start, state string, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", "", err
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 20 {
		return "", "", fmt.Errorf("/proc/%d/stat: %d fields after the name", pid, len(f))
	}
	// After the name: state (field 3), ..., starttime (field 22).
	return f[19], f[0], nil
}

// spawnedLua spawns, through the function spawn the prelude defines, a
// sleep and a shell that leaves a sleep in its process group and becomes
// another, prints their pids, and waits for the first in wait.
const spawnedLua = `
local p = spawn{ "sleep", "1000" }
local q = spawn{ "sh", "-c", "sleep 1001 & exec sleep 1002" }
print(p.pid)
print(q.pid)
function wait() p:wait() end
` + EndingLua

// CheckSpawnedGone runs a script that spawns processes with the function
// spawn(argv) that prelude defines (proc.spawn, host:spawn), ends netlua
// as e says, and checks with the kernel that they are gone: the spawned
// programs, and the child one left in its process group unless
// groupSurvives (what dies on SIGKILL outside a PID namespace is the
// program itself, by its parent-death signal; its group is then not
// killed).
func CheckSpawnedGone(t *testing.T, prelude string, e Ending, groupSurvives bool) {
	t.Helper()
	var procs []Process
	var child Process
	RunEnding(t, prelude+spawnedLua, e, func(lines []string) {
		if len(lines) != 2 {
			t.Fatalf("the script printed %q, want two pids", lines)
		}
		for _, l := range lines {
			pid, err := strconv.Atoi(l)
			if err != nil {
				t.Fatalf("pid %q: %v", l, err)
			}
			procs = append(procs, FindProcess(t, pid))
		}
		child = onlyChild(t, procs[1], "sleep\x001002\x00")
	})
	if !groupSurvives {
		procs = append(procs, child)
	} else {
		t.Cleanup(func() {
			if !child.Gone(0) {
				syscall.Kill(child.Pid, syscall.SIGKILL)
			}
		})
	}
	for _, p := range procs {
		if !p.Gone(10 * time.Second) {
			t.Errorf("process %d outlived netlua", p.Pid)
		}
	}
}

// onlyChild waits until p runs cmdline (argv joined by NULs, each ended
// by one) and has a child, and returns the child.
func onlyChild(t *testing.T, p Process, cmdline string) Process {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.Pid))
		if kids := p.Children(t); string(data) == cmdline && len(kids) == 1 {
			return FindProcess(t, kids[0])
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d runs %q with children %v, want %q with one child", p.Pid, data, p.Children(t), cmdline)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
