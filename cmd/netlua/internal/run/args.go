package run

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
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

// ParseArgs reads the options up to the script name; what follows it,
// or -e CODE, belongs to the script. An option netlua does not have, or
// -e without CODE, is an error for the usage.
func ParseArgs(args []string) (Invocation, error) {
	var inv Invocation
	fs := cli.NewFlagSet("netlua")
	fs.Last("e", "run CODE instead of a script file", func(code string) { inv.code, inv.hasCode = code, true })
	fs.LastBool("v", "show the version", func() { inv.Version = true })
	fs.LastBool("version", "show the version", func() { inv.Version = true })
	err := fs.Parse(args)
	var opt *cli.OptionError
	switch {
	case errors.Is(err, flag.ErrHelp):
		inv.Help = true
		return inv, nil
	case errors.As(err, &opt) && !opt.Unknown:
		return inv, fmt.Errorf("%s needs an argument: netlua -e 'print(1)'", opt.Arg)
	case errors.As(err, &opt):
		return inv, fmt.Errorf("unknown option %s", opt.Arg)
	case err != nil:
		return inv, err
	case inv.hasCode:
		inv.args = fs.Args()
		return inv, nil
	case inv.Version:
		return inv, nil
	case fs.Terminated(args) && fs.NArg() == 0:
		return inv, errors.New("missing script after --")
	case fs.NArg() > 0:
		return withScript(inv, fs.Args())
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

// A MissingScript is a script path that cannot be run: netlua says so
// without the usage, as the command line itself was well formed.
type MissingScript struct{ path, why string }

// Error says which script and why: "cannot run x.lua: no such file".
func (e *MissingScript) Error() string { return fmt.Sprintf("cannot run %s: %s", e.path, e.why) }

// UnwrapPath drops the path a *fs.PathError repeats: "no such file or directory".
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
