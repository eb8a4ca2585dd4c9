// Package nlowner names the process behind a netlink socket of which the
// kernel gave only the port ID: the owner of an nftables table
// (NFTA_TABLE_OWNER), the peer of a bound nfnetlink queue. A port ID is
// not a process ID (a process's second netlink socket gets a made-up
// one), so the socket is found by port in /proc/net/netlink, which gives
// its inode, and the process by that inode among the descriptors in
// /proc/<pid>/fd. Where that cannot be read (another user's process
// without root) the owner is "another process".
package nlowner
