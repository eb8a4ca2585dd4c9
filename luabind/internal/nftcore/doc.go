// Package nftcore puts nftables rules in the kernel for netlua: drop, accept,
// reject or count the packets that a few matches select, and read their
// counters.
//
// Every rule lives in one table of netlua's own, "inet netlua", created
// with the owner flag (NFT_TABLE_F_OWNER): the kernel ties the table to
// the netlink socket that made it, refuses changes from any other socket,
// and deletes the table when that socket closes, so nothing is left
// behind even when netlua is killed with SIGKILL. Every change therefore
// goes through the one socket of the table (a Conn). A table made with
// Persist has no owner: it stays after netlua ends, and says how to
// remove it. netlua never touches a table it did not create: tables are
// made with NLM_F_EXCL and a taken name moves on to netlua_2, netlua_3...
// (The lab's shaping makes its own tables, "inet netlua_shape", through
// Table.Base.)
//
// The kernel messages are built here (msg.go) rather than by
// google/nftables' Conn, which cannot set table flags (v0.3.0) nor hand
// back the handles of new rules; its expr package encodes the
// expressions. Matches become expressions in match.go, once for both
// users, the nft and nfqueue modules.
// Payload matching ("contains") uses the xt string match through
// nft_compat, as nftables has no native expression for it (compat.go).
//
// The package knows nothing of Lua: it is the core of the Lua module
// "nft" (package nft), and the nfqueue module builds its queue rules with
// it; what their bindings share (the match options, the runtime's tables)
// is package nftbind.
package nftcore
