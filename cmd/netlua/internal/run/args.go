package run

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/netlua/netlua/luabind"
)

// An Invocation is what the command line asks for.
type Invocation struct {
	code    string   // -e CODE
	hasCode bool     // -e was given (CODE may be empty)
	script  string   // script path, or "-" for standard input
	args    []string // arg[1..]
	Help    bool
	Version bool
	REPL    bool
}

// ParseArgs reads flags up to the script name; what follows it belongs to
// the script.
func ParseArgs(args []string) (Invocation, error) {
	var inv Invocation
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "-h" || a == "--help":
			inv.Help = true
			return inv, nil
		case a == "-v" || a == "--version":
			inv.Version = true
			return inv, nil
		case a == "-e":
			if len(args) < 2 {
				return inv, errors.New("-e needs an argument: netlua -e 'print(1)'")
			}
			inv.code, inv.hasCode = args[1], true
			inv.args = args[2:]
			return inv, nil
		case a == "--":
			args = args[1:]
			if len(args) == 0 {
				return inv, errors.New("missing script after --")
			}
			return withScript(inv, args)
		case a == "-":
			return withScript(inv, args)
		case strings.HasPrefix(a, "-"):
			return inv, fmt.Errorf("unknown option %s", a)
		default:
			return withScript(inv, args)
		}
	}
	if luabind.IsTerminal(os.Stdin) {
		inv.REPL = true
	} else {
		inv.script = "-"
	}
	return inv, nil
}

// withScript takes args[0] as the script and the rest as its arguments.
func withScript(inv Invocation, args []string) (Invocation, error) {
	inv.script, inv.args = args[0], args[1:]
	if inv.script == "-" {
		return inv, nil
	}
	st, err := os.Stat(inv.script)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return inv, &MissingScript{inv.script, "no such file"}
	case err != nil:
		return inv, &MissingScript{inv.script, UnwrapPath(err).Error()}
	case st.IsDir():
		return inv, &MissingScript{inv.script, "is a directory"}
	}
	return inv, nil
}

// MissingScript is a script path that cannot be run.
type MissingScript struct{ path, why string }

func (e *MissingScript) Error() string { return fmt.Sprintf("cannot run %s: %s", e.path, e.why) }

// UnwrapPath drops the path a *fs.PathError repeats: "no such file or directory".
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
