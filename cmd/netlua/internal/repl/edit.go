package repl

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/netlua/netlua/luabind"
)

// A completer returns the completions of the word that ends at pos (a
// byte offset) in line, and where that word starts.
type completer func(line string, pos int) (start int, cands []string)

// An editor reads lines on a terminal with the usual keys: arrows, Home,
// End, ^A ^E ^B ^F ^K ^U ^W, Up and Down (or ^P ^N) through the history,
// Tab to complete, ^C to drop the line, ^D on an empty line to leave. It
// puts the terminal in raw mode only while it reads, so that ^C sends
// SIGINT while a statement runs.
type editor struct {
	t        *tty
	out      io.Writer
	warn     io.Writer // where a failing history file is reported
	raw      func() (restore func(), err error)
	width    func() int
	hist     *history
	complete completer

	prompt string
	buf    []rune
	pos    int // the cursor, in buf
	row    int // the cursor's row, counted from the prompt's
	histAt int // the history entry shown; hist.len() for the line typed
	typed  string
}

// newTerminalEditor makes an editor when stdin and stdout are both a
// terminal.
func newTerminalEditor(stdin io.Reader, stdout, stderr io.Writer, complete completer) (*editor, bool) {
	in, ok := stdin.(*os.File)
	out, ok2 := stdout.(*os.File)
	if !ok || !ok2 || !luabind.IsTerminal(in) || !luabind.IsTerminal(out) {
		return nil, false
	}
	fd := int(in.Fd())
	t, err := newTTY(fd)
	if err != nil {
		return nil, false
	}
	hist, err := loadHistory(historyPath(), historyMax)
	if err != nil {
		fmt.Fprintf(stderr, "netlua: %v\n", err)
	}
	return &editor{
		t: t, out: out, warn: stderr, hist: hist, complete: complete,
		raw:   func() (func(), error) { return rawMode(fd) },
		width: func() int { return termWidth(int(out.Fd())) },
	}, true
}

func (e *editor) wakeUp() { e.t.wakeUp() }

func (e *editor) close() { e.t.close() }

// readLine shows prompt and returns the line typed, io.EOF for ^D on an
// empty line, errCancel for ^C, errTerminated after SIGTERM, errHangup
// when the terminal hung up.
func (e *editor) readLine(prompt string) (string, error) {
	restore, err := e.raw()
	if err != nil {
		return "", err
	}
	defer restore()
	e.prompt, e.buf, e.pos, e.row = prompt, e.buf[:0], 0, 0
	e.histAt, e.typed = e.hist.len(), ""
	e.refresh()
	for {
		k, err := readKey(e.t)
		if err != nil {
			e.finishLine("")
			return "", err
		}
		if line, done, err := e.key(k); done {
			return line, err
		}
		e.refresh()
	}
}

// key acts on one key; done is set when readLine returns line and err.
func (e *editor) key(k key) (line string, done bool, err error) {
	switch k {
	case ctrlM, ctrlJ:
		line = string(e.buf)
		e.finishLine("")
		if err := e.hist.add(line); err != nil {
			fmt.Fprintf(e.warn, "netlua: %v; lines typed from now on are not saved\r\n", err)
		}
		return line, true, nil
	case ctrlC:
		e.finishLine("^C")
		return "", true, errCancel
	case ctrlD:
		if len(e.buf) == 0 {
			return "", true, io.EOF
		}
		e.deleteRunes(e.pos, e.pos+1)
	case tab:
		e.tab()
	case ctrlL:
		io.WriteString(e.out, "\x1b[H\x1b[2J")
		e.row = 0
	case ctrlP, keyUp:
		e.showHistory(e.histAt - 1)
	case ctrlN, keyDown:
		e.showHistory(e.histAt + 1)
	default:
		e.edit(k)
	}
	return "", false, nil
}

// edit applies a key that moves the cursor or changes the line.
func (e *editor) edit(k key) {
	switch k {
	case ctrlA, keyHome:
		e.pos = 0
	case ctrlE, keyEnd:
		e.pos = len(e.buf)
	case ctrlB, keyLeft:
		e.pos = max(e.pos-1, 0)
	case ctrlF, keyRight:
		e.pos = min(e.pos+1, len(e.buf))
	case keyWordLeft:
		e.pos = e.wordStart()
	case keyWordRight:
		e.pos = e.wordEnd()
	case ctrlH, backspace:
		e.deleteRunes(e.pos-1, e.pos)
	case keyDelete:
		e.deleteRunes(e.pos, e.pos+1)
	case ctrlK:
		e.buf = e.buf[:e.pos]
	case ctrlU:
		e.deleteRunes(0, e.pos)
	case ctrlW:
		e.deleteRunes(e.wordStart(), e.pos)
	default:
		if k >= ' ' && k != backspace {
			e.insert(string(rune(k)))
		}
	}
}

// insert puts s at the cursor and moves the cursor past it.
func (e *editor) insert(s string) {
	r := []rune(s)
	e.buf = slices.Insert(e.buf, e.pos, r...)
	e.pos += len(r)
}

// deleteRunes removes buf[from:to], clipped to the line.
func (e *editor) deleteRunes(from, to int) {
	from, to = max(from, 0), min(to, len(e.buf))
	if from >= to {
		return
	}
	e.buf = slices.Delete(e.buf, from, to)
	if e.pos > from {
		e.pos = max(from, e.pos-(to-from))
	}
}

// wordStart is where the word before the cursor starts, spaces skipped.
func (e *editor) wordStart() int {
	i := e.pos
	for i > 0 && e.buf[i-1] == ' ' {
		i--
	}
	for i > 0 && e.buf[i-1] != ' ' {
		i--
	}
	return i
}

// wordEnd is where the word after the cursor ends.
func (e *editor) wordEnd() int {
	i := e.pos
	for i < len(e.buf) && e.buf[i] == ' ' {
		i++
	}
	for i < len(e.buf) && e.buf[i] != ' ' {
		i++
	}
	return i
}

// showHistory puts history entry i in the line; hist.len() is the line
// that was being typed.
func (e *editor) showHistory(i int) {
	n := e.hist.len()
	if i < 0 || i > n {
		return
	}
	if e.histAt == n {
		e.typed = string(e.buf)
	}
	e.histAt = i
	line := e.typed
	if i < n {
		line = e.hist.at(i)
	}
	e.buf, e.pos = []rune(line), utf8.RuneCountInString(line)
}

// tab completes the word before the cursor: the one completion, or what
// all completions share; when that adds nothing, it lists them.
func (e *editor) tab() {
	if e.complete == nil {
		return
	}
	before := string(e.buf[:e.pos])
	start, cands := e.complete(string(e.buf), len(before))
	if len(cands) == 0 {
		return
	}
	word, common := before[start:], commonPrefix(cands)
	if len(common) > len(word) {
		e.deleteRunes(utf8.RuneCountInString(before[:start]), e.pos)
		e.insert(common)
		return
	}
	if len(cands) > 1 {
		pos := e.pos
		e.finishLine("")
		io.WriteString(e.out, columns(cands, e.width()))
		e.pos = pos
	}
}

// finishLine moves the cursor past the end of the line, writes mark after
// it, and starts a new row: the next refresh draws the prompt afresh.
func (e *editor) finishLine(mark string) {
	e.pos = len(e.buf)
	e.refresh()
	io.WriteString(e.out, mark+"\r\n")
	e.row = 0
}

// refresh redraws the prompt and the line, which may wrap over several
// rows, and puts the cursor in place.
func (e *editor) refresh() {
	cols := max(e.width(), 1)
	var b strings.Builder
	if e.row > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", e.row)
	}
	b.WriteString("\r\x1b[J" + e.prompt + string(e.buf))
	end := utf8.RuneCountInString(e.prompt) + len(e.buf)
	if end > 0 && end%cols == 0 {
		// The terminal waits at the last column: move to the next row.
		b.WriteString("\r\n")
	}
	at := utf8.RuneCountInString(e.prompt) + e.pos
	if at < end {
		if up := end/cols - at/cols; up > 0 {
			fmt.Fprintf(&b, "\x1b[%dA", up)
		}
		b.WriteString("\r")
		if col := at % cols; col > 0 {
			fmt.Fprintf(&b, "\x1b[%dC", col)
		}
	}
	e.row = at / cols
	io.WriteString(e.out, b.String())
}

// commonPrefix is the longest prefix all of ss share.
func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// columns lays words out in columns that fit width, row by row.
func columns(words []string, width int) string {
	w := 0
	for _, s := range words {
		w = max(w, utf8.RuneCountInString(s)+2)
	}
	per := max(width/w, 1)
	var b strings.Builder
	for i, s := range words {
		b.WriteString(s)
		if (i+1)%per == 0 || i == len(words)-1 {
			b.WriteString("\r\n")
		} else {
			b.WriteString(strings.Repeat(" ", w-utf8.RuneCountInString(s)))
		}
	}
	return b.String()
}
