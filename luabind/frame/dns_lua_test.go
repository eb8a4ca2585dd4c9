package frame

import (
	"strings"
	"testing"
)

// DNS from Lua: records are tables of Scapy's named fields, build writes
// Scapy's bytes, parse gives the same form back, and mistakes raise Lua
// errors naming the record. The bytes are Scapy 2.5's for the same
// layers, as the comments say.
func TestLuaDNS(t *testing.T) {
	runLua(t, `
-- raw(DNS(id=7, qd=DNSQR(qname="example.com", qtype="AAAA")))
eq(hex(f.build{ f.dns{ id = 7, qd = {{ qname = "example.com", qtype = "AAAA" }} } }),
  "000701000001000000000000076578616d706c6503636f6d00001c0001", "query")
-- raw(DNS(id=7, qr=1, qd=DNSQR(qname="example.com"),
--   an=DNSRR(rrname="example.com", ttl=300, rdata="198.18.0.5")/DNSRRMX(rrname="example.com", type="MX",
--   preference=10, exchange="mx.example.com"), ar=DNSRROPT(rclass=1232, rdata=[EDNS0TLV(optcode=10, optdata=b"12345678")])))
local answer = f.dns{ id = 7, qr = 1, qd = {{ qname = "example.com" }},
  an = {{ rrname = "example.com", ttl = 300, rdata = "198.18.0.5" },
        { rrname = "example.com", type = "MX", rdata = { preference = 10, exchange = "mx.example.com" } }},
  ar = {{ type = "OPT", rclass = 1232, rdata = {{ optcode = 10, optdata = "12345678" }} }} }
eq(hex(f.build{ answer }), "000781000001000200000001076578616d706c6503636f6d0000010001076578616d706c6503636f6d00000100010000012c0004c6120005076578616d706c6503636f6d00000f0001000000000012000a026d78076578616d706c6503636f6d0000002904d000008000000c000a00083132333435363738", "answer")
local p = f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{ dport = 40000 }, answer })
eq(p.udp.sport, 53, "UDP()/DNS() has sport 53")
eq(p.dns.ancount, 2, "ancount")
local a = p.dns.an
eq(a[1].rrname, "example.com.", "rrname"); eq(a[1].type, "A"); eq(a[1].rclass, "IN"); eq(a[1].ttl, 300)
eq(a[1].rdata, "198.18.0.5", "A rdata")
eq(a[2].rdata.preference, 10); eq(a[2].rdata.exchange, "mx.example.com.", "MX rdata")
local opt = p.dns.ar[1]
eq(opt.type, "OPT"); eq(opt.rclass, 1232); eq(opt.z, 32768); eq(opt.rdata[1].optdata, "12345678")
eq(p.dns.qd[1].qname, "example.com.", "qname")
eq(f.build{ f.dns{ id = 7, qr = 1, qd = p.dns.qd, an = a, ar = p.dns.ar } }, f.build{ answer }, "rebuilt from the parsed records")
-- raw(TCP(sport=40000, dport=53)/DNS(id=7)): the length first
eq(hex(f.build{ f.tcp{ sport = 40000, dport = 53 }, f.dns{ id = 7 } }),
  "9c40003500000000000000005002200000000000002100070100000100000000000003777777076578616d706c6503636f6d0000010001", "over TCP")
local t = f.parse(f.build{ f.ether{}, f.ipv4{}, f.tcp{ sport = 40000, dport = 53 }, f.dns{ id = 7 } })
eq(t.dns.length, 33, "length over TCP")
eq(hex(f.build{ f.tcp{ sport = 40000, dport = 53 }, f.dns(t.dns) }),
  "9c40003500000000000000005002200000000000002100070100000100000000000003777777076578616d706c6503636f6d0000010001", "a copy of a layer parsed over TCP")
eq(p.dns.length, nil, "no length over UDP")
`)
	for _, c := range []struct{ code, want string }{
		{`f.dns{ an = {{ rrname = "a", typ = "A" }} }`, "field 'an' item 1: a record has no field 'typ' (did you mean 'type'?"},
		{`f.dns{ an = {{ type = "AAA" }} }`, "field 'an' item 1: type: unknown name 'AAA' (did you mean 'AAAA'"},
		{`f.dns{ an = {{ type = "A", rdata = "::1" }} }`, `field 'an' item 1: rdata: want an IPv4 address like "198.18.0.1", got "::1"`},
		{`f.dns{ qd = {{ "example.com" }} }`, "field 'qd' item 1: a question is a table of named fields (qname, qtype, qclass)"},
		{`f.dns{ ar = {{ type = "OPT", ttl = 5 }} }`, "field 'ar' item 1: an OPT record has extrcode, version and z"},
		{`f.dns{ an = {{ type = "MX", rdata = { pref = 1 } }} }`, "field 'an' item 1: rdata: this rdata has no field 'pref'"},
	} {
		if got := luaError(t, c.code); !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.code, got, c.want)
		}
	}
}
