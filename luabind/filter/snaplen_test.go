package filter

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestSnaplenLikeTcpdump runs every expression on the corpus cut to a
// snapshot length, as a capture taken with tcpdump -s keeps it: len,
// less and greater must test the original length, as tcpdump -r does,
// and loads past the cut fail in both.
func TestSnaplenLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	frames := loadCorpus(t)
	const snaplen = 60
	file := filepath.Join(t.TempDir(), "cut.pcap")
	cut, cutCount := make([][]byte, len(frames)), 0
	records := make([]corpusFrame, len(frames))
	for i, f := range frames {
		cut[i] = f[:min(len(f), snaplen)]
		records[i].data = f
		if len(f) > snaplen {
			cutCount++
		}
	}
	// Written here, not with the pcap package, which imports filter.
	if err := os.WriteFile(file, writeCutPcap(records, snaplen), 0o644); err != nil {
		t.Fatal(err)
	}
	exprs := append(allExprs(), "len > 60", "len <= 60", "greater 61", "less 61", "len = 98", "len - 14 = ip[2:2]")
	agree := 0
	for _, v := range judgeFile(tcpdump, file, exprs, nil) {
		if v.tcpdump != nil || v.compile != nil {
			continue // TestMatchesTcpdump judges what compiles
		}
		p, _ := Compile(v.expr)
		var got []int
		for i, f := range cut {
			if p.MatchLen(f, len(frames[i])) {
				got = append(got, i)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(v.want) {
			t.Errorf("%q on frames cut to %d bytes: netlua selects %v, tcpdump %v\n%s", v.expr, snaplen, got, v.want, diffNames(got, v.want, corpus()))
			continue
		}
		agree++
	}
	t.Logf("%d of %d expressions select the same frames as tcpdump -r on the corpus cut to %d bytes (%d of %d frames cut)",
		agree, len(exprs), snaplen, cutCount, len(frames))
}
