package pcap

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestWriteThenRead(t *testing.T) {
	name, recs := writeFile(t, WriterOptions{}, 60, 1514, 0, 9000)
	r, err := Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.LinkType() != LinkEthernet {
		t.Errorf("link type %d", r.LinkType())
	}
	for i, want := range recs {
		got, rec, err := r.Next(context.Background())
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if !bytes.Equal(got, want) || !rec.TS.Equal(stamp(i)) || rec.Len != len(want) {
			t.Errorf("record %d: %d bytes at %v of length %d, want %d at %v", i, len(got), rec.TS, rec.Len, len(want), stamp(i))
		}
	}
	if _, _, err := r.Next(context.Background()); err != io.EOF {
		t.Errorf("after the last record: %v, want io.EOF", err)
	}
}

// Frames longer than the snap length are cut and keep their length.
func TestSnaplen(t *testing.T) {
	name, _ := writeFile(t, WriterOptions{Snaplen: 100, LinkType: LinkRaw}, 60, 300)
	r, err := Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Next(context.Background())
	got, rec, err := r.Next(context.Background())
	if err != nil || len(got) != 100 || rec.Len != 300 || r.LinkType() != LinkRaw {
		t.Errorf("got %d bytes of %d, link type %d, %v; want 100 of 300, 101", len(got), rec.Len, r.LinkType(), err)
	}
}

func TestCreateErrors(t *testing.T) {
	if _, err := Create(tempFile(t, "x.pcap"), WriterOptions{Snaplen: 1 << 20}); err == nil || err.Error() != "snaplen 1048576 is out of range (1 to 262144)" {
		t.Errorf("big snaplen: %v", err)
	}
	if _, err := Create(filepath.Join(testlab.AbsentPath(t), "x.pcap"), WriterOptions{}); !os.IsNotExist(err) {
		t.Errorf("missing directory: %v", err)
	}
	w, _ := Create(tempFile(t, "x.pcap"), WriterOptions{})
	w.Close()
	if err := w.WriteFrame([]byte{1}, stamp(0), 1); err == nil {
		t.Error("write after close did not fail")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestLuaWriterAndReader(t *testing.T) {
	name := tempFile(t, "lua.pcap")
	out := testlab.MustLua(t, globals("FILE", name)+`
		local pcap, f = require "pcap", require "frame"
		local w = pcap.writer(FILE, { snaplen = 1000, linktype = "ethernet" })
		local frame = f.build{ f.ether{ src = "02:00:00:00:00:01", dst = "02:00:00:00:00:02" },
			f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, f.udp{ sport = 4000, dport = 5000 }, "hello" }
		w:write(frame, 1700000000.25)
		w:write(frame, { ts = 1700000001.5, len = 2000 })
		w:write(("x"):rep(1500))
		print(w.file == FILE, w.count, tostring(w))
		w:close(); w:close()
		local n = 0
		for bytes, info in pcap.read(FILE) do
			n = n + 1
			print(n, #bytes, info.len, info.linktype, info.ts > 1.7e9)
			if n == 1 then
				local p = f.parse(bytes)
				print(p.ipv4.src, p.udp.dport, p.payload, ("%.2f"):format(info.ts))
			end
		end
	`, luaModules()...)
	want := "true\t3\tpcap writer " + name + "\n" +
		"1\t47\t47\t1\ttrue\n198.18.0.1\t5000\thello\t1700000000.25\n" +
		"2\t47\t2000\t1\ttrue\n" +
		"3\t1000\t1500\t1\ttrue\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestLuaErrors(t *testing.T) {
	name, _ := writeFile(t, WriterOptions{}, 60)
	tests := []struct{ name, code, want string }{
		{"file type", `pcap.writer(5)`, "bad argument #1 to 'writer' (string expected, got number)"},
		{"option", `pcap.writer(DIR .. "/x.pcap", { snap = 5 })`, "bad argument #2 to 'writer' (unknown option 'snap', have: linktype, snaplen)"},
		{"linktype", `pcap.writer(DIR .. "/x.pcap", { linktype = "tokenring" })`,
			`bad argument #2 to 'writer' (option 'linktype' is "tokenring": use ethernet, ipv4, ipv6, linux_sll, raw or a LINKTYPE_ number)`},
		{"snaplen", `pcap.writer(DIR .. "/x.pcap", { snaplen = -1 })`, "pcap.writer: " + "DIR/x.pcap: snaplen -1 is out of range (1 to 262144)"},
		{"no dir", `pcap.writer(DIR .. "/absent/x.pcap")`, "pcap.writer: DIR/absent/x.pcap: open DIR/absent/x.pcap: no such file or directory"},
		{"write closed", `local w = pcap.writer(DIR .. "/x.pcap"); w:close(); w:write("x")`, "pcap.write: DIR/x.pcap: the writer is closed"},
		{"short len", `pcap.writer(DIR .. "/x.pcap"):write("xyz", 1, 2)`, "bad argument #3 to 'write' (the original length 2 is less than the 3 bytes given)"},
		{"ts type", `pcap.writer(DIR .. "/x.pcap"):write("xyz", "now")`, "bad argument #2 to 'write' (number or table expected, got string)"},
		{"missing", `pcap.read(DIR .. "/none.pcap")`, "pcap.read: open DIR/none.pcap: no such file or directory"},
		{"directory", `pcap.read(DIR)`, "pcap.read: read DIR: is a directory"},
		{"not pcap", `pcap.read(FILE .. ".lua")`, "pcap.read: FILE.lua: offset 0: not a pcap or pcapng file (starts with 70 63 61 70)"},
	}
	if err := os.WriteFile(name+".lua", []byte("pcap = require 'pcap'"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(testlab.AbsentPath(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, globals("FILE", name, "DIR", dir)+`pcap = require "pcap"; `+tt.code, luaModules()...)
			want := strings.NewReplacer("DIR", dir, "FILE", name).Replace(tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v\nwant %q", err, want)
			}
		})
	}
}

// A writer does not write through a symbolic link: it would truncate the
// link's target.
func TestCreateRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link.pcap")
	if err := os.WriteFile(target, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	_, err := Create(link, WriterOptions{})
	if err == nil || !strings.Contains(err.Error(), "open "+link+": is a symbolic link") {
		t.Errorf("Create through a symbolic link: %v, want an error naming it", err)
	}
	if data, _ := os.ReadFile(target); string(data) != "keep me" {
		t.Errorf("the link's target holds %q: it was written through the link", data)
	}
}
