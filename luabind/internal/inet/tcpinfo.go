package inet

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/unix"
)

// An InfoField is one field of struct tcp_info, named without tcpi_.
type InfoField struct {
	Name  string
	Value uint64
}

// infoField says where a field of struct tcp_info is: at byte off, size
// bytes (native byte order), or bits bits from bit shift of that word.
type infoField struct {
	name       string
	off, size  int
	shift, bit uint8 // a bitfield: bits bit from shift; bit 0 for a whole word
}

// tcpInfoLayout is struct tcp_info of include/uapi/linux/tcp.h as of
// Linux 6.18 (280 bytes), in order; x/sys's unix.TCPInfo stops at
// tcpi_snd_wnd. An older kernel returns fewer bytes: only the fields it
// filled are decoded. Bitfields are numbered from the low bit, as GCC
// lays them out on little-endian machines.
var tcpInfoLayout = []infoField{
	{name: "state", off: 0, size: 1}, {name: "ca_state", off: 1, size: 1},
	{name: "retransmits", off: 2, size: 1}, {name: "probes", off: 3, size: 1},
	{name: "backoff", off: 4, size: 1}, {name: "options", off: 5, size: 1},
	{name: "snd_wscale", off: 6, size: 1, shift: 0, bit: 4}, {name: "rcv_wscale", off: 6, size: 1, shift: 4, bit: 4},
	{name: "delivery_rate_app_limited", off: 7, size: 1, shift: 0, bit: 1},
	{name: "fastopen_client_fail", off: 7, size: 1, shift: 1, bit: 2},
	{name: "rto", off: 8, size: 4}, {name: "ato", off: 12, size: 4},
	{name: "snd_mss", off: 16, size: 4}, {name: "rcv_mss", off: 20, size: 4},
	{name: "unacked", off: 24, size: 4}, {name: "sacked", off: 28, size: 4},
	{name: "lost", off: 32, size: 4}, {name: "retrans", off: 36, size: 4},
	{name: "fackets", off: 40, size: 4},
	{name: "last_data_sent", off: 44, size: 4}, {name: "last_ack_sent", off: 48, size: 4},
	{name: "last_data_recv", off: 52, size: 4}, {name: "last_ack_recv", off: 56, size: 4},
	{name: "pmtu", off: 60, size: 4}, {name: "rcv_ssthresh", off: 64, size: 4},
	{name: "rtt", off: 68, size: 4}, {name: "rttvar", off: 72, size: 4},
	{name: "snd_ssthresh", off: 76, size: 4}, {name: "snd_cwnd", off: 80, size: 4},
	{name: "advmss", off: 84, size: 4}, {name: "reordering", off: 88, size: 4},
	{name: "rcv_rtt", off: 92, size: 4}, {name: "rcv_space", off: 96, size: 4},
	{name: "total_retrans", off: 100, size: 4},
	{name: "pacing_rate", off: 104, size: 8}, {name: "max_pacing_rate", off: 112, size: 8},
	{name: "bytes_acked", off: 120, size: 8}, {name: "bytes_received", off: 128, size: 8},
	{name: "segs_out", off: 136, size: 4}, {name: "segs_in", off: 140, size: 4},
	{name: "notsent_bytes", off: 144, size: 4}, {name: "min_rtt", off: 148, size: 4},
	{name: "data_segs_in", off: 152, size: 4}, {name: "data_segs_out", off: 156, size: 4},
	{name: "delivery_rate", off: 160, size: 8},
	{name: "busy_time", off: 168, size: 8}, {name: "rwnd_limited", off: 176, size: 8},
	{name: "sndbuf_limited", off: 184, size: 8},
	{name: "delivered", off: 192, size: 4}, {name: "delivered_ce", off: 196, size: 4},
	{name: "bytes_sent", off: 200, size: 8}, {name: "bytes_retrans", off: 208, size: 8},
	{name: "dsack_dups", off: 216, size: 4}, {name: "reord_seen", off: 220, size: 4},
	{name: "rcv_ooopack", off: 224, size: 4},
	{name: "snd_wnd", off: 228, size: 4}, {name: "rcv_wnd", off: 232, size: 4},
	{name: "rehash", off: 236, size: 4},
	{name: "total_rto", off: 240, size: 2}, {name: "total_rto_recoveries", off: 242, size: 2},
	{name: "total_rto_time", off: 244, size: 4},
	{name: "received_ce", off: 248, size: 4},
	{name: "delivered_e1_bytes", off: 252, size: 4}, {name: "delivered_e0_bytes", off: 256, size: 4},
	{name: "delivered_ce_bytes", off: 260, size: 4},
	{name: "received_e1_bytes", off: 264, size: 4}, {name: "received_e0_bytes", off: 268, size: 4},
	{name: "received_ce_bytes", off: 272, size: 4},
	{name: "accecn_fail_mode", off: 276, size: 2}, {name: "accecn_opt_seen", off: 278, size: 2},
}

// tcpInfoSize is the size of struct tcp_info as the layout knows it.
const tcpInfoSize = 280

// TCPStates names the TCP states of include/net/tcp_states.h, by number.
var TCPStates = []string{1: "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE"}

// TCPInfo reads struct tcp_info (getsockopt TCP_INFO) and returns every
// field the kernel filled, in the struct's order.
func (s *Socket) TCPInfo() ([]InfoField, error) {
	var buf [tcpInfoSize + 64]byte // room for fields a newer kernel adds, which are left out
	n := uint32(len(buf))
	err := s.control(func(fd int) error {
		_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.IPPROTO_TCP, unix.TCP_INFO,
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0)
		if e != 0 {
			return e
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return decodeTCPInfo(buf[:n]), nil
}

// decodeTCPInfo decodes the fields of b, a struct tcp_info of len(b) bytes.
func decodeTCPInfo(b []byte) []InfoField {
	fields := make([]InfoField, 0, len(tcpInfoLayout))
	for _, f := range tcpInfoLayout {
		if f.off+f.size > len(b) {
			break
		}
		var v uint64
		switch f.size {
		case 1:
			v = uint64(b[f.off])
		case 2:
			v = uint64(binary.NativeEndian.Uint16(b[f.off:]))
		case 4:
			v = uint64(binary.NativeEndian.Uint32(b[f.off:]))
		case 8:
			v = binary.NativeEndian.Uint64(b[f.off:])
		}
		if f.bit != 0 {
			v = v >> f.shift & (1<<f.bit - 1)
		}
		fields = append(fields, InfoField{Name: f.name, Value: v})
	}
	return fields
}
