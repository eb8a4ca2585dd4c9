package sock

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// Options set before connect show in the SYN on the wire, as tcpdump
// reads it: TCP_MAXSEG in the MSS option, IP_TTL and IPV6_UNICAST_HOPS
// in the IP header.
func TestOptionsOnTheWire(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	a, b := labtest.Pair(t)
	file := filepath.Join(t.TempDir(), "syn.pcap")
	cmd, _ := labtest.Tcpdump(t, b, tcpdump, "-n", "-c", "2", "-w", file, "tcp[tcpflags] == tcp-syn or ip6[40+13] == 2")
	out, err := pairRun(t, a, b, `
		local sock = require "sock"
		for _, ip in ipairs{ BIP, BIP6 } do
			local l = sock.tcp{ netns = B }
			l:bind(ip, 6000)
			l:listen()
			local c = sock.tcp{ netns = A, timeout = 5 }
			if ip == BIP then
				c:setsockopt("TCP_MAXSEG", 1000)
				c:setsockopt("IP_TTL", 7)
			else
				c:setsockopt("IPV6_UNICAST_HOPS", 9)
				c:setsockopt("TCP_MAXSEG", 1100)
			end
			print(c:getsockopt("TCP_MAXSEG"), c.family)
			c:connect(ip, 6000)
		end
	`, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out != "1000\tipv4\n1100\tipv6\n" {
		t.Errorf("got\n%s", out)
	}
	cmd.Wait()
	text := labtest.Run(t, b, "", tcpdump, "-r", file, "-nv")
	for _, want := range []string{`ttl 7,.*\n.*mss 1000,`, `hlim 9,.*mss 1100,`} {
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("no %q in the capture:\n%s", want, text)
		}
	}
}

// tcp_info and the options agree with what ss reads of the same socket
// through sock_diag: MSS, congestion window, RTO, RTT, PMTU, the
// congestion control and the receive buffer, which the kernel doubles.
func TestTCPInfoAgainstSS(t *testing.T) {
	testlab.NeedTool(t, "ss", "iproute2")
	a, b := labtest.Pair(t)
	ss := func(L *lua.LState) int {
		L.Push(lua.LString(labtest.Run(t, a, "", "ss", "-tinmH", "state", "established", "dport", "= :6001")))
		return 1
	}
	out, err := pairRun(t, a, b, `
		local sock = require "sock"
		local l = sock.tcp{ netns = B }
		l:bind(BIP, 6001)
		l:listen()
		local c = sock.tcp{ netns = A, timeout = 5 }
		c:setsockopt("SO_RCVBUF", 100000)
		c:setsockopt("TCP_CONGESTION", "reno")
		c:connect(BIP, 6001)
		local s = l:accept(5)
		for i = 1, 20 do c:send(("x"):rep(3000)) s:recv() s:send("ok") c:recv() end
		local i = c:tcp_info()
		print(i.state, i.snd_mss, i.rcv_mss, i.advmss, i.snd_cwnd, i.rto, i.rtt, i.rttvar, i.pmtu, i.bytes_acked, i.data_segs_out)
		print(c:getsockopt("SO_RCVBUF"), c:getsockopt("TCP_CONGESTION"))
		io.write(ss())
	`, map[string]lua.LGFunction{"ss": ss})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lines := strings.SplitN(out, "\n", 3)
	info := strings.Fields(lines[0])
	opts := strings.Fields(lines[1])
	ssOut := lines[2]
	field := func(name string) string {
		m := regexp.MustCompile(`\b` + name + `:([0-9.]+)`).FindStringSubmatch(ssOut)
		if m == nil {
			t.Fatalf("no %s in ss's output:\n%s", name, ssOut)
		}
		return m[1]
	}
	ms := func(us string) string { // ss prints times in ms, %g of µs / 1000
		v, _ := strconv.ParseFloat(us, 64)
		return strconv.FormatFloat(v/1000, 'g', -1, 64)
	}
	if info[0] != "ESTABLISHED" {
		t.Errorf("state %s", info[0])
	}
	for _, c := range []struct{ name, got, want string }{
		{"mss", info[1], field("mss")},
		{"rcvmss", info[2], field("rcvmss")},
		{"advmss", info[3], field("advmss")},
		{"cwnd", info[4], field("cwnd")},
		{"rto", ms(info[5]), field("rto")},
		{"rtt", ms(info[6]) + "/" + ms(info[7]), regexp.MustCompile(`rtt:([0-9.]+/[0-9.]+)`).FindStringSubmatch(ssOut)[1]},
		{"pmtu", info[8], field("pmtu")},
		{"bytes_acked", info[9], field("bytes_acked")},
		{"data_segs_out", info[10], field("data_segs_out")},
		{"rb", opts[0], regexp.MustCompile(`rb(\d+)`).FindStringSubmatch(ssOut)[1]},
		{"rcvbuf doubled", opts[0], "200000"},
		{"congestion", opts[1], "reno"},
	} {
		if c.got != c.want {
			t.Errorf("%s: tcp_info/getsockopt say %s, ss says %s", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(ssOut, " reno ") {
		t.Errorf("ss shows no reno:\n%s", ssOut)
	}
}

// Errors name the call, the address and the errno as the kernel gives it.
func TestErrors(t *testing.T) {
	out := pairLua(t, `
		local sock = require "sock"
		local function try(f, ...) local ok, err = pcall(f, ...) print(err) end
		local c = sock.tcp{ netns = A }
		try(c.connect, c, BIP, 81)
		local c6 = sock.tcp{ netns = A }
		try(c6.connect, c6, BIP6, 81, 2)
		local u = sock.udp{ netns = A }
		u:bind(AIP, 5000)
		local u2 = sock.udp{ netns = A }
		try(u2.bind, u2, AIP, 5000)
		local t0 = now()
		try(u.recvfrom, u, 10, 0.2)
		print(now() - t0 >= 0.2)
		local v4 = sock.tcp{ netns = A, family = "ipv4" }
		try(v4.connect, v4, BIP6, 80)
		u:close()
		try(u.recvfrom, u)
		try(c.setsockopt, c, "TCP_CONGESTION", "no-such-cc")
		try(c.shutdown, c, "x")
		try(sock.tcp, { family = "ipv5" })
	`)
	out = regexp.MustCompile(`<string>:\d+: `).ReplaceAllString(out, "")
	a := regexp.MustCompile(`198\.18\.\d+\.`).ReplaceAllString(out, "X.")
	a = regexp.MustCompile(`\[2001:2:[0-9a-f:]*\]`).ReplaceAllString(a, "[V6]")
	want := "sock.connect X.2:81: connection refused (ECONNREFUSED)\n" +
		"sock.connect [V6]:81: connection refused (ECONNREFUSED)\n" +
		"sock.bind X.1:5000: address already in use (EADDRINUSE)\n" +
		"sock.recvfrom: timed out after 0.2 s (EAGAIN)\n" +
		"true\n" +
		"sock.connect [V6]:80: address family not supported by protocol (EAFNOSUPPORT)\n" +
		"sock.recvfrom: the socket is closed\n" +
		"sock.setsockopt TCP_CONGESTION: no such file or directory (ENOENT)\n" +
		"bad argument #1 to 'shutdown' (use \"r\", \"w\" or \"rw\")\n" +
		"bad argument #1 to 'tcp' (option 'family' is \"ipv5\": use \"ipv4\" or \"ipv6\")\n"
	if a != want {
		t.Errorf("got\n%s\nwant\n%s", a, want)
	}
}

// IPV6_V6ONLY as the kernel applies it: an IPv6 socket bound to :: takes
// IPv4 connections (IPv4-mapped, read as IPv4) unless it is set.
func TestV6Only(t *testing.T) {
	out := pairLua(t, `
		local sock = require "sock"
		for _, only in ipairs{ false, true } do
			local l = sock.tcp{ netns = B, family = "ipv6", timeout = 2 }
			l:setsockopt("IPV6_V6ONLY", only)
			l:bind("*", 6100)
			l:listen()
			local c = sock.tcp{ netns = A, timeout = 2 }
			local ok, err = pcall(c.connect, c, BIP, 6100)
			if ok then
				local s, ip = l:accept()
				print(l:getsockopt("IPV6_V6ONLY"), ip == AIP, s.family)
			else
				print(l:getsockopt("IPV6_V6ONLY"), err:match("ECONNREFUSED"))
			end
			l:close()
		end
	`)
	if want := "false\ttrue\tipv6\ntrue\tECONNREFUSED\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
