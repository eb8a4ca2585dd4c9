package lua

import (
	"regexp"
	"testing"
)

// TestCompileErrorReadsAsLua checks that an error the compiler finds
// reads "name:line: message", as Lua's syntax errors do (netlua patch).
func TestCompileErrorReadsAsLua(t *testing.T) {
	L := NewState()
	defer L.Close()
	_, err := L.LoadString("goto nowhere")
	want := regexp.MustCompile(`^<string>:\d+: no visible label 'nowhere' for <goto> at line 1$`)
	if err == nil || !want.MatchString(err.Error()) {
		t.Errorf("got %v, want %s", err, want)
	}
}
