package pcap

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// labCapture has tcpdump -w capture on a lab end while the peer pings it
// and sends it UDP, and returns the file.
func labCapture(t *testing.T, tcpdump string) string {
	a, b := labtest.Pair(t)
	file := tempFile(t, "lab.pcap")
	cmd, lines := labtest.Tcpdump(t, b, tcpdump, "--immediate-mode", "-U", "-Z", "root", "-w", file)
	labtest.Run(t, a, "", "ping", "-c", "3", "-i", "0.2", "-s", "200", b.Addr.Addr().String())
	labtest.SendUDP(t, a, 7001, "one", "two")
	labtest.SendUDP(t, a, 7002, "three")
	labtest.Run(t, a, "", "ping", "-c", "2", "-i", "0.2", b.Addr.Addr().String())
	// The last datagram marks the end: once tcpdump has written it, it
	// has written the rest.
	labtest.SendUDP(t, a, 7009, "end")
	for deadline := time.Now().Add(10 * time.Second); !wrote(tcpdump, file, "udp port 7009"); {
		if time.Now().After(deadline) {
			t.Fatalf("tcpdump wrote no end mark in 10 s:\n%s", lines)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	lines.WaitFor(t, "packets captured", 10*time.Second)
	return file
}

// wrote reports whether tcpdump -r finds a record that expr matches in
// file, which tcpdump -w may be writing.
func wrote(tcpdump, file, expr string) bool {
	out, _ := exec.Command(tcpdump, "-r", file, "-nn", expr).Output()
	return len(out) > 0
}

// tcpdumpStamps is what tcpdump -r file expr prints of each record: its
// time, -tt.
func tcpdumpStamps(t *testing.T, tcpdump, file, expr string) []string {
	t.Helper()
	out, err := exec.Command(tcpdump, "-r", file, "-tt", "-nn", expr).Output()
	if err != nil {
		t.Fatalf("tcpdump -r %s %q: %v", file, expr, err)
	}
	var stamps []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			stamps = append(stamps, f[0])
		}
	}
	return stamps
}

// sniffStamps runs pcap.sniff(file, opts) and returns the times of the
// packets it returned, as tcpdump -tt prints them, and what the script
// printed besides (prn's lines).
func sniffStamps(t *testing.T, file, opts string) ([]string, string) {
	t.Helper()
	out := testlab.MustLua(t, globals("FILE", file)+`
		local pcap = require "pcap"
		local ps, infos = pcap.sniff(FILE, `+opts+`)
		assert(#ps == #infos, "as many infos as packets")
		for i, info in ipairs(infos) do
			assert(#ps[i].layers > 0, "a parsed packet")
			print(("stamp %.6f"):format(info.ts))
		end
	`, luaModules()...)
	var stamps []string
	var rest strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if s, ok := strings.CutPrefix(line, "stamp "); ok {
			stamps = append(stamps, s)
		} else if line != "" {
			rest.WriteString(line + "\n")
		}
	}
	return stamps, rest.String()
}

// pcap.sniff on a capture tcpdump wrote keeps the records that tcpdump -r
// prints for the same filter, and count, lfilter, stop and store act on
// them as Scapy's sniff does.
func TestSniffFileAsTcpdumpReadsIt(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	file := labCapture(t, tcpdump)
	all := tcpdumpStamps(t, tcpdump, file, "")
	if len(all) < 12 {
		out, _ := exec.Command(tcpdump, "-r", file, "-nn").CombinedOutput()
		t.Fatalf("tcpdump captured %d frames, want 10 ICMP and 3 UDP at least:\n%s", len(all), out)
	}
	for _, expr := range []string{"", "icmp", "udp", "udp dst port 7001", "icmp[icmptype] = icmp-echoreply", "greater 200", "arp or udp", "tcp"} {
		got, _ := sniffStamps(t, file, `{ filter = "`+expr+`" }`)
		if want := tcpdumpStamps(t, tcpdump, file, expr); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("filter %q: pcap.sniff kept\n%v\ntcpdump -r printed\n%v", expr, got, want)
		}
	}
	replies := tcpdumpStamps(t, tcpdump, file, "icmp[icmptype] = icmp-echoreply")
	udp := tcpdumpStamps(t, tcpdump, file, "udp")
	upToUDP := all[:indexOf(all, udp[0])+1]
	cases := []struct {
		name, opts string
		want       []string
	}{
		{"count", `{ filter = "icmp", count = 3 }`, tcpdumpStamps(t, tcpdump, file, "icmp")[:3]},
		{"lfilter", `{ lfilter = function(p) return p.icmp4 and p.icmp4.type == 0 end }`, replies},
		{"lfilter and count", `{ lfilter = function(p) return p.icmp4 and p.icmp4.type == 0 end, count = 2 }`, replies[:2]},
		{"stop", `{ stop = function(p) return p.udp ~= nil end }`, upToUDP},
		{"store = false", `{ store = false }`, nil},
	}
	for _, c := range cases {
		if got, _ := sniffStamps(t, file, c.opts); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: pcap.sniff kept\n%v\nwant\n%v", c.name, got, c.want)
		}
	}
	_, printed := sniffStamps(t, file, `{ filter = "udp", store = false, prn = function(p, info) return ("prn %.6f %s"):format(info.ts, p.udp.dport) end }`)
	var want strings.Builder
	ports := tcpdumpPorts(t, tcpdump, file)
	for i, s := range udp {
		want.WriteString("prn " + s + " " + ports[i] + "\n")
	}
	if printed != want.String() {
		t.Errorf("prn printed\n%s\nwant\n%s", printed, want.String())
	}
}

// tcpdumpPorts is the UDP destination port of each UDP record, as
// tcpdump prints it.
func tcpdumpPorts(t *testing.T, tcpdump, file string) []string {
	out, err := exec.Command(tcpdump, "-r", file, "-nn", "udp").Output()
	if err != nil {
		t.Fatal(err)
	}
	var ports []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// 10:00:00.000000 IP 198.18.0.1.40000 > 198.18.0.2.7001: UDP, length 3
		_, dst, _ := strings.Cut(line, " > ")
		dst, _, _ = strings.Cut(dst, ":")
		ports = append(ports, dst[strings.LastIndex(dst, ".")+1:])
	}
	return ports
}

// indexOf is the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// Raw IP captures (link types 101, 228, 229) are filtered as tcpdump -r
// filters them, though netlua compiles for Ethernet: the filter sees each
// packet behind an Ethernet header of the IP version's EtherType.
func TestSniffRawIPAsTcpdump(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	for _, name := range []string{"link_ether", "link_ipv4", "link_ipv6", "link_raw"} {
		file := filepath.Join("testdata", name+".pcap")
		for _, expr := range []string{"", "ip", "ip6", "udp", "port 53", "ip6 and udp", "ip proto 0", "ip6 proto 59", "greater 45"} {
			if exec.Command(tcpdump, "-r", file, expr).Run() != nil {
				continue // tcpdump refuses it for the link type (ip6 on LINKTYPE_IPV4): no oracle
			}
			got, _ := sniffStamps(t, file, `{ filter = "`+expr+`" }`)
			if want := tcpdumpStamps(t, tcpdump, file, expr); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s, filter %q: pcap.sniff kept %v, tcpdump -r %v", name, expr, got, want)
			}
		}
	}
}

// Mistakes are errors in Lua's form, naming the option or the column.
func TestSniffErrors(t *testing.T) {
	file := filepath.Join("testdata", "link_ether.pcap")
	for _, c := range []struct{ opts, want string }{
		{`{ cuont = 1 }`, "bad argument #2 to 'sniff' (unknown option 'cuont', have: count, filter, lfilter, prn, stop, store, timeout)"},
		{`{ count = -1 }`, "bad argument #2 to 'sniff' (option 'count' must be 0 or more)"},
		{`{ timeout = -1 }`, "bad argument #2 to 'sniff' (option 'timeout' must be 0 or more seconds)"},
		{`{ prn = "print" }`, "bad argument #2 to 'sniff' (option 'prn' expects a function, got string)"},
		{`{ filter = "udp port" }`, "pcap.sniff: " + file + ": filter: expected a port number after 'port', got the end at column 9"},
		{`{ lfilter = function(p) error("mine") end }`, "mine"},
	} {
		_, err := testlab.RunLua(t, globals("FILE", file)+`require("pcap").sniff(FILE, `+c.opts+`)`, luaModules()...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("pcap.sniff(file, %s): %v, want %q", c.opts, err, c.want)
		}
	}
	_, err := testlab.RunLua(t, `require("pcap").sniff("testdata/link_loop.pcap", { filter = "ip" })`, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "filter: netlua compiles filters for Ethernet and raw IP captures only; use lfilter") {
		t.Errorf("a filter on a loopback capture: %v", err)
	}
}
