package sock

import (
	"encoding/binary"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// cmsg is one control message as the kernel lays it out.
func cmsg(level, typ int32, data []byte) []byte {
	b := make([]byte, unix.CmsgSpace(len(data)))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = level, typ
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b
}

func TestParseControl(t *testing.T) {
	ts := make([]byte, 16)
	binary.NativeEndian.PutUint64(ts, 1700000000)
	binary.NativeEndian.PutUint64(ts[8:], 123456789)
	hops := make([]byte, 4)
	binary.NativeEndian.PutUint32(hops, 63)
	tests := []struct {
		name string
		b    []byte
		ts   time.Time
		hops int
	}{
		{"timestamp and hop limit", append(cmsg(unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, ts), cmsg(unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, hops)...), time.Unix(1700000000, 123456789), 63},
		{"new timestamp", cmsg(unix.SOL_SOCKET, unix.SO_TIMESTAMPNS_NEW, ts), time.Unix(1700000000, 123456789), -1},
		{"ttl", cmsg(unix.IPPROTO_IP, unix.IP_TTL, hops), time.Time{}, 63},
		{"unknown", cmsg(unix.SOL_SOCKET, 999, ts), time.Time{}, -1},
		{"short timestamp", cmsg(unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, ts[:8]), time.Time{}, -1},
		{"truncated", cmsg(unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, ts)[:20], time.Time{}, -1},
		{"empty", nil, time.Time{}, -1},
	}
	for _, tt := range tests {
		m := Msg{Hops: -1}
		parseControl(tt.b, &m)
		if !m.TS.Equal(tt.ts) || m.Hops != tt.hops {
			t.Errorf("%s: ts %v, hops %d; want %v, %d", tt.name, m.TS, m.Hops, tt.ts, tt.hops)
		}
	}
}

// sliceAddr is the address of b's first byte, for raw system calls.
func sliceAddr(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }
