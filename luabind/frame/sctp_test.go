package frame

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Vectors of SCTP: made by testdata/gen_sctp.py with Scapy; an sctp
// layer's "chunks" is a list of items, its fields Scapy's reading.
const sctpVectorFile = "testdata/scapy_sctp.json"

// TestSCTPVectorsBuild builds each vector's layers, chunks given as
// items, and compares with Scapy's bytes: the CRC32c too.
func TestSCTPVectorsBuild(t *testing.T) { checkVectorsBuild(t, sctpVectorFile) }

// TestSCTPVectorsParse parses Scapy's bytes and compares every field,
// the chunks item by item with Scapy's chain of SCTPChunk layers.
func TestSCTPVectorsParse(t *testing.T) {
	if n := checkListVectorsParse(t, sctpVectorFile, "sctp", "chunks"); n < 25 {
		t.Errorf("%d sctp layers compared, want 25 or more", n)
	}
}

// FuzzSCTPParse is FuzzParse seeded with the SCTP frames.
func FuzzSCTPParse(f *testing.F) { fuzzVectors(f, sctpVectorFile) }

// FuzzSCTPChunks checks that the items Decode reads from any bytes are
// written back by Encode to the very same bytes.
func FuzzSCTPChunks(f *testing.F) {
	for _, v := range readVectors(f, sctpVectorFile) {
		data, _ := hex.DecodeString(v.Hex)
		if len(data) > 34+12 {
			f.Add(data[34+12:])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items := sctpChunkList.Decode(data)
		got, err := sctpChunkList.Encode(nil, items)
		if err != nil {
			t.Fatalf("%x: items %s: %v", data, itemsText(items), err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%x: items %s written as %x", data, itemsText(items), got)
		}
	})
}

// SCTP from Lua: chunks as a list, the CRC32c computed, parse gives the
// same form back, and mistakes raise Lua errors. The bytes are Scapy
// 2.5's raw() of the same packets.
func TestLuaSCTP(t *testing.T) {
	runLua(t, `
local chunks = {{"data", tsn = 1, data = "hello", beginning = 1, ending = 1}, {"sack", cumul_tsn_ack = 1, gap_ack_list = {"2:3"}}}
-- raw(IP(src="198.18.0.1", dst="198.18.0.2")/SCTP(sport=2905, dport=2905, tag=7)
--   /SCTPChunkData(tsn=1, data=b"hello", beginning=1, ending=1)/SCTPChunkSACK(cumul_tsn_ack=1, gap_ack_list=["2:3"]))
local b = f.build{ f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, f.sctp{ sport = 2905, dport = 2905, tag = 7, chunks = chunks } }
eq(hex(b), "4500004c000100004084ee05c6120001c61200020b590b59000000079416711f0003001500000001000000000000000068656c6c6f0000000300001400000001000000000001000000020003", "ipv4")
local p = f.parse(b, { first = "ipv4" })
local c = p.sctp.chunks
eq(c[1][1], "data"); eq(c[1].data, "hello"); eq(c[1].len, 21); eq(c[2].gap_ack_list[1], "2:3"); eq(c[2].n_gap_ack, 1)
eq(p.sctp.chksum, 0x9416711f)
eq(f.build{ f.sctp{ sport = 2905, dport = 2905, tag = 7, chunks = c } }, f.build{ f.sctp{ sport = 2905, dport = 2905, tag = 7, chunks = chunks } }, "rebuilt")
-- raw(IPv6(src="2001:2::1", dst="2001:2::2")/SCTP()/SCTPChunkInit(init_tag=7, a_rwnd=65535, n_out_streams=1, n_in_streams=1, init_tsn=1))
eq(hex(f.build{ f.ipv6{ src = "2001:2::1", dst = "2001:2::2" }, f.sctp{ chunks = {{"init", init_tag = 7, a_rwnd = 65535, n_out_streams = 1, n_in_streams = 1, init_tsn = 1}} } }),
  "6000000000208440200100020000000000000000000000012001000200000000000000000000000200000000000000007dc5dc6501000014000000070000ffff0001000100000001", "ipv6")
local ok, err = pcall(f.sctp, { chunks = {{"dta"}} })
assert(not ok and err:find("item 1: unknown SCTP chunk 'dta' %(did you mean 'data'%?"), err)
ok, err = pcall(f.sctp, { chunks = {{"sack", gap_ack_list = {"2-3"}}} })
assert(not ok and err:find('want "start:end"'), err)
`)
}
