package lua

// netlua patch 20 (PATCHES.md): a memory ceiling that an embedder
// enforces and the VM turns into Lua's "not enough memory" error.

import (
	"math"
	"sync/atomic"
)

// A MemoryGuard lets an embedder bound the memory of a state. Go's heap is
// the process's, so the embedder measures it and calls Exceeded; the VM
// then raises Lua's "not enough memory" error, as PUC Lua does when an
// allocation fails, at the next instruction of any thread of the state,
// where pcall can catch it. The builtins that allocate a lot in one call
// (string.rep, table.concat, .., string.gsub) check their result's size
// against Room first, since the embedder would only see it once allocated.
// Its methods may be called from any goroutine.
type MemoryGuard struct {
	exceeded atomic.Bool
	room     atomic.Int64
	reclaim  atomic.Pointer[func()]
}

// Exceeded makes the VM raise "not enough memory" at its next instruction.
func (g *MemoryGuard) Exceeded() { g.exceeded.Store(true) }

// SetRoom sets how many bytes one allocation by a builtin may take.
func (g *MemoryGuard) SetRoom(n int64) { g.room.Store(n) }

// SetReclaim sets what a builtin calls before it refuses an allocation for
// want of room: typically a collection and a new measure, which may free
// what an error just made garbage.
func (g *MemoryGuard) SetReclaim(f func()) { g.reclaim.Store(&f) }

// MemoryGuard returns the guard of the state (shared by its coroutines).
// Until an embedder sets its room, it allows any size.
func (ls *LState) MemoryGuard() *MemoryGuard { return &ls.G.mem }

func (g *MemoryGuard) init() { g.room.Store(math.MaxInt64) }

// memoryExceeded is the VM's answer to a tripped guard: it measures again
// (the flag may come from a collection that ran before a caught error freed
// the memory) and raises "not enough memory" if the state is still over.
func (ls *LState) memoryExceeded() {
	g := &ls.G.mem
	g.exceeded.Store(false)
	if f := g.reclaim.Load(); f != nil {
		(*f)()
		if !g.exceeded.Load() {
			return
		}
	}
	ls.raiseMemoryError()
}

// raiseMemoryError raises "not enough memory" as PUC Lua's LUA_ERRMEM: the
// message alone, without a position.
func (ls *LState) raiseMemoryError() {
	ls.G.mem.exceeded.Store(false)
	ls.Error(LString("not enough memory"), 0)
}

// checkAlloc raises "not enough memory" before a builtin allocates n bytes
// that do not fit the room the embedder allows.
func (ls *LState) checkAlloc(n int64) {
	g := &ls.G.mem
	if n >= 0 && n <= g.room.Load() {
		return
	}
	if f := g.reclaim.Load(); f != nil && n >= 0 {
		(*f)()
		if n <= g.room.Load() {
			return
		}
	}
	ls.raiseMemoryError()
}
