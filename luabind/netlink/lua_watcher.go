package netlink

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/ledger"
)

// init gives the watcher type its methods, which refer back to the type
// and so cannot sit in its declaration.
func init() {
	watcherType.Methods = []luabind.Func{
		{Name: "close", Sig: "watcher:close()", Fn: watcherClose,
			Doc: "stops the watcher: no more callbacks, and the loop may end; safe to call twice or from the callback"},
		{Name: "stats", Sig: "watcher:stats() -> { events, overruns, discarded, queued, rcvbuf }", Fn: watcherStats,
			Types: luabind.Types{"events": "integer", "overruns": "integer", "discarded": "integer", "queued": "integer", "rcvbuf": "integer"},
			Doc:   "events queued so far (overrun and resynced included), kernel overruns, queued events an overrun dropped before the callback had them, events waiting for the callback, receive buffer in bytes"},
	}
}

var watcherType = &luabind.Type{
	Name: "netlink.watcher",
	Doc:  "a running netlink.watch; it keeps the script running until closed (at exit it closes by itself)",
	Fields: []luabind.Field{
		{Name: "groups", Type: "string", Doc: "the groups it delivers: link,route"},
		{Name: "closed", Type: "boolean", Doc: "true once closed"},
		{Name: "rcvbuf", Type: "integer", Doc: "its socket's receive buffer in bytes, as the kernel reports it (twice what was asked)"},
	},
	Get: getWatcher,
}

// drainBatch is how many events one loop job hands to the callback before
// it lets timers and other watchers have a turn.
const drainBatch = 256

// A luaWatcher is a Watcher as a script holds it: its callback, its hold
// on the loop and its entry in the cleanup ledger.
type luaWatcher struct {
	rt      *luabind.Runtime
	fn      *lua.LFunction
	w       *Watcher
	release func()       // lets the loop end
	undo    *ledger.Undo // closes the watcher at exit
	buf     []Event      // reused by drain, on the Lua thread
}

// start hands w to the script: the loop stays alive and the ledger
// closes it at exit.
func (lw *luaWatcher) start(L *lua.LState, w *Watcher) *lua.LUserData {
	lw.w = w
	lw.release = lw.rt.Loop.Hold()
	lw.undo = lw.rt.Ledger.Add("netlink watcher "+w.Groups().String(), lw.shut)
	return luabind.NewObject(L, watcherType, lw)
}

// checkGroups reads argument n: a group name or a list of them.
func checkGroups(L *lua.LState, n int) Groups {
	var g Groups
	add := func(v lua.LValue) {
		s, ok := v.(lua.LString)
		if !ok {
			luabind.ArgError(L, n, "group names are strings, got "+v.Type().String())
		}
		grp, err := ParseGroup(string(s))
		if err != nil {
			luabind.ArgError(L, n, err.Error())
		}
		g |= grp
	}
	switch v := L.Get(n).(type) {
	case lua.LString:
		add(v)
	case *lua.LTable:
		v.ForEach(func(_, x lua.LValue) { add(x) })
	default:
		luabind.TypeError(L, n, "group name or list of group names")
	}
	if g == 0 {
		luabind.ArgError(L, n, "no group given, have: "+strings.Join(GroupNames(), ", "))
	}
	return g
}

// watchConfig reads the options of nl.watch, all but netns.
func watchConfig(o luabind.Options, g Groups) WatchConfig {
	cfg := WatchConfig{
		Groups:           g,
		ReadBuffer:       o.Int("rcvbuf", DefaultReadBuffer),
		Backlog:          o.Int("backlog", DefaultBacklog),
		ResyncOnLinkDown: o.Bool("resync_on_link_down", false),
	}
	if cfg.ReadBuffer < 0 || cfg.ReadBuffer > 1<<30 {
		o.Error("rcvbuf", fmt.Sprintf("expects bytes from 0 (the kernel's default) to 1 GiB, got %d", cfg.ReadBuffer))
	}
	if cfg.Backlog < 1 {
		o.Error("backlog", fmt.Sprintf("expects a positive number of events, got %d", cfg.Backlog))
	}
	if cfg.ResyncOnLinkDown && g&(GroupRoute4|GroupRoute6) == 0 {
		o.Error("resync_on_link_down", "needs a route group (route, route4 or route6)")
	}
	return cfg
}

// notify posts a drain to the loop; it runs on the watcher's goroutine.
func (lw *luaWatcher) notify() { lw.rt.Loop.Post(lw.drain) }

// drain runs on the Lua thread: it hands waiting events to the callback.
// A failing callback ends the loop with its error, as timers do.
func (lw *luaWatcher) drain(L *lua.LState) error {
	lw.buf = lw.w.Take(lw.buf[:0], drainBatch)
	defer clear(lw.buf)
	for i := range lw.buf {
		ev := &lw.buf[i]
		if lw.w.Closed() {
			return nil
		}
		if ev.Type == TypeError {
			lw.close()
			return errors.New(luabind.Message(&luabind.OpError{Op: "netlink.watch", Object: lw.w.Groups().String(), Err: ev.Err}))
		}
		if err := lw.rt.Call(lw.fn, eventTable(L, ev)); err != nil {
			return err
		}
	}
	return nil
}

// shut stops the watcher and lets the loop end; it is the ledger's undo.
func (lw *luaWatcher) shut() error {
	lw.release()
	return lw.w.Close()
}

// close closes the watcher now, through the ledger.
func (lw *luaWatcher) close() error { return lw.undo.Run() }

// String describes the watcher: netlink watcher link,route (open).
func (lw *luaWatcher) String() string {
	state := "open"
	if lw.w.Closed() {
		state = "closed"
	}
	return fmt.Sprintf("netlink watcher %s (%s)", lw.w.Groups(), state)
}

func watcherClose(L *lua.LState) int {
	if err := luabind.CheckObject[*luaWatcher](L, 1, watcherType).close(); err != nil {
		raise(L, "netlink.watcher.close", "", err)
	}
	return 0
}

func watcherStats(L *lua.LState) int {
	s := luabind.CheckObject[*luaWatcher](L, 1, watcherType).w.Stats()
	t := newTable(L)
	t.num("events", s.Events)
	t.num("overruns", s.Overruns)
	t.num("discarded", s.Discarded)
	t.num("queued", s.Queued)
	t.num("rcvbuf", s.ReadBuffer)
	L.Push(t.t)
	return 1
}

func getWatcher(L *lua.LState, v any, key string) lua.LValue {
	lw := v.(*luaWatcher)
	switch key {
	case "groups":
		return lua.LString(lw.w.Groups().String())
	case "closed":
		return lua.LBool(lw.w.Closed())
	case "rcvbuf":
		return lua.LNumber(lw.w.Stats().ReadBuffer)
	}
	return lua.LNil
}
