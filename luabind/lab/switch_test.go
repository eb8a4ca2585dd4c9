package lab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// mustSwitch makes switch name in l.
func mustSwitch(t *testing.T, l *Lab, name string, o SwitchOptions) *Host {
	t.Helper()
	sw, err := l.Switch(name, o)
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// pings fails the test unless h gets an answer from each address, by
// the kernel's own ping (ping picks IPv6 from the address).
func pings(t *testing.T, h *Host, addrs ...string) {
	t.Helper()
	for _, a := range addrs {
		run(t, h, "ping", "-c1", "-W2", a)
	}
}

// Hosts linked to a switch share its subnet, numbered in link order, in
// IPv4 and IPv6, and reach each other through its bridge.
func TestSwitchSharesSubnet(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	sw := mustSwitch(t, l, "s1", SwitchOptions{})
	var ends []*End
	for _, name := range []string{"h1", "h2", "h3"} {
		e, p := mustLink(t, l, mustHost(t, l, name), sw)
		if p.Host != sw || p.Addr.IsValid() || p.Addr6.IsValid() {
			t.Errorf("the switch's end is %s", p)
		}
		ends = append(ends, e)
	}
	for i, want := range []string{"198.18.0.1/24 2001:2::1/64", "198.18.0.2/24 2001:2::2/64", "198.18.0.3/24 2001:2::3/64"} {
		if got := ends[i].Addr.String() + " " + ends[i].Addr6.String(); got != want {
			t.Errorf("h%d: %s, want %s", i+1, got, want)
		}
	}
	pings(t, ends[0].Host, "198.18.0.3", "2001:2::3")
	pings(t, ends[2].Host, "198.18.0.1", "2001:2::2")
	out := run(t, sw, "ip", "-o", "link", "show", "master", "br0")
	if n := strings.Count(out, "\n"); n != 3 {
		t.Errorf("br0 has %d ports, want 3:\n%s", n, out)
	}
}

// Switches linked to each other make one segment: hosts on either share
// one subnet and reach each other.
func TestSwitchTrunk(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	s1, s2, s3 := mustSwitch(t, l, "s1", SwitchOptions{}), mustSwitch(t, l, "s2", SwitchOptions{}), mustSwitch(t, l, "s3", SwitchOptions{})
	mustLink(t, l, s1, s2)
	mustLink(t, l, s3, s2)
	h1, _ := mustLink(t, l, mustHost(t, l, "h1"), s1)
	h3, _ := mustLink(t, l, mustHost(t, l, "h3"), s3)
	if h1.Addr.String() != "198.18.0.1/24" || h3.Addr.String() != "198.18.0.2/24" {
		t.Fatalf("h1 %s, h3 %s: not one subnet", h1.Addr, h3.Addr)
	}
	pings(t, h1.Host, "198.18.0.2", "2001:2::2")
}

func TestSwitchRefuses(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	s1, s2 := mustSwitch(t, l, "s1", SwitchOptions{}), mustSwitch(t, l, "s2", SwitchOptions{})
	mustLink(t, l, mustHost(t, l, "h1"), s1)
	mustLink(t, l, mustHost(t, l, "h2"), s2)
	_, _, err := l.Link(s1, s2)
	if want := "s1 and s2 have hosts on different subnets already: link switches to each other before hosts"; err == nil || err.Error() != want {
		t.Errorf("Link(s1, s2) = %v, want %q", err, want)
	}
	s3, s4, s5 := mustSwitch(t, l, "s3", SwitchOptions{}), mustSwitch(t, l, "s4", SwitchOptions{}), mustSwitch(t, l, "s5", SwitchOptions{})
	mustLink(t, l, s3, s4)
	mustLink(t, l, s4, s5)
	_, _, err = l.Link(s5, s3)
	if want := "s5 and s3 are joined already: a loop of switches needs stp = true on each"; err == nil || err.Error() != want {
		t.Errorf("Link(s5, s3) = %v, want %q", err, want)
	}
}

// STP is what the kernel says it is, and a loop of STP switches is
// allowed.
func TestSwitchSTP(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	stp := SwitchOptions{STP: true}
	s1, s2, s3 := mustSwitch(t, l, "s1", stp), mustSwitch(t, l, "s2", stp), mustSwitch(t, l, "s3", SwitchOptions{})
	for sw, want := range map[*Host]string{s1: "1", s3: "0"} {
		if got := strings.TrimSpace(run(t, sw, "cat", "/sys/class/net/br0/bridge/stp_state")); got != want {
			t.Errorf("%s: stp_state %s, want %s", sw.Name(), got, want)
		}
	}
	if got := strings.TrimSpace(run(t, s1, "cat", "/sys/class/net/br0/bridge/forward_delay")); got != "200" {
		t.Errorf("forward_delay %s, want 200", got)
	}
	mustLink(t, l, s1, s2)
	mustLink(t, l, s2, s1)
}

// A kernel without bridge VLAN filtering refuses it by name, at the
// switch's creation.
func TestSwitchVLANFilteringError(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	sw, err := l.Switch("s1", SwitchOptions{VLANFiltering: true})
	if err == nil {
		got := strings.TrimSpace(run(t, sw, "cat", "/sys/class/net/br0/bridge/vlan_filtering"))
		t.Skipf("this kernel has bridge VLAN filtering (vlan_filtering %s); TestSwitchVLANs tests it", got)
	}
	if want := "s1 br0: " + ErrNoVLANFiltering.Error(); err.Error() != want || !errors.Is(err, ErrNoVLANFiltering) {
		t.Errorf("Switch = %q, want %q", err, want)
	}
}

// Access ports on one VLAN reach each other and not a port on another;
// where the kernel has no VLAN filtering, SetVLAN says so.
func TestSwitchVLANs(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	sw := mustSwitch(t, l, "s1", SwitchOptions{})
	var ends []*End
	for i, vid := range []int{10, 10, 20} {
		e, p := mustLink(t, l, mustHost(t, l, fmt.Sprintf("h%d", i+1)), sw)
		err := l.SetVLAN(p, VLAN{Access: vid})
		if errors.Is(err, ErrNoVLANFiltering) {
			if want := "s1 br0: " + ErrNoVLANFiltering.Error(); err.Error() != want {
				t.Errorf("SetVLAN = %q, want %q", err, want)
			}
			t.Skip("this kernel has no bridge VLAN filtering: VLANs are tested where it has (its error is checked)")
		}
		if err != nil {
			t.Fatal(err)
		}
		ends = append(ends, e)
	}
	pings(t, ends[0].Host, "198.18.0.2")
	res, err := ends[0].Host.Exec(context.Background(), Cmd{Argv: []string{"ping", "-c1", "-W1", "198.18.0.3"}})
	if err != nil || res.Status == 0 {
		t.Errorf("h1 reaches h3 across VLANs (status %d, %v):\n%s", res.Status, err, res.Output)
	}
}
