package sock

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// A SizeError is a frame or packet that cannot be sent for its size. It
// matches unix.EMSGSIZE with errors.Is when too long, unix.EINVAL when too
// short.
type SizeError struct {
	What  string // "frame", "packet"
	Len   int    // its size in bytes
	Limit int    // the largest (or smallest) size allowed
	Short bool   // Len is under Limit rather than over it
	Why   string // where Limit comes from: "MTU 1500 + 14-byte Ethernet header"
}

// Error implements error: "frame of 1600 bytes is over the limit of 1514
// bytes (MTU 1500 + 14-byte Ethernet header)".
func (e *SizeError) Error() string {
	if e.Short {
		return fmt.Sprintf("%s of %d bytes is under the minimum of %d bytes (%s)", e.What, e.Len, e.Limit, e.Why)
	}
	return fmt.Sprintf("%s of %d bytes is over the limit of %d bytes (%s)", e.What, e.Len, e.Limit, e.Why)
}

// Unwrap makes the error match the errno the kernel would have returned.
func (e *SizeError) Unwrap() error {
	if e.Short {
		return unix.EINVAL
	}
	return unix.EMSGSIZE
}
