// Package nexthop answers, for one interface of a network namespace, the
// questions a frame builder asks before it sends: which source address
// the kernel's route to a destination picks (as `ip route get` shows),
// which next hop the frame goes to, and that hop's link address from the
// neighbour table, resolved by the kernel itself when absent.
//
// Resolution asks the kernel to use the entry (RTM_NEWNEIGH with NTF_USE),
// which starts its own ARP or neighbour discovery exactly as a packet
// sent through the stack would, and then reads the table until the entry
// holds an address or fails. So the neighbour table is the only cache,
// and it ends in the state the kernel would have left it in.
package nexthop
