package netlink

import (
	"fmt"
	"net/netip"
	"sort"
)

// note updates the watcher's view of the namespace with ev and appends to
// evs what to deliver: ev, if the script asked for its group, and the
// route deletions the kernel made without a word, if ev caused them.
func (w *Watcher) note(ev Event, evs []Event) []Event {
	silent := w.noteLink(&ev) || (ev.Addr != nil && ev.Action == "del" && ev.Addr.Family() == 4)
	ev.object().name(w.names)
	if ev.Route != nil && w.routes != nil && !w.routes.apply(&ev) {
		return evs // deleted already, in an earlier resync
	}
	if w.cfg.Groups.delivers(&ev) {
		evs = append(evs, ev)
	}
	if silent && w.routes != nil && !ev.Resync {
		evs = append(evs, w.resyncRoutes()...)
	}
	return evs
}

// noteLink learns a link's name and state from ev, and reports whether
// it went down or away, which drops its IPv4 routes silently.
func (w *Watcher) noteLink(ev *Event) (dropsRoutes bool) {
	l := ev.Link
	if l == nil {
		return false
	}
	wasUp := w.up[l.Index]
	if ev.Action == "del" {
		delete(w.names, l.Index)
		delete(w.up, l.Index)
		return true
	}
	w.names[l.Index], w.up[l.Index] = l.Name, l.Up()
	return wasUp && !l.Up()
}

// object is the decoded object of a notification.
func (ev *Event) object() named {
	switch {
	case ev.Addr != nil:
		return ev.Addr
	case ev.Route != nil:
		return ev.Route
	case ev.Neigh != nil:
		return ev.Neigh
	}
	return noName{}
}

// noName is the object of an event with none to name.
type noName struct{}

func (noName) name(Names) {}

// routeFamily is the IP version of the routes watched, 0 for both.
func (w *Watcher) routeFamily() int {
	return max(w.cfg.Groups.family(GroupRoute4, GroupRoute6), 0)
}

// resyncRoutes dumps the routes and returns the events that turn the
// copy the watcher keeps into what the kernel has now.
func (w *Watcher) resyncRoutes() []Event {
	routes, err := w.query.Routes(Filter{Family: w.routeFamily(), Table: TableAll})
	if err != nil {
		return []Event{{Type: TypeError, Err: fmt.Errorf("resync routes: %w", err)}}
	}
	return w.routes.diff(routes)
}

// overrun reports that the kernel dropped notifications, then delivers
// the state watched as it is now, and a TypeResynced event after it. An
// error ends the watcher: it can no longer tell what it missed.
//
// The events still waiting for the consumer go: the state supersedes
// them, and a slow consumer would spend its time on changes already
// undone. Before the dump the watcher replaces its socket: the old one
// still holds notifications older than the dump, which would undo it if
// delivered after it, and while its queue stays full the kernel drops more
// without another ENOBUFS (it reports one per congestion). Every change
// from the new socket's start on comes after the dump's entries: those
// made while the dump ran may tell again what it told, and applied in
// order they end where the kernel is. Should the new socket overrun too,
// the next Receive says so and this starts over.
func (w *Watcher) overrun() error {
	w.restart()
	if err := w.reopen(); err != nil {
		return fmt.Errorf("resync after overrun: new socket: %w", err)
	}
	dumped, err := w.dump()
	if err != nil {
		return fmt.Errorf("resync after overrun: %w", err)
	}
	// Names and link states are learnt again from the dump: events that
	// renamed, added or removed links may be among those lost.
	w.names, w.up = Names{}, map[int]bool{}
	if w.routes != nil {
		clear(w.routes)
	}
	var evs []Event
	for _, ev := range dumped {
		evs = w.note(ev, evs)
	}
	w.push(append(evs, Event{Type: TypeResynced, Count: len(evs)}))
	return nil
}

// restart counts an overrun, drops the events waiting for the consumer,
// which the state to come supersedes, and queues TypeOverrun instead.
func (w *Watcher) restart() {
	w.mu.Lock()
	w.stats.Overruns++
	w.stats.Discarded += len(w.queue) - w.head
	clear(w.queue[w.head:])
	w.queue = w.queue[:w.head]
	w.mu.Unlock()
	w.push([]Event{{Type: TypeOverrun}})
}

// reopen puts a new socket joined to the same groups in place of the
// watcher's, and closes the old one with what it held. A watcher made
// without a way to dial keeps its socket.
func (w *Watcher) reopen() error {
	if w.dial == nil {
		return nil
	}
	src, err := w.dial()
	if err != nil {
		return err
	}
	w.mu.Lock()
	old := w.src
	if w.closed {
		old = src // Close closed the old one already
	} else {
		w.src = src
	}
	w.mu.Unlock()
	return old.Close()
}

// dump lists what the watcher watches, as events marked Resync, and the
// links in any case, which name the objects of the others (note delivers
// link events only to those who watch links).
func (w *Watcher) dump() ([]Event, error) {
	g, q := w.cfg.Groups, w.query
	var d dumper
	d.add(objects(q.Links()))
	if fam := g.family(GroupAddr4, GroupAddr6); fam >= 0 {
		d.add(objects(q.Addrs(Filter{Family: fam})))
	}
	if fam := g.family(GroupRoute4, GroupRoute6); fam >= 0 {
		d.add(objects(q.Routes(Filter{Family: fam, Table: TableAll})))
	}
	if g&GroupNeigh != 0 {
		d.add(objects(q.Neighbors(Filter{})))
	}
	return d.evs, d.err
}

// A dumper collects the results of dumps as events, and the first error.
type dumper struct {
	evs []Event
	err error
}

func (d *dumper) add(objs []any, err error) {
	if d.err == nil {
		d.err = err
	}
	for _, o := range objs {
		d.evs = append(d.evs, resyncEvent(o))
	}
}

// objects is list as []any.
func objects[T any](list []T, err error) ([]any, error) {
	out := make([]any, len(list))
	for i, o := range list {
		out[i] = o
	}
	return out, err
}

// A routeKey identifies a route as the kernel does when it replaces one:
// IPv4 by table, destination, TOS and metric; IPv6 by its next hop too,
// since its multipath routes arrive one next hop at a time.
type routeKey struct {
	table   uint32
	dst     netip.Prefix
	tos     uint8
	metric  uint32
	gateway netip.Addr
	index   int
}

func keyOf(r *Route) routeKey {
	k := routeKey{table: r.Table, dst: r.Dst, tos: r.Tos, metric: r.Metric}
	if r.Family == 6 {
		k.gateway, k.index = r.Gateway, r.Index
	}
	return k
}

// A routeCache is the watcher's copy of the routes it watches.
type routeCache map[routeKey]*Route

// apply records a route notification and reports whether to deliver it:
// a deletion of a route the cache does not hold was delivered already.
func (c routeCache) apply(ev *Event) bool {
	k := keyOf(ev.Route)
	if ev.Action == "del" {
		_, ok := c[k]
		delete(c, k)
		return ok
	}
	c[k] = ev.Route
	return true
}

// diff makes the cache hold routes and returns the events that say so,
// marked Resync: RTM_DELROUTE for each route gone (by destination), then
// RTM_NEWROUTE for each new one (in the order of routes).
func (c routeCache) diff(routes []*Route) []Event {
	now := make(map[routeKey]bool, len(routes))
	for _, r := range routes {
		now[keyOf(r)] = true
	}
	var evs []Event
	for k, r := range c {
		if !now[k] {
			ev := resyncEvent(r)
			ev.Type, ev.Action = "RTM_DELROUTE", "del"
			evs = append(evs, ev)
			delete(c, k)
		}
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].Route.Dst.String() < evs[j].Route.Dst.String() })
	for _, r := range routes {
		if k := keyOf(r); c[k] == nil {
			evs = append(evs, resyncEvent(r))
			c[k] = r
		}
	}
	return evs
}
