package filter

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Random expressions on damaged frames, judged against tcpdump: what the
// fixed lists do not think of. FILTER_RANDOM=n runs n expressions (300
// by default); the seed is fixed, FILTER_SEED changes it.

// randomAtoms are primitives the generator combines.
var randomAtoms = []string{
	"tcp", "udp", "icmp", "icmp6", "ip", "ip6", "arp", "rarp", "sctp", "igmp", "pim", "vrrp", "ah", "esp",
	"stp", "ipx", "iso", "isis", "l1", "atalk", "pppoed", "vlan", "vlan 100", "vlan 200", "vlan 20",
	"port 53", "port 80", "tcp port 80", "udp port 53", "dst port 80", "src port 12345", "port 443",
	"portrange 50-60", "tcp portrange 1-1024", "host 10.0.0.1", "src host 10.0.0.2", "dst host 10.0.0.2",
	"net 10.0.0.0/8", "net 192.168", "host 2001:db8::1", "net 2001:db8::/32", "ip6 dst ff02::1",
	"ether host 00:11:22:33:44:55", "ether src 66:77:88:99:aa:bb", "ether broadcast", "ether multicast",
	"ip multicast", "ip6 multicast", "ether proto 0x800", `ether proto \arp`, "ip proto 17", "ip6 proto 58",
	"proto 6", "ip[9] = 6", "ip[0] & 0xf > 5", "tcp[13] & 2 != 0", "tcp[tcpflags] & tcp-ack != 0",
	"icmp[icmptype] = icmp-echo", "icmp6[icmp6type] = icmp6-echo", "udp[0:2] = 53", "ip[6:2] & 0x1fff != 0",
	"len > 100", "len < 60", "less 64", "greater 1000", "ether[12:2] = 0x8100", "ip6[6] = 44", "arp[7] = 1",
	"tcp[0:2] > 1000", "udp[4:2] > 10", "ip[2:2] > 40", "len - 14 = ip[2:2]", "4 * (ip[0] & 0xf) > 20",
	"ip[16] >= 224", "ether[0] & 1 != 0", "ip6[24] = 0xff", "tcp[12] >> 4 > 5",
}

// randomValues are what may repeat a qualified primitive ("port 53 or 80").
var randomValues = map[string][]string{
	"port":  {"80", "53", "443", "12345", "22"},
	"host":  {"10.0.0.2", "10.0.0.1", "192.168.1.10", "10.1.2.3"},
	"net":   {"10.1.0.0/16", "172.16.0.0/12", "192.168.1.0/24"},
	"ether": {"00:11:22:33:44:55", "ff:ff:ff:ff:ff:ff"},
}

// randomExpr builds an expression of about depth levels.
func randomExpr(r *rand.Rand, depth int) string {
	return boolExpr(r, depth, 6, randomAtom)
}

// boolExpr builds about depth levels of not, parentheses, and and or over
// leaves; of forms equally likely choices at each level, two are and, one
// not, one parentheses and the rest or.
func boolExpr(r *rand.Rand, depth, forms int, leaf func(*rand.Rand) string) string {
	if depth == 0 || r.IntN(3) == 0 {
		return leaf(r)
	}
	sub := func() string { return boolExpr(r, depth-1, forms, leaf) }
	switch r.IntN(forms) {
	case 0:
		return "not " + sub()
	case 1:
		return "(" + sub() + ")"
	case 2, 3:
		return sub() + " and " + sub()
	}
	return sub() + " or " + sub()
}

// randomAtom is a primitive, sometimes with repeated values, or a
// random comparison of arithmetic.
func randomAtom(r *rand.Rand) string {
	if r.IntN(5) == 0 {
		return randomArith(r, 2) + []string{" = ", " != ", " < ", " <= ", " > ", " >= "}[r.IntN(6)] + randomArith(r, 1)
	}
	a := randomAtoms[r.IntN(len(randomAtoms))]
	for kw, vals := range randomValues {
		if strings.Contains(a, kw+" ") && !strings.Contains(a, "[") && r.IntN(3) == 0 {
			op := []string{" or ", " and not ", " or "}[r.IntN(3)]
			return a + op + vals[r.IntN(len(vals))]
		}
	}
	return a
}

// randomLoads are byte accesses arithmetic draws on.
var randomLoads = []string{"ip[0]", "ip[9]", "ip[2:2]", "ip[6:2]", "ip[16]", "tcp[13]", "tcp[0:2]", "tcp[12]",
	"udp[0:2]", "udp[4:2]", "icmp[0]", "ether[12:2]", "ether[0]", "ether[14]", "ip6[6]", "ip6[40]", "ip6[4:2]",
	"icmp6[0]", "arp[7]", "len", "link[13]", "ether[60]", "igmp[0]", "sctp[2:2]", "ip[8]", "tcp[20:4]"}

// randomArith builds arithmetic of about depth levels.
func randomArith(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(3) == 0 {
		if r.IntN(2) == 0 {
			return randomLoads[r.IntN(len(randomLoads))]
		}
		return []string{"0", "1", "2", "4", "5", "6", "14", "0x0f", "0xf0", "0x800", "17", "80", "224", "0xffff", "3"}[r.IntN(15)]
	}
	ops := []string{" + ", " - ", " * ", " / ", " % ", " & ", " | ", " ^ ", " << ", " >> "}
	op := ops[r.IntN(len(ops))]
	l, rt := randomArith(r, depth-1), randomArith(r, depth-1)
	if r.IntN(3) == 0 {
		return "(" + l + op + rt + ")"
	}
	if r.IntN(8) == 0 {
		return "-" + l
	}
	return l + op + rt
}

// damaged returns the corpus frames, each also cut short at random and
// with a random byte changed.
func damaged(r *rand.Rand) []corpusFrame {
	var out []corpusFrame
	for _, f := range corpus() {
		out = append(out, f)
		if len(f.data) == 0 {
			continue
		}
		for range 2 {
			n := r.IntN(len(f.data))
			out = append(out, corpusFrame{fmt.Sprintf("%s cut at %d", f.name, n), f.data[:n]})
		}
		b := append([]byte(nil), f.data...)
		i := r.IntN(len(b))
		b[i] = byte(r.IntN(256))
		out = append(out, corpusFrame{fmt.Sprintf("%s with byte %d = %#x", f.name, i, b[i]), b})
	}
	return out
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func TestRandomAgainstTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	seed := uint64(envInt("FILTER_SEED", 1))
	r := rand.New(rand.NewPCG(seed, 9))
	frames := damaged(r)
	file := filepath.Join(t.TempDir(), "damaged.pcap")
	must(t, os.WriteFile(file, writePcap(frames), 0o644))
	data := make([][]byte, len(frames))
	for i, f := range frames {
		data[i] = f.data
	}
	exprs := make([]string, envInt("FILTER_RANDOM", 300))
	for i := range exprs {
		exprs[i] = randomExpr(r, 4)
	}
	agree := 0
	for _, v := range judgeFile(tcpdump, file, exprs, data) {
		switch {
		case (v.tcpdump == nil) != (v.compile == nil):
			t.Errorf("%q: tcpdump says %v, netlua %v", v.expr, v.tcpdump, v.compile)
		case v.compile == nil && fmt.Sprint(v.got) != fmt.Sprint(v.want):
			t.Errorf("%q: netlua and tcpdump disagree\n%s", v.expr, diffNames(v.got, v.want, frames))
		default:
			agree++
		}
	}
	t.Logf("seed %d: %d of %d random expressions agree with tcpdump over %d damaged frames", seed, agree, len(exprs), len(frames))
}
