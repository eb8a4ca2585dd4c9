package filter

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/netlua/netlua/luabind/testlab"
)

// Live programs judged against libpcap's: tcpdump -dd -i lo, in a
// network namespace of the test's own, prints what libpcap compiles for
// a live capture on Linux (the VLAN ancillary loads). Both programs run
// in netlua's interpreter on every corpus frame twice: as a file holds
// it (the tag in place, no metadata), and as a packet socket sees it
// (the outer tag of a tagged frame taken out into metadata), and on
// untagged frames with a tag in metadata only. They must answer alike.

// liveProgram is libpcap's program for expr on a live capture; args
// go to tcpdump (-O: without its optimizer).
func liveProgram(ip, tcpdump, expr string, args ...string) ([]bpf.RawInstruction, error) {
	script := `tcpdump=$1; shift; "$0" link set lo up && exec "$tcpdump" -dd -i lo "$@"`
	return tcpdumpProgramCmd("unshare", append(append([]string{"-n", "sh", "-c", script, ip, tcpdump}, args...), "--", expr)...)
}

// liveInputs are the frames as the kernel hands them to a live program.
func liveInputs(r *rand.Rand) []namedInput {
	var out []namedInput
	for _, f := range corpus() {
		out = append(out, namedInput{f.name + " (tag in place)", input{data: f.data, len: uint32(len(f.data)), aux: &aux{}}})
		if len(f.data) >= 18 {
			switch tpid := binary.BigEndian.Uint16(f.data[12:]); tpid {
			case ether8021Q, ether8021AD:
				untagged := append(append([]byte(nil), f.data[:12]...), f.data[16:]...)
				a := &aux{vlanPresent: true, vlanTCI: binary.BigEndian.Uint16(f.data[14:]), vlanTPID: tpid}
				out = append(out, namedInput{f.name + " (outer tag in metadata)", input{data: untagged, len: uint32(len(untagged)), aux: a}})
				continue
			}
		}
		a := &aux{vlanPresent: true, vlanTCI: uint16(r.IntN(1 << 16)), vlanTPID: ether8021Q}
		if r.IntN(2) == 0 {
			a.vlanTCI = 100 | 5<<13
		}
		out = append(out, namedInput{fmt.Sprintf("%s (tag %#x in metadata)", f.name, a.vlanTCI), input{data: f.data, len: uint32(len(f.data)), aux: a}})
	}
	return out
}

func TestLiveLikeLibpcap(t *testing.T) {
	testlab.Privileged(t) // a network namespace for tcpdump -i lo
	tcpdump := tcpdumpPath(t)
	ip := testlab.NeedTool(t, "ip", "iproute2")
	r := rand.New(rand.NewPCG(uint64(envInt("FILTER_SEED", 1)), 17))
	inputs := liveInputs(r)
	exprs := append([]string{"vlan and udp port 9999", "(ip or vlan) and udp", "vlan 100 and udp port 9999",
		"not vlan", "vlan or arp", "ip and vlan 100", "vlan and tcp[13] = 2", "vlan and ip[ip[0] & 0xf] = 1",
		"vlan and tcp[ip[0] & 3] = 1", "vlan and icmp6[0] = 128", "vlan and ip[-1] = 0", "1 = 1 or vlan", "(1 = 1 or vlan) and ip",
		"vlan and len > 80 and ether[12:2] = 0x800", "geneve and vlan 20", "geneve and vlan and udp port 53",
		"geneve and tcp port 80", "ip6 protochain 6", "protochain 17 and vlan"}, vlanExprs...)
	for range envInt("FILTER_DIFF", 200) {
		exprs = append(exprs, "vlan and "+diffExpr(r, 2), diffExpr(r, 3))
	}
	libpcap := func(expr string, args ...string) ([]bpf.RawInstruction, error) {
		return liveProgram(ip, tcpdump, expr, args...)
	}
	skip := func(v diffVerdict) bool { return v.unoptErr == nil && v.mineErr == nil && clobbersOffsets(v.unopt) }
	n := judgeAll(t, compileThree(libpcap, CompileLive, exprs), inputs, skip)
	t.Logf("%d live programs answer as libpcap's over %d inputs (%d refused by both; %d verdicts where libpcap's two programs differ; %d refused by netlua alone, see deadStoreLag; %d not judged, see clobbersOffsets)",
		n.agree, len(inputs), n.refused, n.split, n.known, n.skipped)
}

// clobbersOffsets reports whether libpcap's unoptimized live program
// keeps a variable offset in a scratch word that arithmetic before the
// vlan also used: libpcap allocates the word when it compiles the vlan,
// after that arithmetic freed it, so on a way past the vlan that skips
// its tests ("tcp[0] = 1 or vlan and ip[0] = 0x45") later loads add the
// arithmetic's value instead of 0. netlua keeps the offsets in words no
// arithmetic of a live program takes, and answers as the prologue means.
func clobbersOffsets(unopt []bpf.RawInstruction) bool {
	stores := map[uint32]bool{}
	for i, ins := range unopt {
		switch {
		case ins.Op == opLD|mABS|szB && ins.K == skfADVLANPresent:
			for _, next := range unopt[i+1:] {
				if next.Op == opLD|mMEM && stores[next.K] {
					return true
				}
				if next.Op == opLD|mABS|szH {
					return false // the tag test: past the offsets' updates
				}
			}
			return false
		case ins.Op == opST && i > 2: // past the prologue's zeros
			stores[ins.K] = true
		}
	}
	return false
}
