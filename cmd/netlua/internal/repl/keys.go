package repl

import (
	"errors"
	"unicode/utf8"
)

// A key is a rune typed, or one of the keys below (negative).
type key rune

const (
	keyNone key = -1 - iota // a sequence the editor ignores
	keyUp
	keyDown
	keyLeft
	keyRight
	keyHome
	keyEnd
	keyDelete
	keyWordLeft
	keyWordRight
)

// Control characters the editor acts on.
const (
	ctrlA     = 1
	ctrlB     = 2
	ctrlC     = 3
	ctrlD     = 4
	ctrlE     = 5
	ctrlF     = 6
	ctrlH     = 8
	tab       = 9
	ctrlJ     = 10
	ctrlK     = 11
	ctrlL     = 12
	ctrlM     = 13
	ctrlN     = 14
	ctrlP     = 16
	ctrlU     = 21
	ctrlW     = 23
	escape    = 27
	backspace = 127
)

// escapeWait is how long, in milliseconds, the rest of an escape sequence
// may take to arrive before a lone Escape is taken as typed.
const escapeWait = 50

// readKey reads one key: a rune (UTF-8 decoded), a control character, or
// an escape sequence of the arrow, Home, End and Delete keys as xterm and
// the Linux console send them.
func readKey(t *tty) (key, error) {
	b, err := t.readByte(-1)
	if err != nil {
		return 0, err
	}
	switch {
	case b == escape:
		return readEscape(t)
	case b < utf8.RuneSelf:
		return key(b), nil
	}
	return readRune(t, b)
}

// readRune reads the rest of a UTF-8 sequence that starts with b.
func readRune(t *tty, b byte) (key, error) {
	p := []byte{b}
	for !utf8.FullRune(p) {
		c, err := t.readByte(escapeWait)
		if err != nil {
			return keyNone, ignoreNoByte(err)
		}
		p = append(p, c)
	}
	r, _ := utf8.DecodeRune(p)
	if r == utf8.RuneError {
		return keyNone, nil
	}
	return key(r), nil
}

// readEscape reads what follows ESC: CSI (ESC [) and SS3 (ESC O)
// sequences, and Alt-b, Alt-f.
func readEscape(t *tty) (key, error) {
	b, err := t.readByte(escapeWait)
	if err != nil {
		return keyNone, ignoreNoByte(err)
	}
	switch b {
	case 'b':
		return keyWordLeft, nil
	case 'f':
		return keyWordRight, nil
	case 'O':
		b, err := t.readByte(escapeWait)
		return finalKey(string(b)), ignoreNoByte(err)
	case '[':
		return readCSI(t)
	}
	return keyNone, nil
}

// readCSI reads the parameters and final byte of ESC [ ... and names the key.
func readCSI(t *tty) (key, error) {
	var seq []byte
	for {
		b, err := t.readByte(escapeWait)
		if err != nil {
			return keyNone, ignoreNoByte(err)
		}
		seq = append(seq, b)
		if b >= 0x40 && b <= 0x7e {
			return finalKey(string(seq)), nil
		}
	}
}

// csiKeys names the sequences (after ESC [ or ESC O) of the keys the
// editor knows.
var csiKeys = map[string]key{
	"A": keyUp, "B": keyDown, "C": keyRight, "D": keyLeft, "H": keyHome, "F": keyEnd,
	"1~": keyHome, "7~": keyHome, "4~": keyEnd, "8~": keyEnd, "3~": keyDelete,
	"1;5C": keyWordRight, "1;5D": keyWordLeft, "1;3C": keyWordRight, "1;3D": keyWordLeft,
}

func finalKey(seq string) key {
	if k, ok := csiKeys[seq]; ok {
		return k
	}
	return keyNone
}

// ignoreNoByte turns a sequence cut short into a key to ignore.
func ignoreNoByte(err error) error {
	if errors.Is(err, errNoByte) {
		return nil
	}
	return err
}
