package lab

import (
	"bufio"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// topologyLab is a small course topology: h1 and h2 on a switch, h2
// linked to the router r1, r1 linked to h3.
func topologyLab(t *testing.T) *Lab {
	t.Helper()
	l := testLab(t, Config{})
	h1, h2 := mustHost(t, l, "h1"), mustHost(t, l, "h2")
	r1, err := l.Router("r1")
	if err != nil {
		t.Fatal(err)
	}
	h3 := mustHost(t, l, "h3")
	mustLAN(t, l, h1, h2)
	mustLink(t, l, h2, r1)
	mustLink(t, l, r1, h3)
	return l
}

// showIface matches an interface line of Show: ifname, MAC, addresses,
// the other end's host and interface.
var showIface = regexp.MustCompile(`^  (\S+) (\S+)((?: \S+/\d+)*) -> (\S+) (\S+)$`)

// kernelIface is what ip(8) inside a host says of one interface: its
// MAC, global addresses (IPv4, then IPv6 where ends have it), and the
// index of its veth peer (in the peer's namespace).
type kernelIface struct {
	mac, addrs, peerIndex string
}

// kernelIfaces asks ip(8) inside h for its veths.
func kernelIfaces(t *testing.T, h *Host) map[string]kernelIface {
	t.Helper()
	ifs := map[string]kernelIface{}
	link := regexp.MustCompile(`^\d+: (veth\d+)@if(\d+):.* link/ether (\S+)`)
	for _, line := range strings.Split(run(t, h, "ip", "-o", "link", "show", "type", "veth"), "\n") {
		if m := link.FindStringSubmatch(line); m != nil {
			ifs[m[1]] = kernelIface{mac: m[3], peerIndex: m[2]}
		}
	}
	addr := regexp.MustCompile(`^\d+: (\S+)\s+inet6? (\S+)`)
	for _, line := range strings.Split(run(t, h, "ip", "-o", "addr", "show", "scope", "global"), "\n") {
		if m := addr.FindStringSubmatch(line); m != nil && ifs[m[1]].mac != "" {
			k := ifs[m[1]]
			k.addrs += " " + m[2]
			ifs[m[1]] = k
		}
	}
	return ifs
}

// ifindex asks ip(8) inside h for the index of ifname.
func ifindex(t *testing.T, h *Host, ifname string) string {
	t.Helper()
	out := run(t, h, "ip", "-o", "link", "show", "dev", ifname)
	index, _, _ := strings.Cut(out, ":")
	return index
}

// Show lists what the kernel has: every veth of every host with its MAC
// and addresses, and as the other end the interface whose index the
// kernel names as the veth's peer; the roles are what bridge ports and
// ip_forward say.
func TestShowMatchesKernel(t *testing.T) {
	testlab.Privileged(t)
	l := topologyLab(t)
	text := l.Show()
	hosts := map[string]*Host{}
	for _, h := range l.Hosts() {
		hosts[h.Name()] = h
	}
	var cur *Host
	var seen map[string]bool
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if m := regexp.MustCompile(`^(\S+) \((\w+)\)$`).FindStringSubmatch(line); m != nil {
			cur = hosts[m[1]]
			if cur == nil {
				t.Fatalf("show names a host %q the lab does not have:\n%s", m[1], text)
			}
			checkRole(t, cur, m[2])
			seen = map[string]bool{}
			continue
		}
		m := showIface.FindStringSubmatch(line)
		if m == nil || cur == nil {
			continue
		}
		lines++
		k, ok := kernelIfaces(t, cur)[m[1]]
		if !ok || k.mac != m[2] || k.addrs != m[3] {
			t.Errorf("%s: show says %q; the kernel has %s %+v", cur.Name(), line, m[1], k)
		}
		if peer := hosts[m[4]]; peer == nil || ifindex(t, peer, m[5]) != k.peerIndex {
			t.Errorf("%s: show says %q, but the kernel's peer of %s has index %s", cur.Name(), line, m[1], k.peerIndex)
		}
		seen[m[1]] = true
	}
	total := 0
	for _, h := range l.Hosts() {
		total += len(kernelIfaces(t, h))
	}
	if lines != total || lines != 8 {
		t.Errorf("show lists %d interfaces; the kernel has %d veths (want 8):\n%s", lines, total, text)
	}
	if !strings.Contains(text, "link h2:veth1 -- r1:veth0\n") {
		t.Errorf("show does not list the link h2:veth1 -- r1:veth0:\n%s", text)
	}
}

// checkRole checks a host's role in Show against the kernel: a switch's
// interfaces are all ports of br0, a router has ip_forward on.
func checkRole(t *testing.T, h *Host, role string) {
	t.Helper()
	ports := run(t, h, "ip", "-o", "link", "show", "type", "bridge_slave")
	fwd := strings.TrimSpace(run(t, h, "sysctl", "-n", "net.ipv4.ip_forward"))
	want := "host"
	switch {
	case ports != "" && len(kernelIfaces(t, h)) == strings.Count(ports, "\n"):
		want = "switch"
	case fwd == "1":
		want = "router"
	}
	if role != want {
		t.Errorf("show says %s is a %s; the kernel says %s (bridge ports %q, ip_forward %s)", h.Name(), role, want, ports, fwd)
	}
}

// Graphviz reads the DOT: dot -Tplain lays out a node per host and an
// edge per veth pair the kernel has, and each end's label holds the
// address ip(8) shows in it.
func TestDOTReadByGraphviz(t *testing.T) {
	testlab.Privileged(t)
	dot := testlab.NeedTool(t, "dot", "graphviz")
	l := topologyLab(t)
	nodes, edges := graphviz(t, dot, l.DOT())
	var hostNames []string
	veths := 0
	for _, h := range l.Hosts() {
		hostNames = append(hostNames, h.Name())
		veths += len(kernelIfaces(t, h))
	}
	if !slices.Equal(nodes, hostNames) {
		t.Errorf("graphviz's nodes %v, the lab's hosts %v", nodes, hostNames)
	}
	if len(edges) != veths/2 {
		t.Errorf("graphviz's edges %v; the kernel has %d veth pairs", edges, veths/2)
	}
	for _, h := range l.Hosts() {
		for _, k := range kernelIfaces(t, h) {
			for _, a := range strings.Fields(k.addrs) {
				if !strings.Contains(l.DOT(), a) {
					t.Errorf("the DOT lacks %s's address %s", h.Name(), a)
				}
			}
		}
	}
}

// graphviz lays text out with dot -Tplain and returns the nodes and the
// edges ("tail-head") Graphviz found in it.
func graphviz(t *testing.T, dot, text string) (nodes, edges []string) {
	t.Helper()
	cmd := exec.Command(dot, "-Tplain")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot -Tplain: %v\n%s", err, text)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 1 && f[0] == "node":
			nodes = append(nodes, f[1])
		case len(f) > 2 && f[0] == "edge":
			edges = append(edges, f[1]+"-"+f[2])
		}
	}
	return nodes, edges
}

// Show names a link's shape on its line, both directions or the one
// shaped, as the kernel has it: tc lists the tbf of the rate.
func TestShowShaping(t *testing.T) {
	testlab.Privileged(t)
	l := New(Config{})
	t.Cleanup(func() { l.Close() })
	h1, h2, h3 := mustHost(t, l, "h1"), mustHost(t, l, "h2"), mustHost(t, l, "h3")
	e1, _, err := l.Link(h1, h2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e1.Link().Shape(Shape{Delay: 10 * time.Millisecond, Rate: 10e6}); err != nil {
		t.Fatal(err)
	}
	_, e3, err := l.Link(h2, h3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e3.Shape(Shape{Loss: 1.5}); err != nil {
		t.Fatal(err)
	}
	text := l.Show()
	for _, want := range []string{
		"link h1:veth0 -- h2:veth0 delay 10ms, rate 10Mbit/s\n",
		"link h2:veth1 -- h3:veth0 h3 out: loss 1.5%\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("show lacks %q:\n%s", want, text)
		}
	}
	if tc := run(t, h1, "tc", "qdisc", "show", "dev", "veth0"); !strings.Contains(tc, "rate 10Mbit") {
		t.Errorf("tc in h1 lists no rate of 10Mbit:\n%s", tc)
	}
}
