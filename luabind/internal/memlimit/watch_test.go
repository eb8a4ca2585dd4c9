package memlimit

import (
	"runtime"
	"runtime/debug"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestWatchTripsTheGuard holds more live heap than the ceiling and expects
// the guard to trip after a collection.
func TestWatchTripsTheGuard(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	w := Start(L.MemoryGuard(), 8<<20)
	defer w.Stop()
	hold := make([][]byte, 0, 64)
	for i := 0; i < 32; i++ {
		hold = append(hold, make([]byte, 1<<20))
	}
	// The finalizer that measures runs on its own goroutine after a
	// collection: collect until it has (a few rounds at most).
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		runtime.GC()
		runtime.Gosched()
		err = L.DoString(`local x = 1`)
	}
	runtime.KeepAlive(hold)
	if err == nil || err.(*lua.ApiError).Object.String() != "not enough memory" {
		t.Errorf("got %v, want not enough memory", err)
	}
	// Once the memory is free again, the state runs.
	hold = nil
	if err := L.DoString(`local x = string.rep("x", 1000)`); err != nil {
		t.Errorf("after freeing: %v", err)
	}
}

func TestStopRestoresTheGoLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	L := lua.NewState()
	defer L.Close()
	w := Start(L.MemoryGuard(), 1<<30)
	if got := debug.SetMemoryLimit(-1); got != 1<<30+1<<27 {
		t.Errorf("Go memory limit %d while watching", got)
	}
	w.Stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("Go memory limit %d after Stop, want %d", got, before)
	}
}

// sink keeps the compiler from dropping the garbage of
// TestCheckIgnoresGarbage.
var sink []byte

// TestCheckIgnoresGarbage: check measures what the last collection kept,
// not the garbage the collector has yet to free (after a collection the
// sweep frees it bit by bit): a heap of garbage past the ceiling does not
// trip the guard.
func TestCheckIgnoresGarbage(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection frees it meanwhile
	runtime.GC()
	w := &Watch{guard: L.MemoryGuard(), ceiling: 32 << 20}
	for i := 0; i < 64; i++ {
		sink = make([]byte, 1<<20)
	}
	sink = nil
	w.check()
	if err := L.DoString(`local x = 1`); err != nil {
		t.Errorf("64 MiB of garbage tripped a 32 MiB ceiling: %v", err)
	}
}
