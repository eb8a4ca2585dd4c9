package luabind

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Load compiles a chunk read from r. name is how messages refer to it
// ("scripts/send.lua"). A first line starting with # (a shebang) is skipped,
// keeping line numbers. A syntax error reads as lua5.1's:
// "name:4: 'end' expected (to close 'if' at line 2) near '<eof>'".
func (rt *Runtime) Load(r io.Reader, name string) (*lua.LFunction, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if bytes.HasPrefix(src, []byte("#")) {
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			src = src[i:]
		} else {
			src = nil
		}
	}
	fn, err := rt.L.Load(bytes.NewReader(src), name)
	if err != nil {
		return nil, syntaxError(err)
	}
	return fn, nil
}

// syntaxError returns why a chunk did not compile: the *parse.Error or
// *lua.CompileError gopher-lua wraps, which read "name:line: message".
func syntaxError(err error) error {
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) && apiErr.Cause != nil {
		return apiErr.Cause
	}
	return err
}

// Report is the text users read for a script's error: "file:line: message"
// and the Lua traceback. It never contains a Go stack trace. It is
// Runtime.Report without the hint to require a module, which needs the
// runtime's modules.
func Report(err error) string { return report(err, nil) }

// Report is the text users read for an error of the runtime's script, as
// the package's Report, with a hint to require one of its modules used as
// a global.
func (rt *Runtime) Report(err error) string { return report(err, rt.mods) }

// report is Report, with a require hint for the modules of mods (if any).
func report(err error, mods *Set) string {
	var apiErr *lua.ApiError
	if !errors.As(err, &apiErr) {
		return err.Error()
	}
	msg := fmt.Sprintf("(error object is a %s value)", apiErr.Object.Type())
	if s, ok := apiErr.Object.(lua.LString); ok {
		msg = string(s)
	}
	if h := requireHint(msg, mods); h != "" {
		msg += "\n" + h
	}
	if apiErr.StackTrace == "" {
		return msg
	}
	return msg + "\n" + apiErr.StackTrace
}

// The error of a script that uses a module without requiring it: the
// global indexed while nil stands between these.
const (
	nilGlobalBefore = "attempt to index global '"
	nilGlobalAfter  = "' (a nil value)"
)

// requireHint is what to do when msg's first line says the name of a
// module of mods was used as a global: "'packet' is nil here: add local
// packet = require "packet"", or "".
func requireHint(msg string, mods *Set) string {
	first, _, _ := strings.Cut(msg, "\n")
	_, name, found := strings.Cut(first, nilGlobalBefore)
	name, nilValue := strings.CutSuffix(name, nilGlobalAfter)
	if !found || !nilValue || mods == nil {
		return ""
	}
	if _, ok := mods.Lookup(name); !ok {
		return ""
	}
	return fmt.Sprintf("'%s' is nil here: add local %s = require %q", name, name, name)
}
