package lab

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

func TestSysctlPath(t *testing.T) {
	tests := []struct{ name, path string }{
		{"net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward"},
		{"net/ipv4/conf/eth0.100/rp_filter", "/proc/sys/net/ipv4/conf/eth0.100/rp_filter"},
		{"kernel.hostname", ""}, // the whole machine's
		{"net", ""},
		{"net/../kernel/hostname", ""},
		{"net.ipv4..ip_forward", ""},
		{"/net/ipv4/ip_forward", ""},
	}
	for _, tt := range tests {
		path, err := sysctlPath(tt.name)
		if path != tt.path || (err == nil) != (tt.path != "") {
			t.Errorf("sysctlPath(%q) = %q, %v; want %q", tt.name, path, err, tt.path)
		}
	}
}

// A sysctl the kernel lacks is said plainly, and still matches
// fs.ErrNotExist, so that Forward can pass over IPv6 where it is off.
func TestNoSysctl(t *testing.T) {
	err := sysctlError(&fs.PathError{Op: "open", Path: "/proc/sys/net/ipv6/conf/all/forwarding", Err: os.ErrNotExist})
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "no such sysctl (/proc/sys/net/ipv6/conf/all/forwarding)" {
		t.Errorf("got %v", err)
	}
}
