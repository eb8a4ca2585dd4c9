package stdlib_test

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/netlink"
	"github.com/netlua/netlua/luabind/packet"
	"github.com/netlua/netlua/luabind/rawip"
	"github.com/netlua/netlua/luabind/testlab"
)

// newLab is an empty lab, torn down when the test ends; a privileged test.
func newLab(t *testing.T) *lab.Lab {
	t.Helper()
	testlab.Privileged(t)
	l := lab.New(lab.Config{})
	t.Cleanup(func() { l.Close() })
	return l
}

// hosts makes n hosts in l.
func hosts(t *testing.T, l *lab.Lab, n int) []*lab.Host {
	t.Helper()
	var hs []*lab.Host
	for range n {
		h, err := l.Host("")
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	return hs
}

// lan joins n hosts on one segment and returns their ends, .1 first.
func lan(t *testing.T, l *lab.Lab, n int) []*lab.End {
	t.Helper()
	ends, err := l.LAN(hosts(t, l, n))
	if err != nil {
		t.Fatal(err)
	}
	return ends
}

// chain builds a - r1 - r2 - d, forwarding on in r1 and r2, routes set
// with ip route, ICMP errors not rate-limited (traceroute and the script
// each send their probes, and both want every answer). It returns the
// ends in link order: a's, r1's two, r2's two, d's.
func chain(t *testing.T) []*lab.End {
	t.Helper()
	l := newLab(t)
	hs := hosts(t, l, 4)
	var ends []*lab.End
	for i := range 3 {
		x, y, err := l.Link(hs[i], hs[i+1])
		if err != nil {
			t.Fatal(err)
		}
		ends = append(ends, x, y)
	}
	for _, h := range hs {
		if err := h.SetSysctl("net.ipv4.icmp_ratelimit", "0"); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range hs[1:3] {
		if err := r.Forward(true); err != nil {
			t.Fatal(err)
		}
	}
	net := func(e *lab.End) string { return e.Addr.Masked().String() }
	labtest.Run(t, ends[0], "", "ip", "route", "add", "default", "via", ends[1].Addr.Addr().String())
	labtest.Run(t, ends[2], "", "ip", "route", "add", net(ends[4]), "via", ends[3].Addr.Addr().String())
	labtest.Run(t, ends[3], "", "ip", "route", "add", net(ends[0]), "via", ends[2].Addr.Addr().String())
	labtest.Run(t, ends[5], "", "ip", "route", "add", "default", "via", ends[4].Addr.Addr().String())
	return ends
}

var hopLine = regexp.MustCompile(`^ ?(\d+)  (\*|\d+\.\d+\.\d+\.\d+)`)

// hops reads traceroute's output: the address of each hop ("*" for
// none), in TTL order, the header and malformed lines left out.
func hops(out string) []string {
	var list []string
	for _, line := range strings.Split(out, "\n") {
		if m := hopLine.FindStringSubmatch(line); m != nil && m[1] == fmt.Sprint(len(list)+1) {
			list = append(list, m[2])
		}
	}
	return list
}

// scripts/traceroute.lua finds the hops traceroute -n finds, in ICMP,
// UDP and TCP, over a chain of 4 namespaces: r1, then r2, which an nft
// rule keeps from sending time exceeded (a "*" for both), then d.
func TestTracerouteScript(t *testing.T) {
	ends := chain(t)
	a, d := ends[0], ends[5]
	labtest.NFT(t, ends[3].NetNS(), "add table ip scantest; add chain ip scantest out { type filter hook output priority 0; }; "+
		"add rule ip scantest out icmp type time-exceeded drop")
	dst := d.Addr.Addr().String()
	for _, tt := range []struct{ flag, tool string }{{"-I", "-I"}, {"-U", ""}, {"-T", "-T"}} {
		t.Run(tt.flag, func(t *testing.T) {
			argv := []string{"traceroute", "-n", "-q", "1", "-w", "1", "-m", "8"}
			if tt.tool != "" {
				argv = append(argv, tt.tool)
			}
			want := hops(labtest.Run(t, a, "", append(argv, dst)...))
			out, code := labtest.RunNetlua(t, a, labtest.Script("traceroute.lua"), tt.flag, "-m", "8", dst)
			got := hops(out)
			if len(want) != 3 || want[1] != "*" || want[2] != dst {
				t.Fatalf("traceroute -n %s saw %q, want 3 hops to %s, the second silent", tt.tool, want, dst)
			}
			if code != 0 || strings.Join(got, " ") != strings.Join(want, " ") || !strings.HasPrefix(out, "traceroute to "+dst+" ("+dst+"), 8 hops max\n") {
				t.Errorf("exit %d, hops %q, want %q; output:\n%s", code, got, want, out)
			}
		})
	}
}

// scripts/arping.lua finds exactly the 20 other hosts of a LAN, with the
// addresses and MACs the lab gave them; each of them saw the who-has
// (its neighbour table holds the scanner's MAC, as the kernel learns it).
func TestArpingScript(t *testing.T) {
	ends := lan(t, newLab(t), 21)
	scanner := ends[0]
	var want strings.Builder
	for _, e := range ends[1:] {
		fmt.Fprintf(&want, "%s\t%s\n", e.Addr.Addr(), e.MAC)
	}
	out, code := labtest.RunNetlua(t, scanner, labtest.Script("arping.lua"), scanner.Ifname, scanner.Addr.Masked().String(), "0.5")
	if code != 0 || out != want.String() {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, out, want.String())
	}
	for _, e := range []*lab.End{ends[1], ends[20]} {
		neigh := labtest.Run(t, e, "", "ip", "neigh", "show", scanner.Addr.Addr().String())
		if !strings.Contains(neigh, "lladdr "+scanner.MAC.String()) {
			t.Errorf("%s's neighbour table has %q, want the scanner's %s", e.Host.Name(), neigh, scanner.MAC)
		}
	}
}

// scripts/synscan.lua tells a port with a listener (open: the peer's
// kernel sends SYN/ACK), one without (closed: RST), one an nft rule of
// the peer drops (filtered: no answer) and one it rejects with an ICMP
// error (filtered too, as nmap says) apart.
func TestSynscanScript(t *testing.T) {
	a, b := labtest.Pair(t)
	var ln net.Listener
	if err := b.NetNS().Do(func() (err error) { ln, err = net.Listen("tcp4", b.Addr.Addr().String()+":8080"); return err }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	labtest.NFT(t, b.NetNS(), "add table inet scantest; add chain inet scantest in { type filter hook input priority 0; }; add rule inet scantest in tcp dport 8082 drop; "+
		"add rule inet scantest in tcp dport 8083 reject with icmp type admin-prohibited")
	out, code := labtest.RunNetlua(t, a, labtest.Script("synscan.lua"), b.Addr.Addr().String(), "8080-8083", "0.5")
	if want := "8080/tcp open\n8081/tcp closed\n8082/tcp filtered\n8083/tcp filtered\n"; code != 0 || out != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, out, want)
	}
}

// scripts/pingsweep.lua lists the hosts of a LAN that answer echo
// requests (the scanner's own address too): not the one whose kernel
// ignores them, nor the addresses nobody holds.
func TestPingsweepScript(t *testing.T) {
	ends := lan(t, newLab(t), 5)
	if err := ends[3].Host.SetSysctl("net.ipv4.icmp_echo_ignore_all", "1"); err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i, e := range ends {
		if i != 3 {
			fmt.Fprintln(&want, e.Addr.Addr())
		}
	}
	out, code := labtest.RunNetlua(t, ends[0], labtest.Script("pingsweep.lua"), ends[0].Addr.Masked().String(), "0.5")
	if code != 0 || out != want.String() {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, out, want.String())
	}
}

// scanModules are the modules scan's functions use, with it.
func scanModules() []*luabind.Module {
	return append(luaModules(), packet.Module(), rawip.Module(), netlink.Module())
}

// scan.arping without iface sends out of the interface of the route to
// the target, from its source address (the peers' neighbour tables learn
// it), and a single address is a target too.
func TestArpingDeducesIface(t *testing.T) {
	ends := lan(t, newLab(t), 3)
	out := testlab.MustLua(t, fmt.Sprintf(`
		local scan = require "scan"
		for _, target in ipairs{ %q, %q } do
			for _, h in ipairs(scan.arping(target, { netns = %q, timeout = 0.3 })) do print(h.ip, h.mac, h.rtt > 0) end
		end`, ends[0].Addr.Masked(), ends[2].Addr.Addr(), labtest.NSPath(ends[0])), scanModules()...)
	want := fmt.Sprintf("%s\t%s\ttrue\n%s\t%s\ttrue\n%[3]s\t%[4]s\ttrue\n", ends[1].Addr.Addr(), ends[1].MAC, ends[2].Addr.Addr(), ends[2].MAC)
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	neigh := labtest.Run(t, ends[1], "", "ip", "neigh", "show", ends[0].Addr.Addr().String())
	if !strings.Contains(neigh, "lladdr "+ends[0].MAC.String()) {
		t.Errorf("the peer's neighbour table has %q, want the scanner's %s", neigh, ends[0].MAC)
	}
}

// Bad arguments are Lua errors that name the function.
func TestScanErrors(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{`scan.traceroute("198.18.0.1", { proto = "sctp" })`, "scan.traceroute: proto must be icmp, udp or tcp, not sctp"},
		{`scan.synscan("198.18.0.1", { 80 }, { sport = "x" })`, "frame.tcp: field 'sport'"},
	} {
		_, err := testlab.RunLua(t, `local scan = require "scan"; `+c.code, scanModules()...)
		if err == nil || !strings.Contains(luabind.Report(err), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.code, err, c.want)
		}
	}
}
