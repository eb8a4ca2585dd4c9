// Package child starts the programs of netlua's scripts and keeps them in
// hand, with no Lua in sight: each runs in a process group of its own, so
// that a signal reaches what it started too (Command); a started program
// is a Process, whose output (stdout and stderr merged) is kept in a
// bounded buffer, and whose group is signalled only while its leader is
// not yet reaped, so that the group's number can never name another's.
//
// Programs that must die with netlua, even on SIGKILL, start through a
// Forker: the parent-death signal the kernel sends them fires when the
// thread that forked them exits, so they are forked from one thread that
// lives until the Forker closes, not from whichever thread the Go runtime
// had at hand.
package child
