package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"
)

// A Watch trips a state's guard when the live heap passes the ceiling.
type Watch struct {
	guard     *lua.MemoryGuard
	ceiling   int64
	goLimit   int64 // what Start set debug.SetMemoryLimit to
	prevLimit int64 // what it was before
	stopped   atomic.Bool
}

// Start watches the live heap for guard until Stop. ceiling is in bytes;
// Off starts nothing. It sets the Go runtime's memory limit, which is the
// process's: the ceiling plus an eighth, so that the collector works hard
// before the ceiling is reached and the script can still handle the error.
func Start(guard *lua.MemoryGuard, ceiling int64) *Watch {
	w := &Watch{guard: guard, ceiling: ceiling}
	if ceiling == Off {
		w.stopped.Store(true)
		return w
	}
	w.goLimit = ceiling + ceiling/8
	w.prevLimit = debug.SetMemoryLimit(w.goLimit)
	guard.SetReclaim(w.reclaim)
	// A runtime starts with a heap of a few hundred KiB: the room is the
	// ceiling until the first collection measures it.
	guard.SetRoom(ceiling)
	w.arm()
	return w
}

// reclaim collects now and measures again, for a builtin about to refuse
// an allocation: garbage left by a caught "not enough memory" is freed.
func (w *Watch) reclaim() {
	if w.stopped.Load() {
		return
	}
	runtime.GC()
	w.check()
}

// Stop ends the watch and gives the Go runtime its memory limit back,
// unless another watch has changed it since.
func (w *Watch) Stop() {
	if w.stopped.Swap(true) {
		return
	}
	if debug.SetMemoryLimit(-1) == w.goLimit {
		debug.SetMemoryLimit(w.prevLimit)
	}
	w.guard.SetRoom(math.MaxInt64)
	w.guard.SetReclaim(nil)
}

// arm makes check run after the next collection: a finalizer runs once the
// collector has found its object unreachable, and then arms the next one.
func (w *Watch) arm() {
	runtime.SetFinalizer(&sentinel{w}, func(s *sentinel) {
		if !s.w.stopped.Load() {
			s.w.check()
			s.w.arm()
		}
	})
}

// sentinel is an object whose collection marks a collection's end. It holds
// a pointer: a small object without one may share a block of the tiny
// allocator, whose finalizers run late or never.
type sentinel struct{ w *Watch }

// liveHeap is the runtime metric of the heap the last collection marked.
const liveHeap = "/gc/heap/live:bytes"

// check compares the live heap with the ceiling: it trips the guard above
// it, and tells the guard how much room one allocation has below it. It
// runs just after a collection (or one reclaim forced). It reads what the
// collection marked, not runtime.MemStats' HeapAlloc: that counts the
// garbage the sweep has yet to free, and a finalizer runs while the sweep
// goes on, so a script well under the ceiling got "not enough memory".
// Reading a metric does not stop the world either. The finalizer and a
// reclaim may check at once: each reads into a sample of its own.
func (w *Watch) check() {
	sample := []metrics.Sample{{Name: liveHeap}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	room := w.ceiling - int64(sample[0].Value.Uint64())
	if room <= 0 {
		w.guard.Exceeded()
		room = 0
	}
	w.guard.SetRoom(room)
}
