package rewrite

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// captures makes the test's captures with Scapy, in dir: IPv4 (TCP, UDP
// with and without a checksum, ICMP, a wrong checksum, an unmapped
// address), IPv6 (TCP, UDP, ICMPv6, a hop-by-hop header) and VLAN-tagged
// frames of both.
const captures = `
import sys
from scapy.all import *
d = sys.argv[1]
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
a, b, c = "198.18.0.7", "198.18.5.9", "198.19.200.1"
wrpcap(d + "/v4.pcap", [
    e/IP(src=a, dst=b)/TCP(sport=1234, dport=80, flags="S"),
    e/IP(src=b, dst=a, ttl=3)/TCP(sport=80, dport=1234, flags="SA")/Raw(b"hello"),
    e/IP(src=a, dst=b)/UDP(sport=5000, dport=53)/Raw(b"q" * 13),
    e/IP(src=a, dst=c)/UDP(sport=53, dport=7, chksum=0)/Raw(b"zero"),
    e/IP(src=a, dst=b)/ICMP(id=7, seq=1)/Raw(b"ping"),
    e/IP(src=c, dst=a)/TCP(sport=443, dport=80, chksum=0x1234),
    e/IP(src=a, dst=b, chksum=0x4321)/UDP(sport=9, dport=80),
])
a6, b6 = "2001:2::7", "2001:2:0:5::9"
wrpcap(d + "/v6.pcap", [
    e/IPv6(src=a6, dst=b6)/TCP(sport=1234, dport=80, flags="S"),
    e/IPv6(src=b6, dst=a6, hlim=5)/UDP(sport=53, dport=5000)/Raw(b"answer"),
    e/IPv6(src=a6, dst=b6)/ICMPv6EchoRequest(id=1, seq=2, data=b"ping6"),
    e/IPv6(src=a6, dst=b6)/IPv6ExtHdrHopByHop()/UDP(sport=5000, dport=53),
    e/IPv6(src=a6, dst=b6)/TCP(sport=80, dport=22, chksum=0xbeef),
])
wrpcap(d + "/vlan.pcap", [
    e/Dot1Q(vlan=10)/IP(src=a, dst=b)/UDP(sport=5000, dport=53)/Raw(b"q"),
    e/Dot1Q(vlan=10)/IPv6(src=a6, dst=b6)/TCP(sport=80, dport=1234, flags="A"),
    e/Dot1Q(vlan=10)/IP(src=b, dst=a)/ICMP(type=0),
])
`

func makeCaptures(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		testlab.NeedTool(t, "no-python3-at-/usr/bin", "python3-scapy")
	}
	dir := t.TempDir()
	if out, err := exec.Command(py, "-c", captures, dir).CombinedOutput(); err != nil {
		if bytes.Contains(out, []byte("No module named")) {
			testlab.NeedTool(t, "scapy", "python3-scapy")
		}
		t.Fatalf("scapy: %v\n%s", err, out)
	}
	return dir
}

// readFrames reads every frame of a capture file.
func readFrames(t *testing.T, name string) [][]byte {
	t.Helper()
	r, err := pcap.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var frames [][]byte
	for {
		b, _, err := r.Next(context.Background())
		if err == io.EOF {
			return frames
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, b)
	}
}

func mustMAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// The rewritten frames are byte for byte those tcprewrite makes from the
// same options, for every capture and every set of options.
func TestLikeTcprewrite(t *testing.T) {
	tcprewrite := testlab.NeedTool(t, "tcprewrite", "tcpreplay")
	dir := makeCaptures(t)
	v4map := Mapping{netip.MustParsePrefix("198.18.0.0/24"), netip.MustParsePrefix("198.19.0.0/24")}
	v4host := Mapping{netip.MustParsePrefix("198.19.200.1/32"), netip.MustParsePrefix("198.18.99.99/32")}
	v6map := Mapping{netip.MustParsePrefix("2001:2::/64"), netip.MustParsePrefix("2001:2:0:ff::/64")}
	ports := []PortMapping{{80, 8080}, {53, 5353}}
	cases := []struct {
		name string
		args []string
		opt  Options
	}{
		{"macs", []string{"--enet-smac=02:aa:00:00:00:01", "--enet-dmac=02:bb:00:00:00:02"},
			Options{SrcMAC: mustMAC("02:aa:00:00:00:01"), DstMAC: mustMAC("02:bb:00:00:00:02")}},
		{"pnat", []string{"--pnat=198.18.0.0/24:198.19.0.0/24,198.19.200.1/32:198.18.99.99/32,[2001:2::/64]:[2001:2:0:ff::/64]"},
			Options{IPMap: []Mapping{v4map, v4host, v6map}}},
		{"portmap", []string{"--portmap=80:8080,53:5353"}, Options{PortMap: ports}},
		{"ttl", []string{"--ttl=9"}, Options{TTL: 9}},
		{"fixcsum", []string{"--fixcsum"}, Options{FixChecksums: true}},
		{"all", []string{"--enet-smac=02:aa:00:00:00:01", "--enet-dmac=02:bb:00:00:00:02",
			"--pnat=198.18.0.0/24:198.19.0.0/24,[2001:2::/64]:[2001:2:0:ff::/64]", "--portmap=80:8080,53:5353", "--ttl=9", "--fixcsum"},
			Options{SrcMAC: mustMAC("02:aa:00:00:00:01"), DstMAC: mustMAC("02:bb:00:00:00:02"),
				IPMap: []Mapping{v4map, v6map}, PortMap: ports, TTL: 9, FixChecksums: true}},
	}
	for _, file := range []string{"v4.pcap", "v6.pcap", "vlan.pcap"} {
		in := readFrames(t, filepath.Join(dir, file))
		for _, c := range cases {
			t.Run(file+"/"+c.name, func(t *testing.T) {
				want := tcprewriteFrames(t, tcprewrite, filepath.Join(dir, file), c.args)
				fixed := want // tcprewrite's frames with --fixcsum too
				if !slices.Contains(c.args, "--fixcsum") {
					fixed = tcprewriteFrames(t, tcprewrite, filepath.Join(dir, file), append(c.args, "--fixcsum"))
				}
				if len(want) != len(in) {
					t.Fatalf("tcprewrite wrote %d frames of %d", len(want), len(in))
				}
				r, err := New(c.opt)
				if err != nil {
					t.Fatal(err)
				}
				for i, f := range in {
					got := append([]byte(nil), f...)
					if err := r.Frame(got); err != nil {
						t.Fatal(err)
					}
					if bug817(got, want[i]) {
						// tcprewrite 4.4.3 (Debian's) writes 33:33 multicast MACs
						// into IPv6 frames (appneta/tcpreplay#817, fixed by #793):
						// the MACs must be the options' (or the input's), the
						// rest tcprewrite's.
						t.Logf("frame %d: tcprewrite wrote multicast MACs into an IPv6 frame (tcpreplay#817)", i)
						want[i] = append(wantMACs(f, c.opt), want[i][12:]...)
					}
					if !bytes.Equal(got, want[i]) && icmp6(want[i]) && bytes.Equal(got[12:], fixed[i][12:]) {
						// tcprewrite leaves the ICMPv6 checksum as it was when it
						// maps addresses, which makes it wrong; ours is the one
						// tcprewrite --fixcsum makes.
						t.Logf("frame %d: tcprewrite left the ICMPv6 checksum stale; ours is --fixcsum's", i)
						continue
					}
					if !bytes.Equal(got, want[i]) {
						t.Errorf("frame %d:\n got %x\nwant %x\n  in %x", i, got, want[i], f)
					}
				}
			})
		}
	}
}

// tcprewriteFrames runs tcprewrite on file with args and reads its frames.
func tcprewriteFrames(t *testing.T, tcprewrite, file string, args []string) [][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.pcap")
	args = append([]string{"-i", file, "-o", out}, args...)
	if msg, err := exec.Command(tcprewrite, args...).CombinedOutput(); err != nil {
		t.Fatalf("tcprewrite %v: %v\n%s", args, err, msg)
	}
	return readFrames(t, out)
}

// icmp6 reports whether frame is an untagged IPv6 frame of ICMPv6.
func icmp6(frame []byte) bool {
	return len(frame) > 20 && frame[12] == 0x86 && frame[13] == 0xdd && frame[20] == 58
}

// bug817 reports whether tcprewrite's frame want is an IPv6 frame whose
// MACs it made 33:33 multicast ones where got's are not.
func bug817(got, want []byte) bool {
	return len(want) >= 14 && want[0] == 0x33 && want[1] == 0x33 && want[6] == 0x33 && want[7] == 0x33 &&
		(got[0] != 0x33 || got[6] != 0x33) && bytes.Contains(want[12:18], []byte{0x86, 0xdd})
}

// wantMACs is the MAC addresses of frame in after the options: theirs
// where given, the frame's own otherwise.
func wantMACs(in []byte, opt Options) []byte {
	macs := append([]byte(nil), in[:12]...)
	if opt.DstMAC != nil {
		copy(macs[0:6], opt.DstMAC)
	}
	if opt.SrcMAC != nil {
		copy(macs[6:12], opt.SrcMAC)
	}
	return macs
}
