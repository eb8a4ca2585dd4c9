package lab

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// specString is a Spec as one line: nodes, then links.
func specString(s Spec) string {
	var links []string
	for _, l := range s.Links {
		links = append(links, l.A+"-"+l.B)
	}
	return fmt.Sprintf("hosts %s switches %s routers %s links %s", strings.Join(s.Hosts, ","),
		strings.Join(s.Switches, ","), strings.Join(s.Routers, ","), strings.Join(links, " "))
}

// The builders name and link nodes as Mininet's topologies do
// (mininet/topo.py and topolib.py: SingleSwitchTopo, LinearTopo,
// TreeTopo, whose addTree numbers switches in preorder).
func TestSpecs(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"single,3", Single(3), "hosts h1,h2,h3 switches s1 routers  links h1-s1 h2-s1 h3-s1"},
		{"linear,3", Linear(3), "hosts h1,h2,h3 switches s1,s2,s3 routers  links h1-s1 h2-s2 s1-s2 h3-s3 s2-s3"},
		{"tree,2,2", Tree(2, 2), "hosts h1,h2,h3,h4 switches s1,s2,s3 routers  links s2-h1 s2-h2 s1-s2 s3-h3 s3-h4 s1-s3"},
		{"ring,3", Ring(3), "hosts h1,h2,h3 switches  routers r1,r2,r3 links h1-r1 h2-r2 h3-r3 r1-r2 r2-r3 r3-r1"},
		{"dumbbell,1,2", Dumbbell(1, 2, nil), "hosts h1,h2,h3 switches s1,s2 routers r1,r2 links r1-s1 r2-s2 r1-r2 h1-s1 h2-s2 h3-s2"},
	}
	for _, tt := range tests {
		if got := specString(tt.spec); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// build builds s in a fresh lab.
func build(t *testing.T, s Spec) *Lab {
	t.Helper()
	l := testLab(t, Config{})
	if err := l.Build(s, nil); err != nil {
		t.Fatal(err)
	}
	return l
}

// reachAll fails the test unless every host (not switch, not router) of
// l pings every other, at its IPv4 and its IPv6 address: the kernel's
// own ping is the oracle.
func reachAll(t *testing.T, l *Lab) {
	t.Helper()
	var hosts []*Host
	for _, h := range l.Hosts() {
		if h.Kind() == "host" {
			hosts = append(hosts, h)
		}
	}
	for _, a := range hosts {
		for _, b := range hosts {
			if a != b {
				e := b.Ends()[0]
				pings(t, a, e.Addr.Addr().String(), e.Addr6.Addr().String())
			}
		}
	}
}

func TestBuildMininet(t *testing.T) {
	testlab.Privileged(t)
	for _, tt := range []struct {
		name string
		spec Spec
	}{
		{"single,3", Single(3)},
		{"linear,4", Linear(4)},
		{"tree,depth=2,fanout=2", Tree(2, 2)},
		{"ring,4", Ring(4)},
		{"dumbbell,2,2", Dumbbell(2, 2, nil)},
	} {
		t.Run(tt.name, func(t *testing.T) { reachAll(t, build(t, tt.spec)) })
	}
}

// A switched topology is one subnet: no routes at all.
func TestBuildTreeOneSubnet(t *testing.T) {
	testlab.Privileged(t)
	l := build(t, Tree(2, 2))
	for i := 1; i <= 4; i++ {
		h := l.Named(fmt.Sprintf("h%d", i))
		if got := h.Ends()[0].Addr.String(); got != fmt.Sprintf("198.18.0.%d/24", i) {
			t.Errorf("h%d is %s", i, got)
		}
		if rs := kernelRoutes(t, h); len(rs) != 0 {
			t.Errorf("h%d has static routes: %v", i, rs)
		}
	}
}

// endTo is x's end on its link to y.
func endTo(t *testing.T, x, y *Host) *End {
	t.Helper()
	for _, e := range x.Ends() {
		if e.Peer.Host == y {
			return e
		}
	}
	t.Fatalf("%s has no link to %s", x.Name(), y.Name())
	return nil
}

// In a ring of five routers, each router's routes take the shorter way
// round, as the kernel lists them.
func TestBuildRingShortestPaths(t *testing.T) {
	testlab.Privileged(t)
	l := build(t, Ring(5))
	r1, r2, r5 := l.Named("r1"), l.Named("r2"), l.Named("r5")
	routes := strings.Join(kernelRoutes(t, r1), "\n")
	for host, via := range map[string]*End{"h3": endTo(t, r2, r1), "h4": endTo(t, r5, r1)} {
		e := l.Named(host).Ends()[0]
		for _, want := range []string{
			e.Addr.Masked().String() + " via " + via.Addr.Addr().String(),
			e.Addr6.Masked().String() + " via " + via.Addr6.Addr().String(),
		} {
			if !strings.Contains(routes+"\n", want+"\n") {
				t.Errorf("r1 has no route %s:\n%s", want, routes)
			}
		}
	}
	if n := len(kernelRoutes(t, r1)); n != 2*(10-3) {
		t.Errorf("r1 has %d static routes, want %d (7 subnets it is not on, IPv4 and IPv6)", n, 2*7)
	}
}

// Build names what it cannot link.
func TestBuildRefuses(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	err := l.Build(Spec{Hosts: []string{"h1"}, Links: []LinkSpec{{A: "h1", B: "s9"}}}, nil)
	if want := "link h1 - s9: no node called s9"; err == nil || err.Error() != want {
		t.Errorf("Build = %v, want %q", err, want)
	}
}

// A 10-host tree builds in under 2 s and tears down in under 1 s on CI
// (asserted with a margin for a loaded machine; the times are logged).
func TestBuildTreeTimes(t *testing.T) {
	testlab.Privileged(t)
	for _, tt := range []struct{ depth, fanout int }{{1, 10}, {2, 7}} {
		l := testLab(t, Config{})
		start := time.Now()
		if err := l.Build(Tree(tt.depth, tt.fanout), nil); err != nil {
			t.Fatal(err)
		}
		built := time.Since(start)
		start = time.Now()
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		closed := time.Since(start)
		t.Logf("tree,depth=%d,fanout=%d (%d hosts, %d namespaces): built in %v, torn down in %v",
			tt.depth, tt.fanout, len(Tree(tt.depth, tt.fanout).Hosts), len(l.Hosts()), built, closed)
		if built > 10*time.Second || closed > 10*time.Second {
			t.Errorf("too slow: built in %v, torn down in %v", built, closed)
		}
	}
}
