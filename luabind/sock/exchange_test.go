package sock

import (
	"bufio"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// goEcho runs a TCP server of Go's net package on e, port 7000, which
// answers each line with the line upper-cased, until the test ends.
func goEcho(t *testing.T, e *lab.End, addr netip.Addr) {
	t.Helper()
	var l net.Listener
	err := e.NetNS().Do(func() (err error) {
		l, err = net.Listen("tcp", netip.AddrPortFrom(addr, 7000).String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewScanner(c)
				for r.Scan() {
					c.Write([]byte(strings.ToUpper(r.Text()) + "\n"))
				}
			}()
		}
	}()
}

// A Lua client in one namespace talks with a Go server in the other, over
// IPv4 and IPv6: what it reads is what Go's server wrote, and the
// addresses both sides see agree.
func TestTCPWithGoPeer(t *testing.T) {
	a, b := labtest.Pair(t)
	for _, addr := range []netip.Addr{b.Addr.Addr(), b.Addr6.Addr()} {
		goEcho(t, b, addr)
		out, err := testlab.RunLuaWith(t, `
			local sock = require "sock"
			local s = sock.tcp{ netns = A, timeout = 5 }
			print(s.fd, s.family)
			s:connect(B, 7000)
			print(s.family, s.fd > 2)
			local ip, port = s:peer_addr()
			print(ip == B, port)
			local lip, lport = s:local_addr()
			print(lip == AIP, lport > 1023)
			print(s:send("hello\nworld\n"))
			local got = ""
			while #got < 12 do got = got .. s:recv(100) end
			io.write(got)
			s:shutdown("w")
			print(s:recv())
			s:close()
			print(s.closed)
		`, setGlobals(map[string]string{"A": labtest.NSPath(a), "B": addr.String(), "AIP": aAddr(a, addr).String()}), luaModules()...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", addr, err, out)
		}
		fam := "ipv4"
		if addr.Is6() {
			fam = "ipv6"
		}
		want := "-1\tnil\n" + fam + "\ttrue\ntrue\t7000\ntrue\ttrue\n12\nHELLO\nWORLD\nnil\ntrue\n"
		if out != want {
			t.Errorf("%s: got\n%s\nwant\n%s", addr, out, want)
		}
	}
}

// aAddr is a's address of the family of addr.
func aAddr(a *lab.End, addr netip.Addr) netip.Addr {
	if addr.Is6() {
		return a.Addr6.Addr()
	}
	return a.Addr.Addr()
}

// Both sides in Lua, one namespace each: a TCP listener accepts a
// connection (the kernel completes the handshake before accept), and UDP
// datagrams go both ways with their senders' addresses.
func TestLuaBothSides(t *testing.T) {
	a, b := labtest.Pair(t)
	out, err := testlab.RunLuaWith(t, `
		local sock = require "sock"
		local l = sock.tcp{ netns = B, timeout = 5 }
		l:bind("*", 0)
		l:listen()
		local _, lport = l:local_addr()
		local c = sock.tcp{ netns = A, timeout = 5 }
		c:connect(BIP, lport)
		local s, ip, port = l:accept()
		print(ip == AIP, port == select(2, c:local_addr()), s.family)
		c:send("ping")
		print(s:recv(2), s:recv())
		c:close()
		print(s:recv())

		local u1, u2 = sock.udp{ netns = A, timeout = 5 }, sock.udp{ netns = B, timeout = 5 }
		u2:bind(BIP, 5353)
		print(u1:sendto("query", BIP, 5353))
		local data, from, fport = u2:recvfrom()
		print(data, from == AIP)
		u2:sendto("answer", from, fport)
		local d2, ip2, p2 = u1:recvfrom(3)
		print(d2, ip2 == BIP, p2)
	`, setGlobals(map[string]string{"A": labtest.NSPath(a), "B": labtest.NSPath(b), "AIP": a.Addr.Addr().String(), "BIP": b.Addr.Addr().String()}), luaModules()...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := "true\ttrue\tipv4\npi\tng\nnil\n5\nquery\ttrue\nans\ttrue\t5353\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
