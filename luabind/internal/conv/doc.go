// Package conv runs conversations as Scapy's sndrcv does: it sends
// requests and matches what comes back against them, by a hash bucket
// first and an answers rule second, with Scapy's timeout, retry and multi
// semantics. It knows nothing of Lua or of sockets: the caller gives a
// sender, receivers and a Matcher.
//
// The receivers run in goroutines of their own, started before the first
// send, so that no reply is lost however fast it comes; they only copy
// what they read into a queue. The sender runs in another goroutine. The
// matching runs on the goroutine that called Run, so that a Matcher may
// call into a Lua state that only that goroutine may touch.
package conv
