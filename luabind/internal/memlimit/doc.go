// Package memlimit keeps a Lua state under a memory ceiling, so that a
// runaway script gets Lua's "not enough memory" error, which pcall can
// catch, instead of the kernel's OOM killer.
//
// Go's heap belongs to the process, so the ceiling is on the process's live
// heap. A Watch asks the Go runtime to collect hard near the ceiling
// (debug.SetMemoryLimit), reads the live heap after every collection
// (runtime/metrics), and trips the state's lua.MemoryGuard when it passes
// the ceiling: the VM raises the error at its next instruction. The guard's
// room, what is left under the ceiling, lets the builtins that allocate a
// lot at once (string.rep, table.concat, ..) refuse before allocating.
package memlimit
