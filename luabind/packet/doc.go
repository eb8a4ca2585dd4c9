// Package packet is raw frames on an interface: AF_PACKET sockets, on
// github.com/mdlayher/packet, and the Lua module "packet".
//
// The Go core knows nothing of Lua: Open makes a Socket bound to one
// interface (inside a network namespace if asked), with Send, Recv (the
// frame and what the kernel says of it: interface, EtherType, packet
// type, source MAC, receive timestamp, original length), Stats, SetFilter,
// Capture and Blast. Sends go straight to write(2) and receives reuse one
// buffer: the per-frame paths do not allocate (see luabind/internal/sock).
// Capture reads a TPACKET_V3 ring mapped from the kernel (ring.go) on a
// second socket, which takes the frames over from the first in a fanout
// group (tap.go).
//
// The thin binding that makes this the Lua module "packet" is lua.go (the
// module and packet.open), lua_socket.go (the methods of packet.socket) and
// lua_socket_blast.go (the options of socket:blast).
package packet
