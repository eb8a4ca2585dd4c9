package packet

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// Where a VLAN tag goes back into an Ethernet frame: after the two MAC
// addresses, before the EtherType, 4 bytes long.
const (
	tagAt   = 12
	tagLen  = 4
	tagRoom = tagLen // buffers receive frames this far in, so that the tag fits before them
)

// recvFrame receives one frame into s.buf as sock.Conn.Recv does, and
// puts back the VLAN tag the kernel took out of it, as libpcap does, so
// that the frame is what was on the wire. m.Len counts the tag; m.VLAN is
// the tag put back, the zero Tag if none was.
func (s *Socket) recvFrame(ctx context.Context, timeout time.Duration) ([]byte, sock.Msg, error) {
	m, err := s.conn.Recv(ctx, s.buf[tagRoom:], timeout)
	if err != nil {
		return nil, m, err
	}
	frame := s.buf[tagRoom : tagRoom+m.N]
	if m.VLAN.TPID == 0 || s.header != 14 || m.N < tagAt {
		m.VLAN = sock.Tag{}
		return frame, m, nil
	}
	m.N += tagLen
	m.Len += tagLen
	return putTag(s.buf[:m.N], m.VLAN), m, nil
}

// putTag makes b, which holds a frame at tagRoom, the frame with tag
// before its EtherType, without copying more than the MAC addresses.
func putTag(b []byte, tag sock.Tag) []byte {
	copy(b, b[tagRoom:tagRoom+tagAt])
	binary.BigEndian.PutUint16(b[tagAt:], tag.TPID)
	binary.BigEndian.PutUint16(b[tagAt+2:], tag.TCI)
	return b
}
