package frame

import "testing"

// TestLuaV6Ext builds extension headers and ESP from Lua, as a user
// writes them. The bytes expected are Scapy 2.5's for the same packets
// (the comments give the Scapy expressions).
func TestLuaV6Ext(t *testing.T) {
	runLua(t, `
-- raw(IPv6(src='2001:2::1',dst='2001:2::9')/IPv6ExtHdrHopByHop(options=[RouterAlert()])
--   /IPv6ExtHdrRouting(addresses=['2001:2::2','2001:2::3'])/UDP(sport=1234,dport=53))
local b = f.build{ f.ipv6{ src = "2001:2::1", dst = "2001:2::9" }, f.ipv6_hbh{ options = "\5\2\0\0" },
  f.ipv6_rh{ addresses = {"2001:2::2", "2001:2::3"} }, f.udp{ sport = 1234, dport = 53 } }
eq(hex(b), "600000000038004020010002000000000000000000000001200100020000000000000000000000092b000502000001001104000200000000200100020000000000000000000000022001000200000000000000000000000304d200350008bacd", "bytes")
local p = f.parse(b, { first = "ipv6" })
eq(p.ipv6.nh, 0); eq(p.ipv6_hbh.nh, 43); eq(p.ipv6_hbh.len, 0)
eq(p.ipv6_rh.len, 4); eq(p.ipv6_rh.segleft, 2)
eq(p.ipv6_rh.addresses[2][1], "2001:2::3", "second address")
eq(p.udp.chksum, 0xbacd, "checksum over the final destination")
eq(f.build(p), b, "rebuilt from the parse")
-- raw(IP(src='198.18.0.1',dst='198.18.0.2')/ESP(spi=0x100,seq=7,data=b'xyz'))
local e = f.build{ f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, f.esp{ spi = 0x100, seq = 7, data = "xyz" } }
eq(hex(e), "4500001f000100004032ee84c6120001c6120002000001000000000778797a", "esp")
eq(f.parse(e, { first = "ipv4" }).esp.data, "xyz")
`)
}
