package netlink

import (
	"errors"
	"fmt"
	"sync"

	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// Defaults of a WatchConfig.
const (
	// DefaultReadBuffer is the receive buffer scripts get: a burst of
	// 20,000 route changes fits in it with room to spare.
	DefaultReadBuffer = 4 << 20
	// DefaultBacklog bounds the events decoded and waiting for a slow
	// consumer, before the reader leaves them to the socket's buffer.
	DefaultBacklog = 1 << 16
)

// A WatchConfig says what a Watcher watches and how.
type WatchConfig struct {
	NS     *netns.NS // nil: the current namespace
	Groups Groups
	// ReadBuffer is the socket's receive buffer in bytes; 0 keeps the
	// kernel's default (net.core.rmem_default).
	ReadBuffer int
	// Backlog is how many events may wait for the consumer; 0 means
	// DefaultBacklog.
	Backlog int
	// ResyncOnLinkDown keeps a copy of the routes watched, so that the
	// routes the kernel drops without a word when a link goes down or is
	// deleted, or an IPv4 address is removed, arrive as RTM_DELROUTE
	// events marked Resync.
	ResyncOnLinkDown bool
	// Notify is called, from the watcher's goroutine, when events wait
	// and no earlier call is still being served by a Take.
	Notify func()
}

// A source is where a watcher reads notifications: a *netlink.Conn
// bound to multicast groups, or a fake.
type source interface {
	Receive() ([]netlink.Message, error)
	Close() error
}

// A Watcher reads rtnetlink notifications on its own goroutine and queues
// them as Events for a consumer that calls Take.
type Watcher struct {
	cfg    WatchConfig
	src    source                 // replaced by the reader goroutine only, under mu
	dial   func() (source, error) // a new socket after an overrun; nil: keep src
	query  *Client                // dumps, from the reader goroutine only
	names  Names                  // interface names by index; reader goroutine only
	up     map[int]bool           // links administratively up; reader goroutine only
	routes routeCache             // with ResyncOnLinkDown; reader goroutine only
	rcvbuf int

	mu     sync.Mutex
	space  *sync.Cond // signalled when the queue shrinks or the watcher closes
	queue  []Event
	head   int  // queue[head:] wait
	posted bool // Notify was called and no Take has emptied the queue since
	closed bool
	stats  Stats
}

// Stats counts what a watcher did.
type Stats struct {
	Events     int // events queued, the watcher's own included
	Overruns   int // times the kernel dropped notifications (ENOBUFS)
	Discarded  int // events queued but dropped unread by an overrun
	Queued     int // events waiting for Take now
	ReadBuffer int // the socket's receive buffer as the kernel reports it
}

// Watch opens a socket joined to cfg's groups inside cfg.NS and starts
// reading it. Events that happen after Watch returns are never missed.
func Watch(cfg WatchConfig) (*Watcher, error) {
	if cfg.Groups == 0 {
		return nil, errors.New("no group to watch")
	}
	src, rcvbuf, err := dialGroups(cfg)
	if err != nil {
		return nil, err
	}
	query, err := Dial(cfg.NS)
	if err != nil {
		src.Close()
		return nil, err
	}
	w := newWatcher(src, query, cfg)
	w.rcvbuf = rcvbuf
	w.dial = func() (source, error) {
		src, _, err := dialGroups(cfg)
		return src, err
	}
	if err := w.start(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// dialGroups opens a socket joined to cfg's groups inside cfg.NS, with
// cfg's receive buffer, and returns the buffer's size as the kernel has it.
func dialGroups(cfg WatchConfig) (*netlink.Conn, int, error) {
	src, err := rtnl.Dial(cfg.NS, cfg.Groups.mask())
	if err != nil {
		return nil, 0, err
	}
	rcvbuf, err := setReadBuffer(src, cfg.ReadBuffer)
	if err != nil {
		src.Close()
		return nil, 0, err
	}
	return src, rcvbuf, nil
}

// newWatcher makes a watcher reading src and dumping with query; start
// starts it.
func newWatcher(src source, query *Client, cfg WatchConfig) *Watcher {
	if cfg.Backlog <= 0 {
		cfg.Backlog = DefaultBacklog
	}
	if cfg.Notify == nil {
		cfg.Notify = func() {}
	}
	w := &Watcher{cfg: cfg, src: src, query: query, up: map[int]bool{}}
	w.space = sync.NewCond(&w.mu)
	return w
}

// start learns the interfaces (and the routes, to resync on link down),
// then starts the reader goroutine.
func (w *Watcher) start() error {
	links, err := w.query.Links()
	if err != nil {
		return err
	}
	w.names = Names{}
	for _, l := range links {
		w.names[l.Index], w.up[l.Index] = l.Name, l.Up()
	}
	if w.cfg.ResyncOnLinkDown {
		routes, err := w.query.Routes(Filter{Family: w.routeFamily(), Table: TableAll})
		if err != nil {
			return err
		}
		w.routes = routeCache{}
		w.routes.diff(routes)
	}
	go w.run()
	return nil
}

// setReadBuffer asks for a receive buffer of n bytes (0: keep the
// default) with SO_RCVBUFFORCE, which may exceed net.core.rmem_max but
// needs CAP_NET_ADMIN, else with SO_RCVBUF. It returns the size the
// kernel reports, which is twice what was asked: it counts its overhead.
func setReadBuffer(c *netlink.Conn, n int) (int, error) {
	if n > 0 {
		raw, err := c.SyscallConn()
		if err != nil {
			return 0, err
		}
		var serr error
		err = raw.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, n)
		})
		if err != nil || serr != nil {
			if err := c.SetReadBuffer(n); err != nil {
				return 0, fmt.Errorf("receive buffer: %w", err)
			}
		}
	}
	return c.ReadBuffer()
}

// run reads notifications until the watcher closes. A Go panic becomes an
// error event rather than a crash.
func (w *Watcher) run() {
	defer func() {
		if r := recover(); r != nil {
			w.fail(fmt.Errorf("internal error: %v (a bug in netlua; please report it)", r))
		}
	}()
	for {
		msgs, err := w.src.Receive()
		switch {
		case w.isClosed():
			return
		case err == nil:
			w.push(w.handle(msgs))
		case errors.Is(err, unix.ENOBUFS):
			if err := w.overrun(); err != nil {
				w.fail(err)
				return
			}
		default:
			w.fail(fmt.Errorf("receive: %w", err))
			return
		}
	}
}

// handle decodes msgs and returns the events to deliver.
func (w *Watcher) handle(msgs []netlink.Message) []Event {
	var evs []Event
	for _, m := range msgs {
		if ev, ok := Decode(m); ok {
			evs = w.note(ev, evs)
		}
	}
	return evs
}

// fail delivers err as the watcher's last event.
func (w *Watcher) fail(err error) {
	if !w.isClosed() {
		w.push([]Event{{Type: TypeError, Err: err}})
	}
}

// push queues evs, first waiting while the backlog is full: meanwhile the
// socket's buffer takes what the kernel sends, and an overrun there is
// reported.
func (w *Watcher) push(evs []Event) {
	if len(evs) == 0 {
		return
	}
	w.mu.Lock()
	for len(w.queue)-w.head >= w.cfg.Backlog && !w.closed {
		w.space.Wait()
	}
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.queue = append(w.queue, evs...)
	w.stats.Events += len(evs)
	notify := !w.posted
	w.posted = true
	w.mu.Unlock()
	if notify {
		w.cfg.Notify()
	}
}

// Take removes up to max waiting events and appends them to buf. When
// events still wait afterwards, it calls Notify again, from a new
// goroutine; once the queue is empty the next event calls it.
func (w *Watcher) Take(buf []Event, max int) []Event {
	w.mu.Lock()
	n := min(max, len(w.queue)-w.head)
	buf = append(buf, w.queue[w.head:w.head+n]...)
	clear(w.queue[w.head : w.head+n])
	w.head += n
	more := w.head < len(w.queue)
	w.compact()
	w.posted = more
	w.space.Broadcast()
	w.mu.Unlock()
	if more {
		go w.cfg.Notify()
	}
	return buf
}

// compact reuses the queue's array once half of it has been taken.
func (w *Watcher) compact() {
	if w.head > 0 && w.head >= len(w.queue)/2 {
		n := copy(w.queue, w.queue[w.head:])
		w.queue, w.head = w.queue[:n], 0
	}
}

// Stats returns what the watcher did so far.
func (w *Watcher) Stats() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.stats
	s.Queued, s.ReadBuffer = len(w.queue)-w.head, w.rcvbuf
	return s
}

// Groups returns the groups the watcher delivers.
func (w *Watcher) Groups() Groups { return w.cfg.Groups }

// Closed reports whether Close was called.
func (w *Watcher) Closed() bool { return w.isClosed() }

func (w *Watcher) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// Close stops the watcher and drops the events still waiting. It is
// idempotent and does not wait for the reader goroutine, which may be
// blocked in Notify.
func (w *Watcher) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.queue, w.head = nil, 0
	w.space.Broadcast()
	src := w.src
	w.mu.Unlock()
	return errors.Join(src.Close(), w.query.Close())
}
