// Package rewrite edits captured Ethernet frames as tcprewrite does: new
// MAC addresses (--enet-smac, --enet-dmac), IP addresses mapped from one
// network to another keeping the host part (--pnat), TCP and UDP ports
// mapped (--portmap), a new TTL or hop limit (--ttl), and checksums
// computed afresh (--fixcsum). Frames are edited in place, with no
// allocation, so a replay can rewrite every frame it sends.
//
// What a frame carries is found through VLAN tags (802.1Q, 802.1ad) and
// IPv6 extension headers. Where tcprewrite 4.4 differs from what its
// manual says, this package does as the program does, which the tests
// check byte for byte: every IPv4 packet gets its IPv4, TCP, UDP and ICMP
// checksums computed afresh (--fixcsum or not; a UDP checksum of 0 stays
// 0), and ports behind IPv6 extension headers are not mapped. In IPv6
// packets without --fixcsum a change keeps the checksums over it right by
// an incremental update (RFC 1624), so a wrong checksum stays wrong.
// Two departures, both tcprewrite 4.4.3 bugs: no 33:33 multicast MACs
// put into IPv6 frames (appneta/tcpreplay#817), and the ICMPv6 checksum
// follows mapped addresses.
package rewrite
