package gopanic

import (
	"errors"
	"testing"
)

func TestCatch(t *testing.T) {
	busy := errors.New("busy")
	tests := []struct {
		name string
		f    func() error
		want string
	}{
		{"no error", func() error { return nil }, ""},
		{"an error", func() error { return busy }, "busy"},
		{"a panic", func() error {
			var s []int
			_ = s[len(s)+3]
			return nil
		}, "undo x: internal error: runtime error: index out of range [3] with length 0 (a bug in netlua; please report it with the script)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Catch("undo x", tt.f)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Catch: %q, want %q", got, tt.want)
			}
		})
	}
}
