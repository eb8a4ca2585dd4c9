// Package nfqueue hands packets to userspace for a verdict: an nftables
// rule queues the packets that a match selects (nfnetlink_queue), a
// consumer goroutine receives them, and the Lua function of nfqueue.hook says
// accept, drop, or accept these new bytes. It is the seed's netfilter
// kernel module without a kernel module.
//
// The Go core (queue.go) knows nothing of Lua: a Queue binds a free queue
// number, collects the packets its consumer receives, and sends verdicts,
// batching runs of accepts into one message. The queue rule is made by the
// code the nft module uses (nftcore, and nftbind for the options and the
// runtime's tables), with the same matches as nft.drop; where the kernel
// lacks the native queue expression (CONFIG_NFT_QUEUE) it uses the xt
// NFQUEUE target through nft_compat. Both carry the bypass flag, and the
// queue is opened fail-open: while no consumer listens, or when the queue
// is full, packets pass rather than vanish.
//
// lua.go (the module and nfqueue.hook), lua_hook.go (the type
// nfqueue.hook and the queueHook that calls the script's function) and
// lua_packet.go (the type nfqueue.packet) are the thin binding that makes
// this the Lua module "nfqueue"; newbytes.go checks the bytes a function
// returns.
package nfqueue
