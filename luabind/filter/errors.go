package filter

import (
	"errors"
	"fmt"
)

// ErrUnsupported is the cause of errors about constructs that tcpdump
// accepts and netlua does not compile (gateway, protochain, geneve, ...):
// errors.Is(err, filter.ErrUnsupported) tells them from mistakes.
var ErrUnsupported = errors.New("not supported")

// An Error is an expression that does not compile. Its text names the
// construct and the column, as in
// "filter: expected a port number after 'port' at column 10".
type Error struct {
	Expr   string // the whole expression
	Column int    // 1-based column of the offending token; 0 when none
	Msg    string // what is wrong, without the column
	Err    error  // ErrUnsupported for constructs netlua lacks; else nil
}

// Error implements error.
func (e *Error) Error() string {
	if e.Column == 0 {
		return "filter: " + e.Msg
	}
	return fmt.Sprintf("filter: %s at column %d", e.Msg, e.Column)
}

// Unwrap returns ErrUnsupported for unsupported constructs.
func (e *Error) Unwrap() error { return e.Err }

// errAt makes the error for a mistake at byte offset pos of the expression.
func errAt(pos int, format string, args ...any) *Error {
	return &Error{Column: pos + 1, Msg: fmt.Sprintf(format, args...)}
}

// unsupportedAt makes the error for a construct netlua does not compile.
func unsupportedAt(pos int, format string, args ...any) *Error {
	e := errAt(pos, format, args...)
	e.Err = ErrUnsupported
	return e
}
