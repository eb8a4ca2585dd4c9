package frame

import "testing"

// Vectors of VRRP versions 2 and 3: made by testdata/gen_vrrp.py with
// Scapy.
const vrrpVectorFile = "testdata/scapy_vrrp.json"

// TestVRRPVectorsBuild builds each vector's layers and compares with
// Scapy's bytes: ipcount and both versions' checksums too.
func TestVRRPVectorsBuild(t *testing.T) { checkVectorsBuild(t, vrrpVectorFile) }

// TestVRRPVectorsParse parses Scapy's bytes and compares every field,
// the addresses item by item.
func TestVRRPVectorsParse(t *testing.T) {
	if n := checkListVectorsParse(t, vrrpVectorFile, "vrrp", "addrlist"); n < 25 {
		t.Errorf("%d vrrp layers compared, want 25 or more", n)
	}
}

// FuzzVRRPParse is FuzzParse seeded with the VRRP frames.
func FuzzVRRPParse(f *testing.F) { fuzzVectors(f, vrrpVectorFile) }

// VRRP and PIM from Lua: the bytes are Scapy 2.5's raw() of the same
// packets; parse gives the fields back.
func TestLuaVRRPPIM(t *testing.T) {
	runLua(t, `
-- raw(IP(src="198.18.0.1", dst="224.0.0.18", ttl=255)/VRRP(vrid=7, priority=200, addrlist=["198.18.0.9"]))
local v2 = f.build{ f.ipv4{ src = "198.18.0.1", dst = "224.0.0.18", ttl = 255 }, f.vrrp{ vrid = 7, priority = 200, addrlist = {"198.18.0.9"} } }
eq(hex(v2), "4500002800010000ff70153fc6120001e00000122107c801000150dac61200090000000000000000", "v2")
-- raw(IP(src="198.18.0.1", dst="224.0.0.18", ttl=255)/VRRPv3(vrid=7, addrlist=["198.18.0.9", "198.18.0.10"]))
local v3 = f.build{ f.ipv4{ src = "198.18.0.1", dst = "224.0.0.18", ttl = 255 }, f.vrrp{ version = 3, vrid = 7, addrlist = {"198.18.0.9", "198.18.0.10"} } }
eq(hex(v3), "4500002400010000ff701543c6120001e000001231076402006437b3c6120009c612000a", "v3")
local p = f.parse(v3, { first = "ipv4" })
eq(p.vrrp.adv, 100); eq(p.vrrp.ipcount, 2); eq(p.vrrp.addrlist[2][1], "198.18.0.10"); eq(p.vrrp.chksum, 0x37b3)
-- raw(IP(src="198.18.0.1", dst="224.0.0.13", ttl=1)/PIMv2Hdr(type=0)/b"\x00\x01\x00\x02\x00\x69")
local pim = f.build{ f.ipv4{ src = "198.18.0.1", dst = "224.0.0.13", ttl = 1 }, f.pim{ type = 0 }, "\0\1\0\2\0\105" }
eq(hex(pim), "4500001e0001000001671358c6120001e000000d2000df93000100020069", "pim")
p = f.parse(pim, { first = "ipv4" })
eq(p.pim.version, 2); eq(p.pim.chksum, 0xdf93); eq(p.payload, "\0\1\0\2\0\105")
`)
}

// VRRP version 3 over IPv6 from Lua: the addresses follow the IP layer
// below, as Scapy's VRRPv3 has them; the bytes are Scapy 2.5's raw().
func TestLuaVRRPOverIPv6(t *testing.T) {
	runLua(t, `
-- raw(IPv6(src="2001:2::1", dst="ff02::12", hlim=255)/VRRPv3(vrid=7, addrlist=["2001:2::9"]))
local v = f.build{ f.ipv6{ src = "2001:2::1", dst = "ff02::12", hlim = 255 }, f.vrrp{ version = 3, vrid = 7, addrlist = {"2001:2::9"} } }
eq(hex(v), "60000000001870ff20010002000000000000000000000001ff0200000000000000000000000000123107640100642ae620010002000000000000000000000009", "v3 over ipv6")
local p = f.parse(v, { first = "ipv6" })
eq(p.vrrp.ipcount, 1); eq(p.vrrp.addrlist[1][1], "2001:2::9"); eq(p.vrrp.chksum, 0x2ae6); eq(p.payload, "")
eq(hex(f.build{ p.ipv6, p.vrrp }), hex(v), "rebuilt")
-- raw bytes for the list are written as given, and counted
local raw = f.build{ f.ipv6{ src = "2001:2::1", dst = "ff02::12", hlim = 255 },
  f.vrrp{ version = 3, vrid = 7, addrlist = "\32\1\0\2" .. string.rep("\0", 11) .. "\9" } }
eq(hex(raw), hex(v), "raw bytes over ipv6")
-- raw(IP(src="198.18.0.1", dst="224.0.0.18", ttl=255)/VRRP(vrid=7, priority=200, addrlist=["198.18.0.9"]))
raw = f.build{ f.ipv4{ src = "198.18.0.1", dst = "224.0.0.18", ttl = 255 }, f.vrrp{ vrid = 7, priority = 200, addrlist = "\198\18\0\9" } }
eq(hex(raw), "4500002800010000ff70153fc6120001e00000122107c801000150dac61200090000000000000000", "raw bytes over ipv4")
`)
}
