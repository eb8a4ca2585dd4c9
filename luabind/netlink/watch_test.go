package netlink

import (
	"errors"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// A fakeSource hands a watcher what a test sends it, as a multicast
// socket would: messages, or an error such as ENOBUFS.
type fakeSource struct {
	in     chan received
	closed chan struct{}
	once   sync.Once
}

type received struct {
	msgs []netlink.Message
	err  error
}

func newFakeSource() *fakeSource {
	return &fakeSource{in: make(chan received), closed: make(chan struct{})}
}

func (f *fakeSource) Receive() ([]netlink.Message, error) {
	select {
	case r := <-f.in:
		return r.msgs, r.err
	case <-f.closed:
		return nil, net.ErrClosed
	}
}

func (f *fakeSource) Close() error {
	f.once.Do(func() { close(f.closed) })
	return nil
}

// send hands msgs to the watcher, waiting until it has read them.
func (f *fakeSource) send(msgs ...netlink.Message) { f.in <- received{msgs: msgs} }

// A watchTest is a watcher on a fake source and a fake kernel, and what
// Notify told it.
type watchTest struct {
	t      *testing.T
	src    *fakeSource
	kernel *fakeKernel
	w      *Watcher
	notes  chan struct{}
}

func startWatch(t *testing.T, cfg WatchConfig) *watchTest {
	t.Helper()
	wt := &watchTest{t: t, src: newFakeSource(), kernel: newFakeKernel(), notes: make(chan struct{}, 100)}
	cfg.Notify = func() { wt.notes <- struct{}{} }
	wt.w = newWatcher(wt.src, wt.kernel.client(), cfg)
	if err := wt.w.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wt.w.Close() })
	return wt
}

// next waits for Notify and takes every event waiting.
func (wt *watchTest) next() []Event {
	wt.t.Helper()
	select {
	case <-wt.notes:
	case <-time.After(5 * time.Second):
		wt.t.Fatal("no Notify")
	}
	return wt.w.Take(nil, 1<<20)
}

// types lists the events' types, with a * for those marked Resync.
func types(evs []Event) []string {
	var out []string
	for _, ev := range evs {
		s := ev.Type
		if ev.Resync {
			s += "*"
		}
		out = append(out, s)
	}
	return out
}

func routeMsg(typ uint16, cidr string, index int) netlink.Message {
	return encode(typ, fakeRoute(RouteSpec{Dst: mustPrefix(cidr), Index: index}))
}

func TestWatcherDeliversInOrderWithNames(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4 | GroupAddr4})
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2), encode(unix.RTM_NEWADDR, fakeAddr(2, "198.18.0.7/24")))
	evs := wt.next()
	if len(evs) != 2 || evs[0].Route.Ifname != "veth0" || evs[1].Addr.Ifname != "veth0" || evs[1].Type != "RTM_NEWADDR" {
		t.Errorf("got %v", types(evs))
	}
}

func TestWatcherDropsLinkEventsUnlessAsked(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4})
	renamed := fakeLink(2, "lan0", "veth", 1500, unix.IFF_UP)
	wt.src.send(encode(unix.RTM_NEWLINK, &renamed))
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2))
	evs := wt.next()
	if len(evs) != 1 || evs[0].Route.Ifname != "lan0" {
		t.Errorf("got %v, want only the route, on lan0", types(evs))
	}
}

func TestOverrunResyncsAndGoesOn(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupLink | GroupRoute4})
	wt.src.in <- received{err: &netlink.OpError{Op: "receive", Err: unix.ENOBUFS}}
	evs := wt.next()
	for len(evs) < 6 {
		evs = append(evs, wt.next()...)
	}
	want := []string{"overrun", "RTM_NEWLINK*", "RTM_NEWLINK*", "RTM_NEWROUTE*", "RTM_NEWROUTE*", "resynced"}
	if got := types(evs); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if evs[5].Count != 4 {
		t.Errorf("resynced count %d, want 4", evs[5].Count)
	}
	wt.src.send(routeMsg(unix.RTM_DELROUTE, "198.18.0.0/24", 2))
	if evs := wt.next(); len(evs) != 1 || evs[0].Type != "RTM_DELROUTE" {
		t.Errorf("after the overrun: %v", types(evs))
	}
	if s := wt.w.Stats(); s.Overruns != 1 || s.Events != 7 {
		t.Errorf("stats %+v", s)
	}
}

// After an overrun the watcher reads a new socket: what the old one still
// held is older than the dump and is dropped with it, unread.
func TestOverrunReadsANewSocket(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4})
	fresh := newFakeSource()
	wt.w.dial = func() (source, error) { return fresh, nil }
	wt.src.in <- received{err: &netlink.OpError{Op: "receive", Err: unix.ENOBUFS}}
	var evs []Event
	for len(evs) == 0 || evs[len(evs)-1].Type != TypeResynced {
		evs = append(evs, wt.next()...)
	}
	select {
	case <-wt.src.closed:
	default:
		t.Fatal("the old socket, with what it held, is still open")
	}
	fresh.send(routeMsg(unix.RTM_NEWROUTE, "198.18.9.0/24", 2))
	if evs := wt.next(); len(evs) != 1 || evs[0].Route.Dst.String() != "198.18.9.0/24" {
		t.Errorf("after the overrun: %v, want the new socket's route", types(evs))
	}
	wt.w.Close()
	select {
	case <-fresh.closed:
	default:
		t.Error("Close left the new socket open")
	}
}

// Events still waiting for the consumer at an overrun are dropped, and
// counted: the state that follows supersedes them, and a slow consumer
// would spend its time on changes long undone.
func TestOverrunDropsWhatWaits(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4})
	fresh := newFakeSource()
	wt.w.dial = func() (source, error) { return fresh, nil }
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2))
	wt.src.send(routeMsg(unix.RTM_DELROUTE, "198.18.5.0/24", 2))
	wt.src.in <- received{err: &netlink.OpError{Op: "receive", Err: unix.ENOBUFS}}
	fresh.send(routeMsg(unix.RTM_NEWROUTE, "198.18.9.0/24", 2)) // read once the resync is queued
	var evs []Event
	for len(evs) == 0 || evs[len(evs)-1].Resync || evs[len(evs)-1].Route == nil {
		evs = append(evs, wt.next()...)
	}
	want := []string{"overrun", "RTM_NEWROUTE*", "RTM_NEWROUTE*", "resynced", "RTM_NEWROUTE"}
	if got := types(evs); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if s := wt.w.Stats(); s.Discarded != 2 || s.Overruns != 1 {
		t.Errorf("stats %+v, want 2 discarded, 1 overrun", s)
	}
}

// A rename among the events an overrun lost is learnt from the resync,
// though the script does not watch links: routes name the link as it is.
func TestOverrunRelearnsLinkNames(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4})
	wt.kernel.mu.Lock()
	wt.kernel.links[1].Attributes.Name = "lan0"
	wt.kernel.mu.Unlock()
	wt.src.in <- received{err: &netlink.OpError{Op: "receive", Err: unix.ENOBUFS}}
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.9.0/24", 2))
	var evs []Event
	for len(evs) == 0 || evs[len(evs)-1].Resync || evs[len(evs)-1].Route == nil {
		evs = append(evs, wt.next()...)
	}
	for _, ev := range evs {
		if ev.Route != nil && ev.Route.Ifname != "lan0" {
			t.Errorf("%s %s on %q, want lan0", ev.Type, ev.Route.Dst, ev.Route.Ifname)
		}
	}
}

// A resync that fails ends the watcher with an error event, which a
// later overrun cannot drop: the reader stops there.
func TestFailedResyncEndsTheWatcher(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4})
	wt.w.dial = func() (source, error) { return nil, errors.New("no socket") }
	wt.src.in <- received{err: &netlink.OpError{Op: "receive", Err: unix.ENOBUFS}}
	var evs []Event
	for len(evs) == 0 || evs[len(evs)-1].Type != TypeError {
		evs = append(evs, wt.next()...)
	}
	if got := types(evs); !slices.Equal(got, []string{"overrun", TypeError}) || evs[1].Err.Error() != "resync after overrun: new socket: no socket" {
		t.Fatalf("got %v (%v)", got, evs[len(evs)-1].Err)
	}
	select {
	case wt.src.in <- received{err: &netlink.OpError{Op: "receive", Err: unix.ENOBUFS}}:
		t.Error("the reader went on reading after a failed resync")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestReceiveErrorEndsWithAnErrorEvent(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupLink})
	wt.src.in <- received{err: errors.New("boom")}
	evs := wt.next()
	if len(evs) != 1 || evs[0].Type != TypeError || evs[0].Err.Error() != "receive: boom" {
		t.Errorf("got %+v", evs)
	}
}

func TestBacklogHoldsTheReader(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4, Backlog: 2})
	for i := range 2 {
		wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", i+1))
	}
	read := make(chan bool)
	go func() {
		wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.6.0/24", 2)) // read at once
		wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.7.0/24", 2)) // read once there is room
		read <- true
	}()
	select {
	case <-read:
		t.Fatal("the reader read past a full backlog")
	case <-time.After(50 * time.Millisecond):
	}
	evs := wt.next()
	<-read
	for len(evs) < 4 {
		evs = append(evs, wt.next()...)
	}
	if len(evs) != 4 || evs[3].Route.Dst != mustPrefix("198.18.7.0/24") {
		t.Errorf("got %v", types(evs))
	}
}

func TestTakeInBatchesNotifiesAgain(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4})
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2), routeMsg(unix.RTM_NEWROUTE, "198.18.6.0/24", 2),
		routeMsg(unix.RTM_NEWROUTE, "198.18.7.0/24", 2))
	<-wt.notes
	first := wt.w.Take(nil, 2)
	second := wt.next()
	if len(first) != 2 || len(second) != 1 || second[0].Route.Dst != mustPrefix("198.18.7.0/24") {
		t.Errorf("got %d then %d events", len(first), len(second))
	}
}

func TestCloseReleasesABlockedReader(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4, Backlog: 1})
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2))
	wt.src.send(routeMsg(unix.RTM_NEWROUTE, "198.18.6.0/24", 2)) // blocks in push
	done := make(chan struct{})
	go func() { wt.w.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs")
	}
	if evs := wt.w.Take(nil, 10); len(evs) != 0 || !wt.w.Closed() {
		t.Errorf("a closed watcher gives %v", types(evs))
	}
}

func TestLinkDownResyncsRoutes(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4, ResyncOnLinkDown: true})
	// veth0 goes down: the kernel drops 198.18.0.0/24 and 198.18.0.1/32 without a word.
	wt.kernel.mu.Lock()
	wt.kernel.routes = nil
	wt.kernel.mu.Unlock()
	down := fakeLink(2, "veth0", "veth", 1500, 0)
	wt.src.send(encode(unix.RTM_NEWLINK, &down))
	evs := wt.next()
	want := []string{"RTM_DELROUTE*", "RTM_DELROUTE*"}
	if got := types(evs); !slices.Equal(got, want) || evs[0].Route.Dst != mustPrefix("198.18.0.0/24") || evs[0].Route.Ifname != "veth0" {
		t.Fatalf("got %v, want %v", got, want)
	}
	// A late deletion of a route already reported is not delivered twice.
	wt.src.send(routeMsg(unix.RTM_DELROUTE, "198.18.0.0/24", 2), routeMsg(unix.RTM_NEWROUTE, "198.18.9.0/24", 2))
	if evs := wt.next(); len(evs) != 1 || evs[0].Type != "RTM_NEWROUTE" {
		t.Errorf("got %v, want the new route only", types(evs))
	}
}

func TestLinkUpDoesNotResync(t *testing.T) {
	wt := startWatch(t, WatchConfig{Groups: GroupRoute4 | GroupLink, ResyncOnLinkDown: true})
	up := fakeLink(2, "veth0", "veth", 1400, unix.IFF_UP|unix.IFF_RUNNING)
	wt.src.send(encode(unix.RTM_NEWLINK, &up))
	if evs := wt.next(); len(evs) != 1 || evs[0].Link.MTU != 1400 {
		t.Errorf("got %v", types(evs))
	}
	if n := len(asked[rtnetlink.RouteMessage](wt.kernel, unix.RTM_GETROUTE)); n != 1 {
		t.Errorf("%d route dumps, want only the first", n)
	}
}
