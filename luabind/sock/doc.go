// Package sock is the Lua module "sock": TCP and UDP sockets over IPv4
// and IPv6 in any lab namespace, with the calls of the BSD socket API,
// blocking with timeouts or non-blocking with on("readable"), and
// coroutines (sock.go) whose blocking calls park on the event loop
// instead of blocking the script. Its core, free of Lua, is package
// internal/inet.
package sock
