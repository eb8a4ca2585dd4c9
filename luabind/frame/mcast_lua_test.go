package frame

import (
	"strings"
	"testing"
)

// vectorHex is the bytes of the vector called name in file.
func vectorHex(t *testing.T, file, name string) string {
	t.Helper()
	for _, v := range readVectors(t, file) {
		if strings.HasSuffix(v.Name, ": "+name) {
			return v.Hex
		}
	}
	t.Fatalf("%s: no vector %q", file, name)
	return ""
}

// TestMcastLua builds the "lua example" frames of the IGMP, MLD and LLDP
// vectors from Lua, lists as tables, compares them with Scapy's bytes, and
// reads the lists back by Scapy's field names.
func TestMcastLua(t *testing.T) {
	runLua(t, `local want = "`+vectorHex(t, igmpVectors, "lua example")+`"
local b = f.build{ f.ether{ src = "02:00:00:00:00:01", dst = "01:00:5e:00:00:16" },
  f.ipv4{ src = "198.18.0.1" }, f.igmpv3{},
  f.igmpv3mr{ records = {{ rtype = 4, maddr = "239.1.2.3", srcaddrs = {"198.18.0.9"} }} } }
eq(hex(b), want, "igmp bytes (Scapy's)")
local p = f.parse(b)
eq(p.ipv4.dst, "224.0.0.22", "dst"); eq(p.ipv4.ttl, 1, "ttl"); eq(p.igmpv3.type, 0x22, "type")
local r = p.igmpv3mr.records
eq(#r, 1); eq(r[1].rtype, 4); eq(r[1].maddr, "239.1.2.3"); eq(r[1].numsrc, 1); eq(r[1].srcaddrs[1], "198.18.0.9")
`)
	runLua(t, `local want = "`+vectorHex(t, mldVectors, "lua example")+`"
local b = f.build{ f.ether{ src = "02:00:00:00:00:01", dst = "33:33:00:00:00:16" },
  f.ipv6{ src = "fe80::1" }, f.icmp6{},
  f.mldv2_report{ records = {{ rtype = 4, dst = "ff05::1", sources = {"2001:2::1"} }} } }
eq(hex(b), want, "mld bytes (Scapy's)")
local p = f.parse(b)
eq(p.ipv6.dst, "ff02::16", "dst"); eq(p.ipv6.hlim, 1, "hlim"); eq(p.icmp6.type, 143, "type")
local r = p.mldv2_report.records
eq(#r, 1); eq(r[1].dst, "ff05::1"); eq(r[1].sources_number, 1); eq(r[1].sources[1], "2001:2::1")
`)
	runLua(t, `local want = "`+vectorHex(t, lldpVectors, "lua example")+`"
local b = f.build{ f.ether{ src = "02:00:00:00:00:01", dst = "01:80:c2:00:00:0e" },
  f.lldp{ tlvs = { {"ChassisID", subtype = 4, id = "02:00:00:00:00:01"}, {"PortID", subtype = 5, id = "eth0"},
    {"TimeToLive", ttl = 120}, {"SystemName", system_name = "sw1"}, {"EndOfLLDPDU"} } } }
eq(hex(b), want, "lldp bytes (Scapy's)")
local p = f.parse(b)
local t = p.lldp.tlvs
eq(#t, 5); eq(t[1][1], "ChassisID"); eq(t[1].id, "02:00:00:00:00:01"); eq(t[2].id, "eth0")
eq(t[3].ttl, 120); eq(t[4].system_name, "sw1"); eq(t[4]._length, 3); eq(t[5][1], "EndOfLLDPDU")
eq(#b, 60, "padded to 60 bytes"); eq(p.padding, string.rep("\0", 60 - 14 - 27), "after EndOfLLDPDU: padding")
eq(hex(f.build{ f.ether{ src = "02:00:00:00:00:01", dst = "01:80:c2:00:00:0e" }, f.lldp{ tlvs = t } }), want, "the parsed list builds back")
`)
	for code, want := range map[string]string{
		`f.lldp{ tlvs = {{"ChasisID", subtype = 4}} }`:               "did you mean 'ChassisID'",
		`f.lldp{ tlvs = {{"TimeToLive", tll = 4}} }`:                 "TimeToLive has no field 'tll'",
		`f.lldp{ tlvs = {{"ChassisID", subtype = 4, id = "x"}} }`:    "want a MAC address",
		`f.igmpv3mr{ records = {{ maddr = "ff02::1" }} }`:            "want an IPv4 address",
		`f.igmpv3mr{ records = {{ rtyp = 4 }} }`:                     "did you mean 'rtype'",
		`f.mldv2_report{ records = {{ sources = {"198.18.0.1"} }} }`: "want an IPv6 address",
		`f.igmpv3mq{ srcaddrs = {"2001:2::1"} }`:                     "want an IPv4 address",
	} {
		if msg := luaError(t, code); !strings.Contains(msg, want) {
			t.Errorf("%s: error %q, want %q", code, msg, want)
		}
	}
}
