package netlink

import (
	"fmt"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// netlinktest.fake_watch(fn, n) is nl.watch on a fake socket that
// receives n route notifications as fast as the watcher reads them.
func netlinktestModule() *luabind.Module {
	return &luabind.Module{
		Name:  "netlinktest",
		Doc:   "test hooks of the netlink package",
		Funcs: []luabind.Func{{Name: "fake_watch", Sig: "fake_watch(fn, n) -> watcher", Doc: "a watcher fed n route events", Fn: fakeWatch}},
	}
}

func fakeWatch(L *lua.LState) int {
	fn, n := luabind.CheckFunction(L, 1), luabind.CheckInt(L, 2)
	src := newFakeSource()
	lw := &luaWatcher{rt: luabind.RuntimeOf(L), fn: fn}
	w := newWatcher(src, newFakeKernel().client(), WatchConfig{Groups: GroupRoute4, Notify: lw.notify})
	if err := w.start(); err != nil {
		L.RaiseError("%v", err)
	}
	msg := routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2)
	go func() {
		for range n {
			select {
			case src.in <- received{msgs: []netlink.Message{msg}}:
			case <-src.closed:
				return
			}
		}
	}()
	L.Push(lw.start(L, w))
	return 1
}

// BenchmarkWatchLua measures an event's way from the socket to a Lua
// callback: receive, decode, queue, loop job, table, call.
func BenchmarkWatchLua(b *testing.B) {
	code := fmt.Sprintf(`local n, w = 0
		w = require("netlinktest").fake_watch(function(ev)
			n = n + 1
			if n == %d then w:close() end
		end, %d)`, b.N, b.N)
	b.ResetTimer()
	testlab.MustLua(b, code, luaModules()...)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecode measures decoding a route notification.
func BenchmarkDecode(b *testing.B) {
	msg := routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2)
	b.ReportAllocs()
	for b.Loop() {
		Decode(msg)
	}
}

// BenchmarkEventTable measures turning an event into its Lua table.
func BenchmarkEventTable(b *testing.B) {
	ev, _ := Decode(routeMsg(unix.RTM_NEWROUTE, "198.18.5.0/24", 2))
	L := lua.NewState()
	defer L.Close()
	b.ReportAllocs()
	for b.Loop() {
		eventTable(L, &ev)
	}
}
