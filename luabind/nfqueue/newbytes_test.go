package nfqueue

import (
	"strings"
	"testing"
)

// New bytes stand for the packet when they are an IP packet of its version
// that an IP length can hold.
func TestNewBytesError(t *testing.T) {
	v4 := "\x45" + strings.Repeat("\x00", 27) // a 20-byte header and 8 more
	v6 := "\x60" + strings.Repeat("\x00", 47)
	tests := []struct {
		name, orig, b string
		want          string // "" for none
	}{
		{"IPv4", v4, v4, ""},
		{"IPv4 with options", v4, "\x4f" + strings.Repeat("\x00", 59), ""},
		{"IPv4, 65,535 bytes", v4, v4 + strings.Repeat("x", 65535-len(v4)), ""},
		{"IPv4, 65,536 bytes", v4, v4 + strings.Repeat("x", 65536-len(v4)), "the function returned 65536 bytes: new bytes must be an IP packet of the queued packet's version (IPv4 here), 20 to 65,535 bytes long"},
		{"IPv4, header past the end", v4, "\x4f" + strings.Repeat("\x00", 58), "the function returned 59 bytes that are not an IPv4 packet"},
		{"IPv4, header too short", v4, "\x44" + strings.Repeat("\x00", 27), "not an IPv4 packet"},
		{"IPv6 for IPv4", v4, v6, "the function returned 48 bytes that are not an IPv4 packet"},
		{"IPv6", v6, v6, ""},
		{"IPv6, 39 bytes", v6, v6[:39], "the function returned 39 bytes that are not an IPv6 packet: new bytes must be an IP packet of the queued packet's version (IPv6 here)"},
		{"IPv4 for IPv6", v6, v4, "not an IPv6 packet"},
		{"text", v4, "GET / HTTP/1.1\r\nHost: x\r\n", "not an IPv4 packet"},
		{"no queued bytes to compare with", "", "x", ""},
	}
	for _, tt := range tests {
		err := newBytesError([]byte(tt.orig), tt.b)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want no error", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
