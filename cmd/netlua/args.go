package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/netlua/netlua/luabind"
)

// An invocation is what the command line asks for.
type invocation struct {
	code    string   // -e CODE
	hasCode bool     // -e was given (CODE may be empty)
	script  string   // script path, or "-" for standard input
	args    []string // arg[1..]
	help    bool
	version bool
	repl    bool
}

// parseArgs reads flags up to the script name; what follows it belongs to
// the script.
func parseArgs(args []string) (invocation, error) {
	var inv invocation
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "-h" || a == "--help":
			inv.help = true
			return inv, nil
		case a == "-v" || a == "--version":
			inv.version = true
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
		inv.repl = true
	} else {
		inv.script = "-"
	}
	return inv, nil
}

// withScript takes args[0] as the script and the rest as its arguments.
func withScript(inv invocation, args []string) (invocation, error) {
	inv.script, inv.args = args[0], args[1:]
	if inv.script == "-" {
		return inv, nil
	}
	st, err := os.Stat(inv.script)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return inv, &missingScript{inv.script, "no such file"}
	case err != nil:
		return inv, &missingScript{inv.script, unwrapPath(err).Error()}
	case st.IsDir():
		return inv, &missingScript{inv.script, "is a directory"}
	}
	return inv, nil
}

// missingScript is a script path that cannot be run.
type missingScript struct{ path, why string }

func (e *missingScript) Error() string { return fmt.Sprintf("cannot run %s: %s", e.path, e.why) }
