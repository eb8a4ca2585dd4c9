package cli

import (
	"errors"
	"flag"
	"slices"
	"testing"
)

// parse parses args with a FlagSet of -e CODE (last), -v (last), -n and
// --name VALUE, and returns what it took.
func parse(args []string) (code string, version, n bool, rest []string, terminated bool, err error) {
	fs := NewFlagSet("x")
	fs.Last("e", "", func(v string) { code = v })
	fs.LastBool("v", "", func() { version = true })
	fs.BoolVar(&n, "n", false, "")
	fs.String("name", "", "")
	err = fs.Parse(args)
	return code, version, n, fs.Args(), fs.Terminated(args), err
}

func TestLastEndsTheOptions(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		code    string
		version bool
		rest    []string
	}{
		{[]string{"-e", "print(1)", "-x", "--", "a"}, "print(1)", false, []string{"-x", "--", "a"}},
		{[]string{"-n", "--e=c", "-v"}, "c", false, []string{"-v"}},
		{[]string{"-v", "-e"}, "", true, []string{"-e"}},
		{[]string{"--v", "--frob"}, "", true, []string{"--frob"}},
		{[]string{"-v=false", "x"}, "", false, []string{"x"}},
	} {
		code, version, _, rest, terminated, err := parse(tt.args)
		if err != nil || code != tt.code || version != tt.version || !slices.Equal(rest, tt.rest) || terminated {
			t.Errorf("%q: code %q version %v rest %q terminated %v, %v; want %q %v %q", tt.args, code, version, rest, terminated, err, tt.code, tt.version, tt.rest)
		}
	}
}

func TestTerminated(t *testing.T) {
	for _, tt := range []struct {
		args       []string
		rest       []string
		terminated bool
	}{
		{[]string{"-n", "--", "-v"}, []string{"-v"}, true},
		{[]string{"--"}, []string{}, true},
		{[]string{"-n", "a", "--"}, []string{"a", "--"}, false},
		{[]string{"-", "-n"}, []string{"-", "-n"}, false},
		{nil, []string{}, false},
	} {
		_, _, _, rest, terminated, err := parse(tt.args)
		if err != nil || !slices.Equal(rest, tt.rest) || terminated != tt.terminated {
			t.Errorf("%q: rest %q terminated %v, %v; want %q %v", tt.args, rest, terminated, err, tt.rest, tt.terminated)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		arg     string
		unknown bool
		msg     string
	}{
		{[]string{"-n", "--frobnicate", "x"}, "--frobnicate", true, "flag provided but not defined: -frobnicate"},
		{[]string{"-x=1"}, "-x=1", true, "flag provided but not defined: -x"},
		{[]string{"-n", "---x"}, "---x", true, "bad flag syntax: ---x"},
		{[]string{"-=x", "a"}, "-=x", true, "bad flag syntax: -=x"},
		{[]string{"-e"}, "-e", false, "flag needs an argument: -e"},
		{[]string{"-n", "--name"}, "--name", false, "flag needs an argument: -name"},
	} {
		_, _, _, _, _, err := parse(tt.args)
		var opt *OptionError
		if !errors.As(err, &opt) || opt.Arg != tt.arg || opt.Unknown != tt.unknown || err.Error() != tt.msg {
			t.Errorf("%q: %#v (%v), want option %q unknown %v: %q", tt.args, err, err, tt.arg, tt.unknown, tt.msg)
		}
	}
	for _, args := range [][]string{{"-h"}, {"--help", "-x"}, {"-n", "-help"}} {
		if _, _, _, _, _, err := parse(args); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%q: %v, want flag.ErrHelp", args, err)
		}
	}
	var opt *OptionError
	if _, _, _, _, _, err := parse([]string{"-n=maybe"}); err == nil || errors.As(err, &opt) {
		t.Errorf("-n=maybe: %v, want flag's own error", err)
	}
}
