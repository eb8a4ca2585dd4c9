package pcap

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/netlua/netlua/luabind"
)

// A damaged file is a FormatError naming the file and where the damage
// is; reading never writes to it.
func TestReadDamagedFiles(t *testing.T) {
	good, _ := writeFile(t, WriterOptions{}, 60, 60)
	data, err := os.ReadFile(good) // 24 + 2 × (16 + 60) = 176 bytes
	if err != nil {
		t.Fatal(err)
	}
	bigCaplen := bytes.Clone(data[:24+16])
	binary.LittleEndian.PutUint32(bigCaplen[24+8:], 1<<30)
	binary.LittleEndian.PutUint32(bigCaplen[24+12:], 1<<30)
	tests := []struct {
		name    string
		data    []byte
		records int    // records read before the error
		want    string // after "FILE: "
	}{
		{"empty", nil, 0, "offset 0: not a capture file: 0 bytes, too short for a header"},
		{"not pcap", []byte("GIF89a, a picture"), 0, "offset 0: not a pcap or pcapng file (starts with 47 49 46 38)"},
		{"short header", data[:10], 0, "offset 0: truncated pcap header (10 of 24 bytes)"},
		{"bad version", append([]byte{0xd4, 0xc3, 0xb2, 0xa1, 9, 0}, data[6:24]...), 0, "offset 0: bad pcap header: Unknown major version 9"},
		{"short record header", data[:24+16+60+6], 1, "offset 100: truncated record header (6 of 16 bytes)"},
		{"short record", data[:24+16+60+16+20], 1, "offset 100: truncated record: 60 bytes captured, the file ends 20 bytes after the header"},
		{"huge record", bigCaplen, 0, "offset 24: bad record: capture length exceeds snap length: 1073741824 > 262144"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tempFile(t, "bad.pcap")
			if err := os.WriteFile(name, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			n, err := readAll(name)
			var ferr *FormatError
			if !errors.As(err, &ferr) || err.Error() != name+": "+tt.want || n != tt.records {
				t.Errorf("after %d records: %v\nwant %d records, then %q", n, err, tt.records, name+": "+tt.want)
			}
			if after, _ := os.ReadFile(name); !bytes.Equal(after, tt.data) {
				t.Error("reading changed the file")
			}
		})
	}
}

// readAll reads every record of the file and returns how many it read
// before the end or an error.
func readAll(name string) (int, error) {
	r, err := Open(context.Background(), name)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	for n := 0; ; n++ {
		if _, _, err := r.Next(context.Background()); err != nil {
			if err == io.EOF {
				err = nil
			}
			return n, err
		}
	}
}

// Wireshark writes pcapng; gzip'd captures are common too.
func TestReadPcapngAndGzip(t *testing.T) {
	frame := bytes.Repeat([]byte{0xab}, 60)
	var ng bytes.Buffer
	w, err := pcapgo.NewNgWriter(&ng, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	ci := gopacket.CaptureInfo{Timestamp: stamp(0), CaptureLength: 60, Length: 60, InterfaceIndex: 0}
	w.WritePacket(ci, frame)
	w.Flush()
	plain, _ := writeFile(t, WriterOptions{}, 60)
	data, _ := os.ReadFile(plain)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	for name, content := range map[string][]byte{"x.pcapng": ng.Bytes(), "x.pcap.gz": gz.Bytes()} {
		file := tempFile(t, name)
		os.WriteFile(file, content, 0o644)
		r, err := Open(context.Background(), file)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, rec, err := r.Next(context.Background())
		if err != nil || len(got) != 60 || !rec.TS.Round(time.Microsecond).Equal(stamp(0).Round(time.Microsecond)) || r.LinkType() != LinkEthernet {
			t.Errorf("%s: %d bytes at %v, %v", name, len(got), rec.TS, err)
		}
		if _, _, err := r.Next(context.Background()); err != io.EOF {
			t.Errorf("%s: after the record: %v", name, err)
		}
		r.Close()
	}
}

// testdata/tcpdump-ping.pcap was written by tcpdump 4.99 (libpcap 1.10)
// in a lab: sudo netlua, lab pair, tcpdump -w in b, ping -c 2 from a.
func TestReadTcpdumpFile(t *testing.T) {
	r, err := Open(context.Background(), "testdata/tcpdump-ping.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n int
	for ; ; n++ {
		data, rec, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 14 || rec.Len != len(data) || rec.TS.Year() < 2020 {
			t.Errorf("record %d: %d bytes of %d at %v", n, len(data), rec.Len, rec.TS)
		}
	}
	if n < 4 || r.LinkType() != LinkEthernet {
		t.Errorf("%d records of link type %d, want 4 or more Ethernet frames", n, r.LinkType())
	}
}

// A loop over pcap.read left early drops its reader, and the collector
// closes the file and drops the reader's entry from the ledger, as Lua's
// io.lines does: a script that leaves such loops does not run out of
// descriptors before it ends.
func TestReadLoopLeftEarlyClosesTheFile(t *testing.T) {
	name, _ := writeFile(t, WriterOptions{}, 60, 70)
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	chunk, err := rt.L.LoadString(globals("FILE", name) + `
		local pcap = require "pcap"
		local function first(file)
			for bytes in pcap.read(file) do return bytes end
		end
		for i = 1, 20 do assert(#first(FILE) == 60) end
	`)
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Run(chunk); err != nil {
		t.Fatal(err)
	}
	eventually(t, "close of the readers left early", func() bool {
		runtime.GC()
		return openFDs(t, name) == 0 && rt.Ledger.Len() == 0
	})
}
