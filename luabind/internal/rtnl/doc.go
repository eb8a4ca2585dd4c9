// Package rtnl is the rtnetlink plumbing netlua's modules share: a netlink
// connection opened inside a network namespace, requests and dumps made of
// jsimonetti/rtnetlink's message types, and the link and address changes
// that both the lab and the netlink modules make.
//
// Everything takes a Conn, the one method of *netlink.Conn it needs, so
// that tests can hand in a fake from mdlayher/netlink/nltest and run
// without privileges.
package rtnl
