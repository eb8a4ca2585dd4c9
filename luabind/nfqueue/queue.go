package nfqueue

import (
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/nfq"
)

// The queue's Go core lives in package nfq, which the lab's delay
// shaping uses too (the lab cannot import this package: its tests build
// labs). These names keep it this package's own.
type (
	// Queue is an nfnetlink queue of one namespace; see nfq.Queue.
	Queue = nfq.Queue
	// Packet is one queued packet; see nfq.Packet.
	Packet = nfq.Packet
)

// The queue numbers and length; see nfq.
const (
	FirstNum    = nfq.FirstNum
	MaxQueueLen = nfq.MaxQueueLen
)

// Open binds the first free queue number in ns; see nfq.Open.
func Open(ns *netns.NS, onError func(error)) (*Queue, error) { return nfq.Open(ns, onError) }
