package pcap

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// The capture files of these tests and what Scapy reads from them come
// from testdata/gen_multi.py.

// scapyRecord is a record as Scapy's RawPcapNgReader or RawPcapReader
// reads it.
type scapyRecord struct {
	Hex      string `json:"hex"`
	LinkType *int   `json:"linktype"` // nil in pcap files: the file's
	Len      int    `json:"len"`
}

func scapyRecords(t *testing.T, file string) []scapyRecord {
	t.Helper()
	data, err := os.ReadFile("testdata/multi.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string][]scapyRecord
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	if len(all[file]) == 0 {
		t.Fatalf("multi.json has no records of %s", file)
	}
	return all[file]
}

// luaReadAll reads file with pcap.read and returns, a line per record, its
// bytes in hex, info.linktype, info.len and info.bad.
func luaReadAll(t *testing.T, file string) []string {
	t.Helper()
	out := testlab.MustLua(t, globals("FILE", file)+`
		local pcap = require "pcap"
		for bytes, info in pcap.read(FILE) do
			print((bytes:gsub(".", function(c) return string.format("%02x", c:byte()) end)),
				info.linktype, info.len, info.bad)
		end
	`, luaModules()...)
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

// checkLikeScapy reads testdata/file with pcap.read and compares each
// record with Scapy's reading: its bytes, info.linktype (a pcap file's
// records have linkType), info.len, and info.bad, which marks a record
// that stores more bytes than its original length.
func checkLikeScapy(t *testing.T, file string, linkType int) {
	t.Helper()
	want := scapyRecords(t, file)
	got := luaReadAll(t, "testdata/"+file)
	if len(got) != len(want) {
		t.Fatalf("read %d records, Scapy reads %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		lt := linkType
		if w.LinkType != nil {
			lt = *w.LinkType
		}
		bad := "nil"
		if b, _ := hex.DecodeString(w.Hex); len(b) > w.Len {
			bad = "caplen > len"
		}
		if line := fmt.Sprintf("%s\t%d\t%d\t%s", w.Hex, lt, w.Len, bad); got[i] != line {
			t.Errorf("record %d:\n got %s\nwant %s", i, got[i], line)
		}
	}
}

// A pcapng file with interfaces of three link types: every record is
// read, with its own interface's link type, as Scapy reads them (tcpdump
// refuses such a file). Its last record is marked bad: caplen > len.
func TestReadPcapngOfSeveralLinkTypes(t *testing.T) {
	checkLikeScapy(t, "multi.pcapng", 0)
	// The file's link type is its first interface's, that of its first record.
	out := testlab.MustLua(t, `print(select(2, require("pcap").read("testdata/multi.pcapng")).linktype)`, luaModules()...)
	if want := fmt.Sprintln(*scapyRecords(t, "multi.pcapng")[0].LinkType); out != want {
		t.Errorf("reader.linktype %q, want %q", out, want)
	}
}

// A record that stores more bytes than its original length does not end
// the read: it and the records after it are read, as tcpdump and Scapy
// read them, and info.bad marks it.
func TestReadRecordLongerThanItsLength(t *testing.T) {
	if want := scapyRecords(t, "caplen.pcap"); want[1].Len != 20 {
		t.Fatalf("Scapy reads record 1's length as %d, want the 20 the file gives", want[1].Len)
	}
	checkLikeScapy(t, "caplen.pcap", 1)
}
