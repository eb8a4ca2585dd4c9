package testrun

import (
	"slices"
	"testing"
	"time"
)

func TestParseTestArgs(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		paths   []string
		verbose bool
		timeout time.Duration
	}{
		{nil, []string{"."}, false, 30 * time.Second},
		{[]string{"a", "-v", "b"}, []string{"a", "b"}, true, 30 * time.Second},
		{[]string{"--timeout", "2", "a"}, []string{"a"}, false, 2 * time.Second},
		{[]string{"a", "--", "-v", "--tap"}, []string{"a", "-v", "--tap"}, false, 30 * time.Second},
		{[]string{"--", "-x_test.lua"}, []string{"-x_test.lua"}, false, 30 * time.Second},
	} {
		inv, err := parseTestArgs(tt.args)
		if err != nil || !slices.Equal(inv.paths, tt.paths) || inv.verbose != tt.verbose || inv.timeout != tt.timeout {
			t.Errorf("%q: paths %q verbose %v timeout %v, %v; want %q %v %v", tt.args, inv.paths, inv.verbose, inv.timeout, err, tt.paths, tt.verbose, tt.timeout)
		}
	}
	for _, args := range [][]string{{"--nosuch"}, {"--timeout", "-1"}, {"--run", "("}} {
		if _, err := parseTestArgs(args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
