package cli

import (
	"errors"
	"flag"
	"io"
	"strconv"
	"strings"
)

// A FlagSet reads the options of one subcommand with the flag package:
// -name and --name alike, a value after the option or after "=", -h and
// --help giving flag.ErrHelp. It prints nothing: the subcommand words the
// error. Options that end the command line (netlua -e CODE ARGS...)
// are declared with Last and LastBool.
type FlagSet struct {
	*flag.FlagSet
	stopped bool // an option declared with Last or LastBool was given
}

// errLast is what the Set of an option declared with Last returns, to end
// the parsing after it; Parse hides it.
var errLast = errors.New("last option")

// NewFlagSet returns an empty FlagSet for the subcommand name.
func NewFlagSet(name string) *FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &FlagSet{FlagSet: fs}
}

// Last declares an option with a value after which the options end: set
// gets the value, and the rest of the command line is fs.Args(), even
// what starts with "-" (it belongs to the script).
func (fs *FlagSet) Last(name, usage string, set func(value string)) {
	fs.Func(name, usage, func(v string) error {
		set(v)
		fs.stopped = true
		return errLast
	})
}

// LastBool declares an option without a value after which the options
// end, as Last does: --version, say, whatever follows it.
func (fs *FlagSet) LastBool(name, usage string, set func()) {
	fs.BoolFunc(name, usage, func(v string) error {
		if on, err := strconv.ParseBool(v); err != nil || !on {
			return err // -v=false is no -v
		}
		set()
		fs.stopped = true
		return errLast
	})
}

// Parse reads the options in args up to the first argument that is not
// one, "--" or an option declared with Last; fs.Args() is the rest. An
// option fs does not have, or one that lacks its value, is an
// *OptionError; -h or --help is flag.ErrHelp.
func (fs *FlagSet) Parse(args []string) error {
	err := fs.FlagSet.Parse(args)
	switch {
	case fs.stopped:
		return nil
	case err == nil, errors.Is(err, flag.ErrHelp):
		return err
	}
	// The flag package tells its errors apart only by their words, which
	// are Go 1 stable and which the tests of netlua test check verbatim.
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "bad flag syntax: "): // "---x", "-=x": not taken
		return &OptionError{Arg: fs.Arg(0), Unknown: true, Err: err}
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return &OptionError{Arg: lastTaken(args, fs.Args()), Unknown: true, Err: err}
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return &OptionError{Arg: lastTaken(args, fs.Args()), Err: err}
	}
	return err
}

// lastTaken is the last of args that the flag package took, rest being
// what it left: the option it stopped at, when it did not know it or
// found no value for it.
func lastTaken(args, rest []string) string {
	if n := len(args) - len(rest); n > 0 {
		return args[n-1]
	}
	return ""
}

// Terminated reports whether the options in args, which fs parsed, ended
// with "--": what follows it is not an option even if it starts with "-".
func (fs *FlagSet) Terminated(args []string) bool {
	n := len(args) - len(fs.Args())
	return !fs.stopped && n > 0 && args[n-1] == "--"
}

// An OptionError is an option a subcommand does not have, or one given
// without its value.
type OptionError struct {
	Arg     string // the option as given: "--frobnicate", "-e"
	Unknown bool   // no such option; else its value is missing
	Err     error  // the flag package's word for it
}

// Error is the flag package's message: "flag provided but not defined:
// -frobnicate".
func (e *OptionError) Error() string { return e.Err.Error() }

// Unwrap returns the flag package's error.
func (e *OptionError) Unwrap() error { return e.Err }
