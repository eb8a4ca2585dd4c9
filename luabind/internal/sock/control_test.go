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

// A PACKET_AUXDATA message yields the frame's VLAN tag as libpcap reads
// it (pcap-linux.c: VLAN_VALID and VLAN_TPID).
func TestParseAuxdataVLAN(t *testing.T) {
	tests := []struct {
		name      string
		status    uint32
		tci, tpid uint16
		want      Tag
	}{
		{"none", 0, 0, 0, Tag{}},
		{"802.1ad", unix.TP_STATUS_VLAN_VALID | unix.TP_STATUS_VLAN_TPID_VALID, 0x2064, 0x88a8, Tag{0x88a8, 0x2064}},
		{"tpid not valid", unix.TP_STATUS_VLAN_VALID, 100, 0x88a8, Tag{0x8100, 100}},
		{"vid 0, valid", unix.TP_STATUS_VLAN_VALID | unix.TP_STATUS_VLAN_TPID_VALID, 0, 0x8100, Tag{0x8100, 0}},
		{"old kernel: tci only", 0, 100, 0, Tag{0x8100, 100}},
	}
	for _, tt := range tests {
		aux := unix.TpacketAuxdata{Status: tt.status, Vlan_tci: tt.tci, Vlan_tpid: tt.tpid}
		data := unsafe.Slice((*byte)(unsafe.Pointer(&aux)), unsafe.Sizeof(aux))
		m := Msg{Hops: -1}
		parseControl(cmsg(unix.SOL_PACKET, unix.PACKET_AUXDATA, data), &m)
		if m.VLAN != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, m.VLAN, tt.want)
		}
	}
}
