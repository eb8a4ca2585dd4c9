package netlink

import (
	"fmt"

	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// Types of the events a watcher makes itself, besides the kernel's
// RTM_NEWLINK and others.
const (
	// TypeOverrun says the kernel dropped events (ENOBUFS), and the
	// watcher those still waiting for Take; the events marked Resync that
	// follow are the state as it is now.
	TypeOverrun = "overrun"
	// TypeResynced ends the dump that follows an overrun or a link going
	// down; Count says how many events it held.
	TypeResynced = "resynced"
	// TypeError says the watcher stopped; Err says why.
	TypeError = "error"
)

// An Event is one rtnetlink notification, or a note from the watcher
// itself (TypeOverrun, TypeResynced, TypeError). Exactly one of Link,
// Addr, Route and Neigh is set for a notification that decoded.
type Event struct {
	Type   string // "RTM_NEWLINK", ..., or one of the Type constants
	Kind   string // "link", "addr", "route", "neigh"; "" for the watcher's own events
	Action string // "new" or "del"
	Seq    uint32 // of the request that caused it, 0 if none
	PID    uint32 // netlink port of the process that caused it, 0 for the kernel
	Resync bool   // part of a dump after an overrun or a link going down
	Count  int    // for TypeResynced: events in the dump
	Err    error  // for TypeError; also a notification that did not decode

	Link  *Link
	Addr  *Addr
	Route *Route
	Neigh *Neigh
}

// A msgType is what a message type says of its event.
type msgType struct{ name, kind, action string }

// msgTypes are the rtnetlink messages a watcher decodes.
var msgTypes = map[netlink.HeaderType]msgType{
	unix.RTM_NEWLINK:  {"RTM_NEWLINK", "link", "new"},
	unix.RTM_DELLINK:  {"RTM_DELLINK", "link", "del"},
	unix.RTM_NEWADDR:  {"RTM_NEWADDR", "addr", "new"},
	unix.RTM_DELADDR:  {"RTM_DELADDR", "addr", "del"},
	unix.RTM_NEWROUTE: {"RTM_NEWROUTE", "route", "new"},
	unix.RTM_DELROUTE: {"RTM_DELROUTE", "route", "del"},
	unix.RTM_NEWNEIGH: {"RTM_NEWNEIGH", "neigh", "new"},
	unix.RTM_DELNEIGH: {"RTM_DELNEIGH", "neigh", "del"},
}

// Decode turns a notification into an Event. ok is false for message
// types that are not notifications of links, addresses, routes or
// neighbours. A body that does not decode gives an event with Err set.
func Decode(m netlink.Message) (ev Event, ok bool) {
	t, ok := msgTypes[m.Header.Type]
	if !ok {
		return Event{}, false
	}
	ev = Event{Type: t.name, Kind: t.kind, Action: t.action, Seq: m.Header.Sequence, PID: m.Header.PID}
	if err := ev.decodeBody(m.Data); err != nil {
		ev.Err = fmt.Errorf("decode %s: %w", t.name, err)
	}
	return ev, true
}

// decodeBody fills the object of the event's kind from data.
func (ev *Event) decodeBody(data []byte) (err error) {
	switch ev.Kind {
	case "link":
		ev.Link, err = decodeAs(data, linkFrom)
	case "addr":
		ev.Addr, err = decodeAs(data, addrFrom)
	case "route":
		ev.Route, err = decodeAs(data, routeFrom)
	case "neigh":
		ev.Neigh, err = decodeAs(data, neighFrom)
	}
	return err
}

// decodeAs unmarshals data as an M and converts it with conv; on failure
// the object is nil.
func decodeAs[M any, P rtnl.Message[M], O any](data []byte, conv func(P) O) (O, error) {
	var m M
	if err := P(&m).UnmarshalBinary(data); err != nil {
		var none O
		return none, err
	}
	return conv(&m), nil
}

// resyncEvent is the event that an object found by a dump stands for.
func resyncEvent(obj any) Event {
	ev := Event{Action: "new", Resync: true}
	switch o := obj.(type) {
	case *Link:
		ev.Type, ev.Kind, ev.Link = "RTM_NEWLINK", "link", o
	case *Addr:
		ev.Type, ev.Kind, ev.Addr = "RTM_NEWADDR", "addr", o
	case *Route:
		ev.Type, ev.Kind, ev.Route = "RTM_NEWROUTE", "route", o
	case *Neigh:
		ev.Type, ev.Kind, ev.Neigh = "RTM_NEWNEIGH", "neigh", o
	}
	return ev
}
