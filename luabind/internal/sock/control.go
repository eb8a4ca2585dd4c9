package sock

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// parseControl reads the control messages the modules ask for into m:
// the receive timestamp, the TTL or hop limit and a frame's VLAN tag. It allocates nothing
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
	case level == unix.SOL_PACKET && typ == unix.PACKET_AUXDATA:
		if len(data) >= int(unsafe.Sizeof(unix.TpacketAuxdata{})) {
			aux := (*unix.TpacketAuxdata)(unsafe.Pointer(&data[0]))
			m.VLAN = VLANTag(aux.Status, aux.Vlan_tci, aux.Vlan_tpid)
		}
	}
}

// A Tag is an 802.1Q (or 802.1ad) tag that the kernel took out of a
// received frame and handed beside it.
type Tag struct {
	TPID uint16 // its EtherType, 0x8100 or 0x88a8; 0 when there was no tag
	TCI  uint16 // priority, drop eligibility and VLAN ID
}

// VLANTag is the tag that a packet's status and tag fields describe, as
// struct tpacket_auxdata and the ring's frame headers carry them. Like
// libpcap it takes a nonzero TCI as a tag even without
// TP_STATUS_VLAN_VALID, which kernels before 3.0 did not set, and the
// TPID as 0x8100 unless TP_STATUS_VLAN_TPID_VALID (kernels before 3.14).
func VLANTag(status uint32, tci, tpid uint16) Tag {
	if tci == 0 && status&unix.TP_STATUS_VLAN_VALID == 0 {
		return Tag{}
	}
	if status&unix.TP_STATUS_VLAN_TPID_VALID == 0 {
		tpid = unix.ETH_P_8021Q
	}
	return Tag{TPID: tpid, TCI: tci}
}
