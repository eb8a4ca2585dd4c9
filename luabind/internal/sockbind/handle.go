// Package sockbind is the Lua side that the packet and rawip modules
// sockets share, beside their core in package sock: a Handle with the
// methods both have (recv, on, sniff, close), whose on() runs a reader goroutine
// posting to the event loop for the runtime's lifetime, the timeout
// argument of recv, and the Lua values of timestamps and numbers.
package sockbind

import (
	"context"
	"errors"
	"net"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sniff"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/ledger"
)

// A Handle is what the Lua binding of a socket module keeps beside its
// core socket: its entry in the cleanup ledger, whether it is closed, and
// its on() callback. It implements the methods that packet and rawip
// sockets share: recv, on and close.
type Handle struct {
	Module string // "packet": errors name calls "packet.recv"
	Object string // what errors name: "veth0"
	Need   string // the capability named when permission is missing
	rt     *luabind.Runtime
	undo   *ledger.Undo
	closed bool
	fn     *lua.LFunction // the on() callback
	stop   func()         // ends on()'s reader's hold on the loop
	static luabind.Static // the socket's fields that never change (Box)
}

// Track records in the runtime's ledger that the socket must be closed
// with closer: at close() or when the script ends, whichever comes first.
func (h *Handle) Track(L *lua.LState, what string, closer func() error) {
	h.rt = luabind.RuntimeOf(L)
	h.undo = h.rt.Ledger.Add(what, func() error {
		h.closed = true
		h.fn = nil
		if h.stop != nil {
			h.stop()
		}
		return closer()
	})
}

// Context is the context of the statement running, for the socket's
// blocking calls on the Lua thread: its end (^C) wakes them. It takes the
// runtime's lock, uncontended on the Lua thread: a send loop pays for it
// nothing measurable beside the system call.
func (h *Handle) Context() context.Context { return h.rt.Context() }

// Closed reports whether the socket was closed.
func (h *Handle) Closed() bool { return h.closed }

// Box boxes the fields of a socket of type t that never change, read
// from field once, so that Field serves them without allocating.
func (h *Handle) Box(t *luabind.Type, field func(key string) lua.LValue) {
	h.static = luabind.NewStatic(t, field, "closed")
}

// Field serves the socket's field key: closed, and the others as Box
// boxed them.
func (h *Handle) Field(key string) lua.LValue {
	if key == "closed" {
		return lua.LBool(h.closed)
	}
	return h.static.Get(key)
}

// Raise raises err from the call (a method name such as "recv") on the
// socket. A closed socket reads as "the socket is closed".
func (h *Handle) Raise(L *lua.LState, call string, err error) {
	h.RaiseOn(L, call, h.Object, err)
}

// RaiseOn is Raise naming another object, such as a destination.
func (h *Handle) RaiseOn(L *lua.LState, call, object string, err error) {
	if errors.Is(err, net.ErrClosed) {
		err = sock.ErrClosedSocket
	}
	luabind.Raise(L, &luabind.OpError{Op: h.Module + "." + call, Object: object, Err: err, Need: h.Need})
}

// CheckOpen raises "the socket is closed" for the call on a closed socket.
func (h *Handle) CheckOpen(L *lua.LState, call string) {
	if h.closed {
		h.Raise(L, call, net.ErrClosed)
	}
}

// CloseMethod implements close(): it closes the socket now, once.
func (h *Handle) CloseMethod(L *lua.LState) int {
	if err := h.undo.Run(); err != nil {
		h.Raise(L, "close", err)
	}
	return 0
}

// A Receiver is the receive of a core socket: Socket.Recv of packet and
// rawip, with their own Info types.
type Receiver[I any] func(ctx context.Context, timeout time.Duration) ([]byte, I, error)

// An InfoTable makes the info table of a received packet, on the Lua thread.
type InfoTable[I any] func(L *lua.LState, info *I) *lua.LTable

// CheckNoCallback raises when an on() callback takes the socket's
// packets: call (recv, capture) would compete with its reader for them.
func (h *Handle) CheckNoCallback(L *lua.LState, call string) {
	if h.fn != nil {
		luabind.Errorf(L, h.Module+"."+call, "%s: packets go to the on() callback", h.Object)
	}
}

// Recv implements recv([timeout]) -> bytes, info | nil, argument 2 being
// the timeout.
func Recv[I any](L *lua.LState, h *Handle, recv Receiver[I], table InfoTable[I]) int {
	h.CheckOpen(L, "recv")
	timeout := CheckTimeout(L, 2)
	h.CheckNoCallback(L, "recv")
	data, info, err := recv(h.Context(), timeout)
	if timedOut, err := sock.Timeout(err); timedOut {
		L.Push(lua.LNil)
		return 1
	} else if err != nil {
		h.Raise(L, "recv", err)
	}
	L.Push(lua.LString(data))
	L.Push(table(L, &info))
	return 2
}

// received is a packet on its way from the reader to the on() callback:
// its bytes copied once, into the string Lua gets.
type received[I any] struct {
	data string
	info I
}

// On implements on(fn), argument 2 being fn: the first call starts a
// reader goroutine, later ones replace fn.
func On[I any](L *lua.LState, h *Handle, recv Receiver[I], table InfoTable[I]) int {
	h.CheckOpen(L, "on")
	h.fn = luabind.CheckFunction(L, 2)
	if h.stop != nil {
		return 0
	}
	read := func(ctx context.Context) (received[I], error) {
		data, info, err := recv(ctx, sock.Forever)
		if err != nil {
			return received[I]{}, err
		}
		return received[I]{data: string(data), info: info}, nil
	}
	call := func(L *lua.LState, r received[I]) error {
		if h.fn == nil {
			return nil // closed meanwhile
		}
		return luabind.RuntimeOf(L).Call(h.fn, lua.LString(r.data), table(L, &r.info))
	}
	h.stop = deliverVia(L, h.Module+".on", read, call)
	return 0
}

// Sniff implements sniff{...}, argument 2 being the options, on a socket
// whose packets src reads.
func Sniff[I any](L *lua.LState, h *Handle, src *sniff.Source[I]) int {
	h.CheckOpen(L, "sniff")
	opts := sniff.Check(L, 2)
	h.CheckNoCallback(L, "sniff")
	res, err := sniff.Run(h.Context(), L, src, opts)
	if err != nil {
		h.Raise(L, "sniff", err)
	}
	return sniff.Push(L, res)
}
