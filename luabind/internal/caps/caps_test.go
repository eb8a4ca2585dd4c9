package caps

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

func TestNeed(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		need  string
		known bool
	}{
		{"setns", fmt.Errorf("netns.do: %w", os.NewSyscallError("setns", syscall.EPERM)), SysAdmin, true},
		{"setns pid", os.NewSyscallError("setns pid", syscall.EPERM), SysAdmin, true},
		{"unshare", os.NewSyscallError("unshare", syscall.EPERM), SysAdmin, true},
		{"mount", &fs.PathError{Op: "mount", Path: "/run/netns/x", Err: syscall.EPERM}, SysAdmin, true},
		{"a file", &fs.PathError{Op: "open", Path: "/root/x.pcap", Err: syscall.EACCES}, "", true},
		{"an Error", fmt.Errorf("pin: %w", &Error{Need: DACOverride, Err: syscall.EACCES}), DACOverride, true},
		{"a socket", os.NewSyscallError("socket", syscall.EPERM), "", false},
		{"a bare errno", syscall.EPERM, "", false},
		{"joined, the setns first", errors.Join(errors.New("x"), os.NewSyscallError("setns", syscall.EPERM)), SysAdmin, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			need, known := Need(tt.err)
			if need != tt.need || known != tt.known {
				t.Errorf("Need(%v) = %q, %v; want %q, %v", tt.err, need, known, tt.need, tt.known)
			}
		})
	}
}

func TestSetcapList(t *testing.T) {
	tests := map[string]string{
		NetRaw:      "cap_net_raw,cap_net_admin",
		NetAdmin:    "cap_net_raw,cap_net_admin",
		SysAdmin:    "cap_net_raw,cap_net_admin,cap_sys_admin",
		DACOverride: "", // never suggested: it would let anyone write any file
	}
	for need, want := range tests {
		if got := SetcapList(need); got != want {
			t.Errorf("SetcapList(%s) = %q, want %q", need, got, want)
		}
	}
}

func TestCheckMatchesPermission(t *testing.T) {
	err := &Error{Need: SysAdmin, Err: fmt.Errorf("network namespaces: %w", syscall.EPERM)}
	if !errors.Is(err, os.ErrPermission) || err.Error() != "network namespaces: operation not permitted" {
		t.Errorf("Error = %q, is permission %v", err, errors.Is(err, os.ErrPermission))
	}
}
