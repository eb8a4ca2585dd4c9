// Package proc is the Lua module "proc": programs that run beside the
// event loop in netlua's own namespaces (a lab host has host:spawn for
// its own). proc.spawn starts one and returns its handle (package
// childbind, which lab shares) at once; the loop goes on while it runs.
//
// Each program gets SIGKILL as its parent-death signal, from a thread
// that lives as long as the runtime (child.Forker), and its process
// group is killed when the script ends, however it ends: so it dies with
// netlua on SIGKILL too. What it started and left behind, outside its
// process group or after it ended, is not netlua's to kill.
package proc
