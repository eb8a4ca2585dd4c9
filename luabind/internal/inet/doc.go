// Package inet is the Lua-free core of the sock module: TCP and UDP
// sockets over IPv4 and IPv6 in a chosen network namespace, with the
// calls of the BSD socket API (bind, listen, accept, connect, send, recv,
// sendto, recvfrom, shutdown), socket options by name and struct
// tcp_info decoded from the running kernel's layout.
//
// Descriptors are non-blocking and stay out of the Go runtime's poller,
// like the packet sockets of package sock, whose Conn they use: a call
// tries its system call first and, when the kernel says EAGAIN, waits in
// ppoll(2) until the socket is ready, its timeout passes, the caller's
// context ends (^C) or the socket is closed. Each blocking call has a Try
// form that never waits, for callers that wait elsewhere (a coroutine
// parked on the event loop).
//
// Errors carry the errno's name, as the manual pages spell it:
// "connection refused (ECONNREFUSED)".
package inet
