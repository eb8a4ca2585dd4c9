package packet

import (
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/testlab"
)

// sniffCases are the sniffs TestSniffAsTcpdumpSees runs, each on its own
// socket, all open while the peer pings: name and s:sniff's options.
var sniffCases = []struct{ name, opts string }{
	{"all", `{ timeout = 0 }`},
	{"echo", `{ filter = "icmp[icmptype] = icmp-echo", timeout = 0 }`},
	{"big", `{ filter = "greater 300", timeout = 0 }`},
	{"fromA", `{ filter = "src host " .. a.ip .. " and icmp", timeout = 0 }`},
	{"notIcmp", `{ filter = "not icmp", timeout = 0 }`},
	{"count", `{ filter = "icmp", count = 3 }`},
	{"lfilter", `{ lfilter = function(p) return p.icmp4 and p.icmp4.type == 0 end, timeout = 0 }`},
	{"stop", `{ stop = function(p) return p.icmp4 and p.icmp4.type == 0 end }`},
	{"prn", `{ filter = "icmp", timeout = 0, store = false, prn = function(p, info) assert(info.len == #f.build(p)); return hex(p) end }`},
	{"timeout", `{ count = 1000, timeout = 0.5 }`},
}

// The frames a socket sniffs with a filter are those tcpdump -r keeps of
// the same frames with the same expression (another socket captured them
// to a file), in the same order, and count, lfilter, stop, prn, store and
// timeout act on them as Scapy's sniff does.
func TestSniffAsTcpdumpSees(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	testlab.Privileged(t)
	file := filepath.Join(t.TempDir(), "ping.pcap")
	var code strings.Builder
	fmt.Fprintf(&code, `
		local lab, packet, f = require "lab", require "packet", require "frame"
		local a, b = lab.pair()
		local function hex(p) return (f.build(p):gsub(".", function(c) return ("%%02x"):format(c:byte()) end)) end
		local cases, socks = {}, {}
		-- The lab's kernels send IPv6 (MLD, router solicitations) when they
		-- like: the sockets' own filter keeps them out; sniff's narrows it.
		local capture = packet.open(b.ifname, { netns = b, filter = "not ip6" })
		for i = 1, %d do socks[i] = packet.open(b.ifname, { netns = b, filter = "not ip6" }) end
		for _, argv in ipairs{ { "ping", "-c", "3", "-i", "0.2", b.ip }, { "ping", "-c", "2", "-i", "0.2", "-s", "300", b.ip } } do
			local out, status = a:exec(argv)
			assert(status == 0, out)
		end
		capture:capture{ file = %q, duration = 0 }
	`, len(sniffCases), file)
	for i, c := range sniffCases {
		fmt.Fprintf(&code, `
		do
			local t0 = now()
			local ps, infos = socks[%d]:sniff%s
			assert(#ps == #infos, "as many infos as packets")
			for i, p in ipairs(ps) do
				assert(infos[i].len == #f.build(p) and infos[i].ts <= os.time() + 1 and infos[i].ifname == b.ifname, "info of packet " .. i)
				print(%q, hex(p))
			end
			print(%q, "end", now() - t0)
		end`, i+1, c.opts, c.name, c.name)
	}
	out := testlab.MustLua(t, code.String(), luaModules()...)
	got, seconds := sniffed(out)
	frames := func(expr ...string) []string { return hexes(tcpdumpFrames(t, tcpdump, file, expr...)) }
	all := frames()
	firstReply := slices.Index(all, frames("icmp[icmptype] = icmp-echoreply")[0])
	want := map[string][]string{
		"all":     all,
		"echo":    frames("icmp[icmptype] = icmp-echo"),
		"big":     frames("greater 300"),
		"notIcmp": frames("not icmp"),
		"count":   frames("icmp")[:3],
		"lfilter": frames("icmp[icmptype] = icmp-echoreply"),
		"stop":    all[:firstReply+1],
		"prn":     frames("icmp"), // printed by prn, none returned
		"timeout": all,
	}
	want["fromA"] = frames("src host " + srcOfFirstEcho(t, want["echo"]) + " and icmp")
	if len(all) < 10 {
		t.Fatalf("tcpdump read %d frames, want 10 ICMP at least", len(all))
	}
	for _, c := range sniffCases {
		if !slices.Equal(got[c.name], want[c.name]) {
			t.Errorf("sniff%s kept %d frames\n%s\ntcpdump -r says %d\n%s", c.opts, len(got[c.name]), strings.Join(got[c.name], "\n"), len(want[c.name]), strings.Join(want[c.name], "\n"))
		}
	}
	if seconds["timeout"] < 0.5 || seconds["all"] > 0.4 {
		t.Errorf("sniff{timeout = 0.5} took %.3f s, want 0.5 or more; sniff{timeout = 0} %.3f s, want at once", seconds["timeout"], seconds["all"])
	}
	// The filter module says the same of every frame: the Go matcher and
	// tcpdump agree on what the sniff kept.
	for _, h := range got["echo"] {
		b, _ := hex.DecodeString(h)
		if !filter.MustCompile("icmp[icmptype] = icmp-echo").Match(b) {
			t.Errorf("sniff kept %s, which the filter does not match", h)
		}
	}
}

// sniffed sorts the lines the sniff script printed by case: the frames
// in hex, and the seconds each sniff took.
func sniffed(out string) (map[string][]string, map[string]float64) {
	frames, seconds := map[string][]string{}, map[string]float64{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		f := strings.Split(line, "\t")
		switch {
		case len(f) == 3 && f[1] == "end":
			var s float64
			fmt.Sscan(f[2], &s)
			seconds[f[0]] = s
		case len(f) == 2:
			frames[f[0]] = append(frames[f[0]], f[1])
		case len(f) == 1 && f[0] != "": // prn's lines
			frames["prn"] = append(frames["prn"], f[0])
		}
	}
	return frames, seconds
}

// hexes is each frame in hex.
func hexes(frames [][]byte) []string {
	var h []string
	for _, f := range frames {
		h = append(h, hex.EncodeToString(f))
	}
	return h
}

// srcOfFirstEcho is the IPv4 source of the first echo request, in hex.
func srcOfFirstEcho(t *testing.T, echoes []string) string {
	if len(echoes) == 0 {
		t.Fatal("no echo request")
	}
	b, _ := hex.DecodeString(echoes[0])
	return fmt.Sprintf("%d.%d.%d.%d", b[26], b[27], b[28], b[29])
}
