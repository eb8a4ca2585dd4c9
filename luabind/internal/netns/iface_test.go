package netns

import (
	"errors"
	"io/fs"
	"testing"
)

func TestNoInterfaceError(t *testing.T) {
	err := error(&NoInterfaceError{Name: "eth9", Have: []string{"lo", "veth0"}})
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "no such interface (have: lo, veth0)" {
		t.Errorf("got %v", err)
	}
}
