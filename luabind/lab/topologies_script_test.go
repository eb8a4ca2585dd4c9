package lab

import (
	"regexp"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// scripts/lab_topologies.lua builds each topology, and the kernel's ping
// gets an answer from every host to every other, IPv4 and IPv6.
func TestLabTopologiesScript(t *testing.T) {
	testlab.Privileged(t)
	res := testlab.Run(t, "", "scripts/lab_topologies.lua")
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	var got []string
	for _, m := range regexp.MustCompile(`pings answered: (\d+) of (\d+)`).FindAllStringSubmatch(res.Stdout, -1) {
		got = append(got, m[1]+"/"+m[2])
	}
	if want := "12/12 24/24 24/24 24/24 24/24 12/12"; strings.Join(got, " ") != want {
		t.Errorf("pings answered %v, want %s\n%s", got, want, res.Stdout)
	}
	for _, want := range []string{
		"  h4  host   veth0 198.18.0.4/24 2001:2::4/64\n",
		"  r1  router veth0 198.18.0.2/24 2001:2::2/64, veth1 198.18.1.2/24 2001:2:0:1::2/64, veth2 198.18.2.2/24 2001:2:0:2::2/64\n",
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Stdout)
		}
	}
}
