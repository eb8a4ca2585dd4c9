package sock

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// parseControl reads the control messages the modules ask for into m:
// the receive timestamp and the TTL or hop limit. It allocates nothing
// and skips what it does not know or what is malformed.
func parseControl(b []byte, m *Msg) {
	hdr := unix.CmsgLen(0)
	for len(b) >= hdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
		l := int(h.Len)
		if l < hdr || l > len(b) {
			return
		}
		readControl(h.Level, h.Type, b[hdr:l], m)
		next := unix.CmsgSpace(l - hdr)
		if next > len(b) {
			return
		}
		b = b[next:]
	}
}

// readControl reads one control message of the given level and type.
func readControl(level, typ int32, data []byte, m *Msg) {
	switch {
	case level == unix.SOL_SOCKET && (typ == unix.SO_TIMESTAMPNS_OLD || typ == unix.SO_TIMESTAMPNS_NEW):
		if len(data) >= int(unsafe.Sizeof(unix.Timespec{})) {
			ts := (*unix.Timespec)(unsafe.Pointer(&data[0]))
			m.TS = time.Unix(int64(ts.Sec), int64(ts.Nsec))
		}
	case level == unix.IPPROTO_IP && typ == unix.IP_TTL,
		level == unix.IPPROTO_IPV6 && typ == unix.IPV6_HOPLIMIT:
		if len(data) >= 4 {
			m.Hops = int(*(*int32)(unsafe.Pointer(&data[0])))
		}
	}
}
