package lab

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// mustLAN joins hosts on a LAN in l.
func mustLAN(t *testing.T, l *Lab, hosts ...*Host) []*End {
	t.Helper()
	ends, err := l.LAN(hosts)
	if err != nil {
		t.Fatal(err)
	}
	return ends
}

// Three hosts on one LAN share a /24, reach each other through the
// switch's bridge, and the switch's ports are its ports.
func TestLANJoinsHosts(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	hosts := []*Host{mustHost(t, l, "v"), mustHost(t, l, "g"), mustHost(t, l, "x")}
	ends := mustLAN(t, l, hosts...)
	for i, want := range []string{"198.18.0.1/24", "198.18.0.2/24", "198.18.0.3/24"} {
		if e := ends[i]; e.Addr.String() != want || e.Host != hosts[i] || e.Ifname != "veth0" {
			t.Errorf("end %d: %s, want %s veth0 %s", i, e, hosts[i].Name(), want)
		}
	}
	run(t, hosts[0], "ping", "-c1", "-W1", "198.18.0.3")
	run(t, hosts[2], "ping", "-c1", "-W1", "198.18.0.2")

	sw := l.Hosts()[3]
	if sw.Name() != "sw1" || len(sw.Ends()) != 3 {
		t.Fatalf("the switch is %s with %d ends, want sw1 with 3", sw.Name(), len(sw.Ends()))
	}
	out := run(t, sw, "ip", "-o", "link", "show", "master", "br0")
	for _, p := range sw.Ends() {
		if !strings.Contains(out, " "+p.Ifname+"@") || p.Addr.IsValid() || p.Peer.Peer != p {
			t.Errorf("port %s: not a port of br0, or addressed (%s):\n%s", p.Ifname, p, out)
		}
	}
	if out := run(t, sw, "ip", "-o", "-4", "addr"); strings.Contains(out, "198.18.") {
		t.Errorf("the switch has addresses:\n%s", out)
	}
}

// A second LAN gets the next switch name and the next /24.
func TestLANSecondSwitch(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b := mustHost(t, l, "a"), mustHost(t, l, "b")
	mustLAN(t, l, a, b)
	ends := mustLAN(t, l, b, a)
	if got := l.Hosts()[3].Name(); got != "sw2" {
		t.Errorf("the second switch is %s, want sw2", got)
	}
	if ends[0].Addr.String() != "198.18.1.1/24" || ends[0].Ifname != "veth1" {
		t.Errorf("b's end on the second LAN is %s", ends[0])
	}
}

func TestLANRefuses(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a := mustHost(t, l, "a")
	tests := []struct {
		hosts []*Host
		want  string
	}{
		{[]*Host{a}, "a LAN joins 2 to 250 hosts, not 1"},
		{[]*Host{a, a}, "a is on the LAN twice"},
	}
	for _, tt := range tests {
		if _, err := l.LAN(tt.hosts); err == nil || err.Error() != tt.want {
			t.Errorf("LAN(%d hosts) = %v, want %q", len(tt.hosts), err, tt.want)
		}
	}
	if len(l.Hosts()) != 1 {
		t.Errorf("a refused LAN made hosts: %d", len(l.Hosts()))
	}
}
