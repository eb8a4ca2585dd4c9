package frame

import "testing"

// A layer alone builds as the list of that layer, as a packet alone does
// (it built nothing before send took layers alone).
func TestLuaBuildLayerAlone(t *testing.T) {
	out := runLua(t, `
		print(#f.build(f.udp{}), f.build(f.udp{ dport = 9 }) == f.build{ f.udp{ dport = 9 } })
	`)
	if want := "8\ttrue\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
