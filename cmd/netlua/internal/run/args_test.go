package run

import (
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	inv, err := ParseArgs([]string{"-e", "x", "a"})
	if err != nil || !inv.hasCode || inv.code != "x" || len(inv.args) != 1 {
		t.Errorf("-e x a: %+v %v", inv, err)
	}
	inv, err = ParseArgs([]string{"--", "-"})
	if err != nil || inv.script != "-" {
		t.Errorf("-- -: %+v %v", inv, err)
	}
	if _, err := ParseArgs([]string{"--"}); err == nil {
		t.Error("-- alone: no error")
	}
}

// What follows -e CODE or the script belongs to the script, options too;
// netlua's own options end there.
func TestScriptArgsAfterCode(t *testing.T) {
	inv, err := ParseArgs([]string{"-e", "x", "-v", "--help", "--"})
	if err != nil || inv.code != "x" || inv.Version || inv.Help || len(inv.args) != 3 {
		t.Errorf("-e x -v --help --: %+v %v", inv, err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--frobnicate"}, "unknown option --frobnicate"},
		{[]string{"-e"}, "-e needs an argument"},
	} {
		if _, err := ParseArgs(tt.args); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.args, err, tt.want)
		}
	}
}
