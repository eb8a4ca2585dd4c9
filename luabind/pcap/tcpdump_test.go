package pcap

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// pcap.read reads what tcpdump -w wrote inside a lab namespace.
func TestReadWhatTcpdumpWrote(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	a, b := labtest.Pair(t)
	file := tempFile(t, "tcpdump.pcap")
	// -Z root: write where the test can, without dropping to user tcpdump.
	cmd, _ := labtest.Tcpdump(t, b, tcpdump, "-U", "-Z", "root", "-c", "4", "-w", file, "icmp")
	labtest.Run(t, a, "", "ping", "-c", "2", "-i", "0.2", b.Addr.Addr().String())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("tcpdump: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump did not end after 4 frames")
	}
	out := testlab.MustLua(t, globals("FILE", file)+`
		local pcap, f = require "pcap", require "frame"
		for bytes, info in pcap.read(FILE) do
			local p = f.parse(bytes)
			print(info.linktype, info.len, p.ipv4.src, p.icmp4.type, p.icmp4.seq)
		end
	`, luaModules()...)
	want := "1\t98\t198.18.0.1\t8\t1\n1\t98\t198.18.0.2\t0\t1\n1\t98\t198.18.0.1\t8\t2\n1\t98\t198.18.0.2\t0\t2\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// tcpdump -r reads what pcap.writer wrote, Ethernet frames and raw IPv4
// packets alike.
func TestTcpdumpReadsWhatWeWrote(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	ether, raw := tempFile(t, "ether.pcap"), tempFile(t, "raw.pcap")
	testlab.MustLua(t, globals("ETHER", ether, "RAW", raw)+`
		local pcap, f = require "pcap", require "frame"
		local ip = { f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, f.udp{ sport = 4000, dport = 5000 }, "hello" }
		local w = pcap.writer(ETHER)
		w:write(f.build{ f.ether{ src = "02:00:c6:12:00:01", dst = "02:00:c6:12:00:02" }, ip[1], ip[2], ip[3] }, 1700000000.5)
		w:close()
		w = pcap.writer(RAW, { linktype = "ipv4" })
		w:write(f.build(ip), 1700000000.5)
		w:close()
	`, luaModules()...)
	for _, file := range []string{ether, raw} {
		out, err := exec.Command(tcpdump, "-r", file, "-nn", "-tt").CombinedOutput()
		want := "1700000000.500000 IP 198.18.0.1.4000 > 198.18.0.2.5000: UDP, length 5"
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("tcpdump -r %s: %v\n%s\nwant %q", file, err, out, want)
		}
	}
}
