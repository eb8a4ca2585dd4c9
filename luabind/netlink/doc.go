// Package netlink is the Lua module "netlink": rtnetlink events, queries
// and changes of links, addresses, routes and neighbours, in the current
// network namespace or any other (a lab host, a named namespace).
//
// The Go core knows nothing of Lua. A Watcher reads a multicast rtnetlink
// socket on its own goroutine, decodes each message into a plain Event
// and queues it; whoever consumes the queue (the Lua binding, on the event
// loop) is told when events wait. A Client makes queries and changes over
// one request socket. Both sit on the narrow rtnl.Conn interface and a
// receive-only source, so most tests run against fakes.
//
// The watcher never loses events silently. Its socket gets a receive
// buffer of several MiB, its queue holds a backlog of events while the
// consumer is busy, and when the kernel still overruns the socket
// (ENOBUFS) the watcher drops the events still waiting, delivers an
// "overrun" event, and on a new socket dumps the state it watches again
// (events marked Resync) and goes on: nothing older than the dump comes
// after it.
//
// The binding checks arguments, calls the core and turns its values into
// Lua tables: lua.go holds the module and its functions, lua_watcher.go the
// watcher's methods, args.go reads arguments and options, tables.go builds
// (and documents) the tables the functions return.
package netlink
