package repl

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// pipeEditor is an editor reading keys from a pipe, width columns wide,
// with hist as its history.
func pipeEditor(t *testing.T, width int, hist []string, complete completer) (*editor, *os.File, *bytes.Buffer) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	tt, err := newTTY(int(r.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tt.close(); r.Close(); w.Close() })
	out := &bytes.Buffer{}
	e := &editor{
		t: tt, out: out, complete: complete,
		hist:  &history{max: 10, lines: hist},
		raw:   func() (func(), error) { return func() {}, nil },
		width: func() int { return width },
	}
	return e, w, out
}

// typeLine types input into a new editor and returns the line it reads.
func typeLine(t *testing.T, input string) (string, error) {
	t.Helper()
	e, w, _ := pipeEditor(t, 80, nil, nil)
	w.WriteString(input)
	return e.readLine("> ")
}

func TestEditorKeys(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"plain", "abc\r", "abc"},
		{"newline ends too", "abc\n", "abc"},
		{"^B inserts before", "abc\x02\x02X\r", "aXbc"},
		{"left arrow", "abc\x1b[D\x1b[DX\r", "aXbc"},
		{"left arrow, SS3", "abc\x1bODX\r", "abXc"},
		{"^F and right arrow", "abc\x01\x06\x1b[CX\r", "abXc"},
		{"^A", "abc\x01X\r", "Xabc"},
		{"Home, End", "abc\x1b[HX\x1b[FY\r", "XabcY"},
		{"Home and End as 1~ 4~", "abc\x1b[1~X\x1b[4~Y\r", "XabcY"},
		{"^E", "abc\x01\x05X\r", "abcX"},
		{"backspace", "abc\x7f\r", "ab"},
		{"^H", "abc\x08\x08\r", "a"},
		{"backspace at the start", "\x7fabc\r", "abc"},
		{"Delete", "abc\x01\x1b[3~\r", "bc"},
		{"^D deletes under the cursor", "abc\x01\x04\r", "bc"},
		{"^D at the end does nothing", "abc\x04\r", "abc"},
		{"^W", "abc def\x17\r", "abc "},
		{"^W over spaces", "abc def  \x17\r", "abc "},
		{"^K", "abc def\x01\x06\x06\x0b\r", "ab"},
		{"^U", "abc def\x1b[D\x1b[D\x15\r", "ef"},
		{"Alt-b, Alt-f", "one two\x1bbX\x1bfY\r", "one XtwoY"},
		{"Ctrl-Left", "one two\x1b[1;5DX\r", "one Xtwo"},
		{"UTF-8", "héllo\x02\x7f\r", "hélo"},
		{"unknown sequences are ignored", "a\x1b[Zb\x1b[99~c\r", "abc"},
		{"control characters are not inserted", "a\x07b\r", "ab"},
	}
	for _, tt := range tests {
		got, err := typeLine(t, tt.input)
		if err != nil || got != tt.want {
			t.Errorf("%s: %q read as %q, %v; want %q", tt.name, tt.input, got, err, tt.want)
		}
	}
}

// A lone Escape is taken as typed (a key the editor ignores) once the
// rest of a sequence does not come, and the key typed after it is read as
// itself. Nothing is written while readKey waits, so the wait always ends
// empty: no verdict rests on a sleep outlasting it.
func TestEditorLoneEscape(t *testing.T) {
	e, w, _ := pipeEditor(t, 80, nil, nil)
	w.WriteString("a\x1b")
	for _, want := range []key{'a', keyNone} {
		if k, err := readKey(e.t); k != want || err != nil {
			t.Fatalf("read key %d, %v; want %d", k, err, want)
		}
	}
	w.WriteString("b\r")
	if got, err := e.readLine("> "); got != "b" || err != nil {
		t.Errorf("then read %q, %v; want \"b\"", got, err)
	}
}

func TestEditorEndings(t *testing.T) {
	tests := []struct {
		input string
		want  error
	}{
		{"\x04", io.EOF},
		{"abc\x03", errCancel},
		{"\x03", errCancel},
	}
	for _, tt := range tests {
		if _, err := typeLine(t, tt.input); !errors.Is(err, tt.want) {
			t.Errorf("%q: error %v, want %v", tt.input, err, tt.want)
		}
	}
	e, w, out := pipeEditor(t, 80, nil, nil)
	w.WriteString("abc")
	w.Close()
	if _, err := e.readLine("> "); !errors.Is(err, io.EOF) {
		t.Errorf("closed input: error %v, want EOF", err)
	}
	if !strings.HasSuffix(out.String(), "> abc\r\n") {
		t.Errorf("closed input: the line is not ended: %q", out.String())
	}

	e, _, _ = pipeEditor(t, 80, nil, nil)
	go func() { time.Sleep(20 * time.Millisecond); e.wakeUp() }()
	if _, err := e.readLine("> "); !errors.Is(err, errTerminated) {
		t.Errorf("woken: error %v, want %v", err, errTerminated)
	}
}

func TestEditorHistory(t *testing.T) {
	tests := []struct{ input, want string }{
		{"\x1b[A\r", "two"},
		{"\x1b[A\x1b[A\r", "one"},
		{"\x10\x10\x10\x10\r", "one"},
		{"typed\x1b[A\x1b[B\r", "typed"},
		{"\x1b[A\x1b[A\x0e\r", "two"},
		{"\x1b[B\r", ""},
		{"\x1b[AX\r", "twoX"},
	}
	for _, tt := range tests {
		e, w, _ := pipeEditor(t, 80, []string{"one", "two"}, nil)
		w.WriteString(tt.input)
		if got, err := e.readLine("> "); got != tt.want || err != nil {
			t.Errorf("%q read as %q, %v; want %q", tt.input, got, err, tt.want)
		}
	}
	e, w, _ := pipeEditor(t, 80, []string{"one"}, nil)
	w.WriteString("three\r\x1b[A\x1b[A\r")
	e.readLine("> ")
	if e.hist.len() != 2 || e.hist.at(1) != "three" {
		t.Errorf("history %q, want [one three]", e.hist.lines)
	}
	if got, _ := e.readLine("> "); got != "one" {
		t.Errorf("Up twice after a new line gives %q, want one", got)
	}
}

func TestEditorComplete(t *testing.T) {
	names := []string{"package", "packet", "print"}
	complete := func(line string, pos int) (int, []string) {
		start := strings.LastIndex(line[:pos], " ") + 1
		return start, withPrefix(names, line[start:pos])
	}
	tests := []struct{ input, want, shown string }{
		{"pri\t\r", "print", ""},
		{"x = pa\t\r", "x = pack", ""},
		{"pack\t\r", "pack", "package  packet\r\n"},
		{"pr(1)\x01\x06\x06\t\r", "print(1)", ""},
		{"zz\t\r", "zz", ""},
	}
	for _, tt := range tests {
		e, w, out := pipeEditor(t, 80, nil, complete)
		w.WriteString(tt.input)
		if got, err := e.readLine("> "); got != tt.want || err != nil {
			t.Errorf("%q read as %q, %v; want %q", tt.input, got, err, tt.want)
		}
		if !strings.Contains(out.String(), tt.shown) {
			t.Errorf("%q: no %q in %q", tt.input, tt.shown, out.String())
		}
	}
}

// A line longer than the terminal wraps; the cursor is put back on the
// row and column where it belongs.
func TestEditorWraps(t *testing.T) {
	e, w, out := pipeEditor(t, 10, nil, nil)
	w.WriteString("abcdefghijkl\x01\r")
	e.readLine("> ")
	s := out.String()
	// At 10 columns the prompt and 8 runes fill the row: the cursor moves
	// on to the next one itself.
	if !strings.Contains(s, "\r\x1b[J> abcdefgh\r\n") {
		t.Errorf("a full row does not move to the next: %q", s)
	}
	// ^A from the second row: up one, back to the prompt's end.
	if !strings.Contains(s, "\x1b[1A\r\x1b[J> abcdefghijkl\x1b[1A\r\x1b[2C") {
		t.Errorf("^A on a wrapped line: %q", s)
	}
}
