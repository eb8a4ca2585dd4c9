package filter

import (
	"os/exec"
	"testing"
)

// TestLabelDumpsLikeTcpdump holds the programs of mpls, llc, ip
// broadcast and protocol names to tcpdump -d's own instructions.
func TestLabelDumpsLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	for _, e := range labelExprs {
		if labelDumpsDiffer[e] {
			continue
		}
		want, err := exec.Command(tcpdump, "-d", "--", e).Output()
		if err != nil {
			t.Errorf("%q: tcpdump -d: %v", e, err)
			continue
		}
		p, err := Compile(e)
		if err != nil {
			t.Errorf("%q: %v", e, err)
			continue
		}
		if got := p.Dump(); got != string(want) {
			t.Errorf("%q:\nnetlua\n%s\ntcpdump -d\n%s", e, got, want)
		}
	}
}
