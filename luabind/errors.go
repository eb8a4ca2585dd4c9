package luabind

import (
	"errors"
	"fmt"
	"os"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind/internal/caps"
)

// An OpError is a failure of the system during a Lua call: it names the
// call, the object and the cause, like net.OpError and netlink.OpError.
type OpError struct {
	Op     string // the Lua call: "packet.open"
	Object string // what it acted on: "veth0"; may be empty
	Err    error  // the cause
	// Need is the capability the call needs, named in the hint users get
	// when the cause is a permission error that does not name its own
	// (see package caps): "CAP_NET_RAW". Empty names none.
	Need string
}

// Error implements error: "packet.open: veth0: operation not permitted".
func (e *OpError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Object != "" {
		b.WriteString(": ")
		b.WriteString(e.Object)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, os.ErrPermission) works.
func (e *OpError) Unwrap() error { return e.Err }

// Message is the text users read for err: its own text and, for permission
// errors, the capability missing and the one line that grants it. The
// capability is the one the failed call needs (setns needs CAP_SYS_ADMIN
// in any module), else the OpError's Need; a file's permissions name none.
func Message(err error) string {
	msg := err.Error()
	if !errors.Is(err, os.ErrPermission) {
		return msg
	}
	need, known := caps.Need(err)
	var op *OpError
	if !known && errors.As(err, &op) {
		need = op.Need
	}
	if need == "" {
		return msg
	}
	if list := caps.SetcapList(need); list != "" {
		return fmt.Sprintf("%s: needs root or %s (sudo netlua ..., or sudo setcap %s+ep %s)",
			msg, need, list, executable())
	}
	return fmt.Sprintf("%s: needs root or %s (sudo netlua ...)", msg, need)
}

func executable() string {
	if len(os.Args) > 0 && strings.Contains(os.Args[0], "/") {
		return os.Args[0]
	}
	return "$(command -v netlua)"
}

// Raise raises err in Lua as an error message that names the call, the
// object and the cause. It does not return.
func Raise(L *lua.LState, err error) {
	L.RaiseError("%s", Message(err))
}

// Errorf raises a Lua error for the call op, formatted like fmt.Sprintf.
// Use it for mistakes in what a script asked that are not argument types:
// "lab.link: r1 and r1 are the same host".
func Errorf(L *lua.LState, op, format string, args ...any) {
	L.RaiseError("%s: %s", op, fmt.Sprintf(format, args...))
}
