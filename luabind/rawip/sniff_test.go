package rawip

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// A raw socket's sniff keeps, of the echo requests the peer's ping sent,
// those tcpdump -r keeps with the same filter (from a raw IP capture of
// all of them, another socket's), decoded from their IPv4 header; count
// stops it.
func TestSniffAsTcpdumpSees(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	testlab.Privileged(t)
	file := filepath.Join(t.TempDir(), "raw.pcap")
	const expr = "icmp[7] >= 3 and ip[8] = 64"
	out := testlab.MustLua(t, fmt.Sprintf(`
		local lab, rawip, f, pcap = require "lab", require "rawip", require "frame", require "pcap"
		local a, b = lab.pair()
		local s = {}
		for i = 1, 3 do s[i] = rawip.open{ proto = "icmp", netns = b } end
		local out, status = a:exec{ "ping", "-c", "5", "-i", "0.2", b.ip }
		assert(status == 0, out)
		local function hex(p) return (f.build(p):gsub(".", function(c) return ("%%02x"):format(c:byte()) end)) end
		local w = pcap.writer(%q, { linktype = "raw" })
		for _, p in ipairs((s[1]:sniff{ timeout = 0 })) do w:write(f.build(p), 1700000000) end
		w:close()
		local ps, infos = s[2]:sniff{ filter = %q, timeout = 0 }
		for i, p in ipairs(ps) do print("filter", hex(p), infos[i].src == a.ip) end
		for _, p in ipairs((s[3]:sniff{ count = 2, filter = "icmp[icmptype] = icmp-echo" })) do
			print("count", p.ipv4.src == a.ip, p.icmp4.seq)
		end
	`, file, expr), luaModules()...)
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if h, ok := strings.CutPrefix(line, "filter\t"); ok {
			got = append(got, h)
		}
	}
	var want []string
	for _, h := range rawHexes(t, tcpdump, file, expr) {
		want = append(want, h+"\ttrue")
	}
	if len(want) != 3 || !slices.Equal(got, want) {
		t.Errorf("sniff{ filter = %q } kept\n%s\ntcpdump -r kept (want the requests of seq 3 to 5)\n%s", expr, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(out, "count\ttrue\t1\ncount\ttrue\t2\n") || strings.Count(out, "count") != 2 {
		t.Errorf("sniff{ count = 2 } printed\n%s\nwant the requests of seq 1 and 2", out)
	}
}

// rawHexes is what tcpdump -r file expr keeps of a raw IP capture, each
// packet in hex.
func rawHexes(t *testing.T, tcpdump, file, expr string) []string {
	out, err := exec.Command(tcpdump, "-r", file, "-nn", "-x", expr).Output()
	if err != nil {
		t.Fatalf("tcpdump -r %s %s: %v", file, expr, err)
	}
	var packets []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "\t0x") && len(packets) > 0 {
			_, words, _ := strings.Cut(line, ":")
			packets[len(packets)-1] += strings.Join(strings.Fields(words), "")
		} else if line != "" {
			packets = append(packets, "")
		}
	}
	return packets
}

// An IPv6 raw socket's packets, which come without their IPv6 header,
// are decoded from the protocol's; a filter, which would test that
// header, is an error.
func TestSniffIPv6(t *testing.T) {
	testlab.Privileged(t)
	out, err := testlab.RunLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a = lab.pair()
		local s = rawip.open{ proto = "icmp6", netns = a }
		s:sendto(f.build{ f.icmp6{ type = 128, id = 5, seq = 6 }, "ping" }, "::1")
		local ps, infos = s:sniff{ count = 1, timeout = 5, lfilter = function(p) return p.icmp6.type == 129 end }
		print(#ps, ps[1].icmp6.id, ps[1].icmp6.seq, infos[1].src)
		s:sniff{ filter = "icmp6", timeout = 0 }
	`, luaModules()...)
	if want := "1\t5\t6\t::1\n"; out != want {
		t.Errorf("got %q, want %q (the kernel's echo reply)", out, want)
	}
	if err == nil || !strings.Contains(err.Error(), "rawip.sniff: icmp6: filter: an IPv6 raw socket receives packets without their IPv6 header") {
		t.Errorf("a filter on an IPv6 raw socket: %v", err)
	}
}

// ^C ends a sniff that has no other end, at the prompt with what it got:
// the statement goes on.
func TestSniffInterrupted(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLuaWith(t, `
		local lab, rawip = require "lab", require "rawip"
		local a, b = lab.pair()
		local s = rawip.open{ proto = "icmp", netns = b }
		local out, status = a:exec{ "ping", "-c", "3", "-i", "0.2", b.ip }
		assert(status == 0, out)
		interrupt_soon()
		local ps = s:sniff{}
		print(#ps, ps[3].icmp4.seq)
	`, func(rt *luabind.Runtime) {
		rt.Rearm() // statement by statement, as at the prompt
		rt.L.SetGlobal("interrupt_soon", rt.L.NewFunction(func(*lua.LState) int {
			time.AfterFunc(300*time.Millisecond, func() { rt.Interrupt(&luabind.Interrupt{Signal: os.Interrupt}) })
			return 0
		}))
	}, luaModules()...)
	if want := "3\t3\n"; out != want {
		t.Errorf("got %q, want %q: the 3 requests (a raw socket gets the ICMP that comes in)", out, want)
	}
}
