// Package nfq is the Go core of an nfnetlink queue (NFQUEUE): it binds a
// free queue number in a network namespace, files the packets the kernel
// hands over, and sends verdicts back, never waiting on Lua. The nfqueue
// module (package nfqueue) puts Lua on top of it; the lab's delay
// shaping releases packets from it on time. Its tests live in package
// nfqueue, which can build labs.
package nfq
