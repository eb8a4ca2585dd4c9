package netns

import (
	"fmt"
	"io/fs"
	"strings"
)

// A NoInterfaceError says that a namespace has no interface of the name or
// index asked for, and lists those it has. It matches fs.ErrNotExist. Both
// ways of looking an interface up (a socket's by name, rtnetlink's by name
// or index) return it, so callers test for one type.
type NoInterfaceError struct {
	Name string   // the name asked for; "" when looked up by index
	Have []string // the interfaces of the namespace, in index order
}

// Error implements error: "no such interface (have: lo, veth0)".
func (e *NoInterfaceError) Error() string {
	return fmt.Sprintf("no such interface (have: %s)", strings.Join(e.Have, ", "))
}

// Is makes errors.Is(err, fs.ErrNotExist) true.
func (e *NoInterfaceError) Is(target error) bool { return target == fs.ErrNotExist }
