package frame

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRawIPLinkTypesTcpdump writes IPv4 and IPv6 packets in captures of
// link types 228 (IPv4) and 229 (IPv6), each in both, and reads them with
// tcpdump: netlua's first layer is the one tcpdump prints ("IP " or
// "IP6 "), by the version nibble, as for LINKTYPE_IPV6_invalid.pcap.
func TestRawIPLinkTypesTcpdump(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Skip("tcpdump not installed")
	}
	v4 := Build(layerOf(t, IPv4, "src", "198.18.0.1", "dst", "198.18.0.2"), NewLayer(UDP))
	v6 := Build(layerOf(t, IPv6, "src", "2001:2::1", "dst", "2001:2::2"), NewLayer(UDP))
	frames := [][]byte{v4, v6}
	for _, lt := range []uint32{228, 229} {
		for i, line := range tcpdumpLines(t, tcpdump, lt, frames) {
			first, err := ForLinkType(lt, frames[i])
			if err != nil {
				t.Fatal(err)
			}
			want := "ipv4"
			if strings.Contains(line, " IP6 ") {
				want = "ipv6"
			}
			if first.Name != want {
				t.Errorf("link type %d frame %d: tcpdump %q, parse starts with %s", lt, i, line, first.Name)
			}
		}
	}
}

// layerOf is a layer of p with fields set from name, value pairs.
func layerOf(t *testing.T, p *Proto, kv ...any) *Layer {
	t.Helper()
	l := NewLayer(p)
	for i := 0; i+1 < len(kv); i += 2 {
		if err := l.Set(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return l
}
