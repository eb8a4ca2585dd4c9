// Package rawip is raw IP sockets (AF_INET and AF_INET6, SOCK_RAW) and the
// Lua module "rawip": ICMP and any other IP protocol, sent with sendto and
// received with the kernel's receive timestamp.
//
// The Go core knows nothing of Lua: Open makes a Socket (inside a network
// namespace if asked) with SendTo, Recv and Close. What IPv4 raw sockets
// receive starts at the IP header; IPv6 raw sockets get no IP header, and
// the hop limit comes in a control message instead. Sends and receives go
// through luabind/internal/sock, as packet sockets do.
//
// The thin binding that makes this the Lua module "rawip" is lua.go (the
// module and its functions) and lua_socket.go (the methods of
// rawip.socket).
package rawip
