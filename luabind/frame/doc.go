// Package frame builds and dissects network frames with Scapy's layer and
// field names, bit-exact with Scapy: Ethernet, 802.1Q VLAN, ARP, IPv4,
// IPv6, ICMPv4, ICMPv6, UDP, TCP and protocols defined at run time.
//
// The Go core knows nothing of Lua: a Layer is a protocol (Proto) and the
// values of its fields; a Builder turns layers into bytes, computing the
// fields left automatic (types, lengths, checksums) as Scapy does; Parse
// turns bytes back into layers and never fails, whatever the input. A
// Registry holds the protocols of one runtime, the built-in ones and those
// made with Define and Bind.
//
// ICMP is one layer per family whose type says which fields are on the
// wire (icmp.go), as Scapy's ICMP is one class with conditional fields:
// users keep one name, p.icmp4, and read p.icmp4.gw of a redirect as
// p.icmp4.id of an echo. An error's quote decodes as further layers, and
// neighbour discovery bodies, with fields of their own, are layers above
// icmp6 (nd.go).
//
// A List field (TCP's, IPv4's and ND's options) holds items in Scapy's form,
// {{"MSS", 1460}, {"NOP"}}, kept as their bytes on the wire and turned
// into items and back by a codec per protocol: list.go tells why, and is
// the mechanism any later list (DNS records, DHCP options, LLDP TLVs)
// reuses with a codec of its own, as ND options do (ndopts.go).
//
// fragment.go and fragment6.go cut IPv4 and IPv6 datagrams into fragments
// and put them back together as Scapy's fragment, defragment, fragment6
// and defragment6 do, on frames as bytes (lua_frag.go binds them).
//
// A Bytes field with a Size (fixedbytes.go) is a fixed-size byte string,
// padded or cut as Scapy's StrFixedLenField: BOOTP's chaddr, sname and
// file, which share the layer's one byte slice with its options
// (bootp.go; DHCP's options are a List, dhcpopts.go).
//
// lua.go, lua_layer.go and lua_packet.go are the binding that makes this
// the Lua module "frame": they check arguments, convert values and keep
// the module's state per runtime (defined protocols, reused buffers).
package frame
