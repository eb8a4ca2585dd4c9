package run

import "testing"

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
