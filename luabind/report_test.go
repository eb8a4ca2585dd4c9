package luabind_test

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
)

// reportOf runs src as t.lua and returns the report of its error.
func reportOf(t *testing.T, src string) string {
	t.Helper()
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	chunk, err := rt.Load(strings.NewReader(src), "t.lua")
	if err != nil {
		t.Fatal(err)
	}
	err = rt.Run(chunk)
	if err == nil {
		t.Fatalf("%q ran without error", src)
	}
	return rt.Report(err)
}

func TestReportHintsRequire(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // the report's first lines
	}{
		{"module used as a global", "local t = loop.after(1, print)",
			[]string{"t.lua:1: attempt to index global 'loop' (a nil value)",
				`'loop' is nil here: add local loop = require "loop"`, "stack traceback:"}},
		{"not a module", "lopo.after(1, print)",
			[]string{"t.lua:1: attempt to index global 'lopo' (a nil value)", "stack traceback:"}},
		{"a local named as a module", "local loop\nloop.after(1, print)",
			[]string{"t.lua:2: attempt to index local 'loop' (a nil value)", "stack traceback:"}},
		{"called, not indexed", "loop()",
			[]string{"t.lua:1: attempt to call global 'loop' (a nil value)", "stack traceback:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.Split(reportOf(t, tt.src), "\n")
			if len(lines) < len(tt.want) || strings.Join(lines[:len(tt.want)], "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("report starts\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
