// Package sock holds the socket mechanics that the packet and rawip
// modules share, so that there is one copy of each:
//
//   - Conn: the hot paths over a socket's descriptor. Writes go straight to
//     write(2) and sendto(2), skipping the runtime poller unless the kernel
//     says EAGAIN; receives use recvmsg(2) into buffers owned by the Conn,
//     with the kernel's receive timestamp (SO_TIMESTAMPNS) and TTL or hop
//     limit read from the control messages, and no allocation per call.
//   - Batches for bulk sends: a Batch is the reused message vector of
//     sendmmsg(2) (Conn.SendBatch), and Conn.Pause paces a send loop in
//     ppoll(2), interrupted like the receives.
//   - Waits that the end of their own call's context interrupts (^C of
//     the statement that made the call): the receiving and the sending
//     side each watch the context of their last wait with a
//     context.AfterFunc and wake through an eventfd of their own, so an
//     interrupt stops the call it was meant for and no other, with no
//     goroutine per call.
//   - The big receive buffer (SO_RCVBUFFORCE, falling back to SO_RCVBUF).
//   - Interface lookup inside a namespace, with errors that list the
//     interfaces that do exist: "no such interface (have: lo, veth0)".
//   - Size errors that name the sizes: a frame over the MTU.
//
// The package knows nothing of Lua: what the modules' bindings share is
// package sockbind.
package sock
