package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// scripts/lab_show.lua: the matrix two unrouted subnets give (h3 alone
// is on both), glibc finding r1 in h1's private /etc/hosts, and a DOT
// file Graphviz lays out with the lab's 5 nodes and 4 links.
func TestLabShowScript(t *testing.T) {
	testlab.Privileged(t)
	dot := testlab.NeedTool(t, "dot", "graphviz")
	file := filepath.Join(t.TempDir(), "lab.dot")
	res := testlab.Run(t, "", "scripts/lab_show.lua", file)
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, want := range []string{
		"h1 -> h2 h3 X \nh2 -> h1 h3 X \nh3 -> h1 h2 r1 \nr1 -> X X X \n*** Results: 41% dropped (7/12 received)\n",
		"r1 (router)\n", "sw1 (switch)\n", "link h3:veth1 -- r1:veth0\n",
		"h1$ getent ahostsv4 r1 | head -1\n198.18.1.2      STREAM r1\n",
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Stdout)
		}
	}
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if nodes, edges := graphviz(t, dot, string(text)); len(nodes) != 5 || len(edges) != 4 {
		t.Errorf("graphviz lays out nodes %v and edges %v, want 5 and 4", nodes, edges)
	}
}
