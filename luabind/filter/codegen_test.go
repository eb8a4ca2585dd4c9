package filter

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// tcpdumpDumps are what tcpdump -d prints for these expressions
// (libpcap 1.10.3); netlua prints the same, instruction for instruction.
var tcpdumpDumps = map[string]string{
	"ip": `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 3
(002) ret      #262144
(003) ret      #0
`,
	"tcp port 80": `(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 8
(002) ldb      [20]
(003) jeq      #0x6             jt 4	jf 19
(004) ldh      [54]
(005) jeq      #0x50            jt 18	jf 6
(006) ldh      [56]
(007) jeq      #0x50            jt 18	jf 19
(008) jeq      #0x800           jt 9	jf 19
(009) ldb      [23]
(010) jeq      #0x6             jt 11	jf 19
(011) ldh      [20]
(012) jset     #0x1fff          jt 19	jf 13
(013) ldxb     4*([14]&0xf)
(014) ldh      [x + 14]
(015) jeq      #0x50            jt 18	jf 16
(016) ldh      [x + 16]
(017) jeq      #0x50            jt 18	jf 19
(018) ret      #262144
(019) ret      #0
`,
	"vlan 100 and ip": `(000) ldh      [12]
(001) jeq      #0x8100          jt 4	jf 2
(002) jeq      #0x88a8          jt 4	jf 3
(003) jeq      #0x9100          jt 4	jf 10
(004) ldh      [14]
(005) and      #0xfff
(006) jeq      #0x64            jt 7	jf 10
(007) ldh      [16]
(008) jeq      #0x800           jt 9	jf 10
(009) ret      #262144
(010) ret      #0
`,
	"host 10.1": `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 8
(002) ld       [26]
(003) and      #0xffff0000
(004) jeq      #0xa010000       jt 16	jf 5
(005) ld       [30]
(006) and      #0xffff0000
(007) jeq      #0xa010000       jt 16	jf 17
(008) jeq      #0x806           jt 10	jf 9
(009) jeq      #0x8035          jt 10	jf 17
(010) ld       [28]
(011) and      #0xffff0000
(012) jeq      #0xa010000       jt 16	jf 13
(013) ld       [38]
(014) and      #0xffff0000
(015) jeq      #0xa010000       jt 16	jf 17
(016) ret      #262144
(017) ret      #0
`,
	"tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn": `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 11
(002) ldb      [23]
(003) jeq      #0x6             jt 4	jf 11
(004) ldh      [20]
(005) jset     #0x1fff          jt 11	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldb      [x + 27]
(008) and      #0x12
(009) jeq      #0x2             jt 10	jf 11
(010) ret      #262144
(011) ret      #0
`,
	"ether host 1:2:3:4:5:6": `(000) ld       [8]
(001) jeq      #0x3040506       jt 2	jf 4
(002) ldh      [6]
(003) jeq      #0x102           jt 8	jf 4
(004) ld       [2]
(005) jeq      #0x3040506       jt 6	jf 9
(006) ldh      [0]
(007) jeq      #0x102           jt 8	jf 9
(008) ret      #262144
(009) ret      #0
`,
	"ip or not ip": "(000) ret      #262144\n",
	"":             "(000) ret      #262144\n",
}

func TestDumpLikeTcpdump(t *testing.T) {
	for expr, want := range tcpdumpDumps {
		p, err := Compile(expr)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		if got := p.Dump(); got != want {
			t.Errorf("%q:\n%s\nwant (tcpdump -d):\n%s", expr, got, want)
		}
	}
}

// portFrame is an IPv4 TCP frame from port 40000 to dport.
func portFrame(dport uint16) []byte {
	return eth(macB, macA, 0x0800, v4("10.0.0.1", "10.0.0.2", 6, tcp(40000, dport, fSYN, nil)))
}

// TestFarJumps checks that a program longer than a conditional jump can
// reach gets its trampolines and still means the same.
func TestFarJumps(t *testing.T) {
	var ports []string
	for p := 1; p <= 300; p++ {
		ports = append(ports, fmt.Sprint(p))
	}
	p := MustCompile("tcp dst port " + strings.Join(ports, " or ") + " or icmp")
	if p.Len() < 300 || !strings.Contains(p.Dump(), " ja ") {
		t.Fatalf("%d instructions, trampolines: %v; want a program past the reach of jt/jf", p.Len(), strings.Contains(p.Dump(), " ja "))
	}
	vm := xnetVM(t, p)
	for _, port := range []uint16{1, 2, 75, 299, 300, 301, 400} {
		f := portFrame(port)
		want := port <= 300
		if got := p.Match(f); got != want {
			t.Errorf("port %d: Match = %v, want %v", port, got, want)
		}
		if n, _ := vm.Run(f); (n > 0) != want {
			t.Errorf("port %d: x/net/bpf says %d", port, n)
		}
	}
}

// xnetVM loads a program in x/net/bpf's VM, which checks jumps itself.
func xnetVM(t *testing.T, p *Program) *bpf.VM {
	t.Helper()
	insns, ok := bpf.Disassemble(p.Raw())
	if !ok {
		t.Fatal("x/net/bpf cannot disassemble the program")
	}
	vm, err := bpf.NewVM(insns)
	if err != nil {
		t.Fatal(err)
	}
	return vm
}

// hostList is "a or b or ..." of n addresses.
func hostList(n int) string {
	var hosts []string
	for i := 0; i < n; i++ {
		hosts = append(hosts, fmt.Sprintf("10.%d.%d.1", i/250, i%250))
	}
	return strings.Join(hosts, " or ")
}

func TestTooLong(t *testing.T) {
	for _, tc := range []struct {
		hosts int
		want  string
	}{
		{800, "the kernel takes 1 to 4096"},
		{5000, "the expression is too long"},
	} {
		_, err := Compile("host " + hostList(tc.hosts))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d hosts: got %v, want an error saying %q", tc.hosts, err, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	ret := bpf.RawInstruction{Op: opRET, K: 1}
	for name, prog := range map[string][]bpf.RawInstruction{
		"empty":               nil,
		"no return":           {ldAbs(2, 12)},
		"jump past end":       {{Op: opJMP | jJEQ, Jt: 0, Jf: 3}, ret},
		"ja past end":         {{Op: opJMP | jJA, K: 5}, ret},
		"div by zero":         {aluK(aluDIV, 0), ret},
		"unknown opcode":      {{Op: 0xff}, ret},
		"unset scratch":       {ldMem(3), ret},
		"scratch range":       {st(16), ret},
		"scratch on one path": {{Op: opJMP | jJEQ, Jt: 0, Jf: 1}, st(2), ldMem(2), ret},
	} {
		if err := validate(prog); err == nil {
			t.Errorf("%s: validate accepts it", name)
		}
	}
	good := []bpf.RawInstruction{ldAbs(2, 12), st(0), ldMem(0), {Op: opJMP | jJEQ, K: 0x800, Jt: 0, Jf: 1}, ret, {Op: opRET}}
	if err := validate(good); err != nil {
		t.Errorf("a good program: %v", err)
	}
}

// TestShortFrames checks the rule every filter follows: a load past the
// end of the frame rejects it, whatever the rest says.
func TestShortFrames(t *testing.T) {
	for _, tc := range []struct {
		expr  string
		frame []byte
		want  bool
	}{
		{"", nil, true},
		{"less 100", nil, true},
		{"not ip", make([]byte, 10), false},
		{"not ip", make([]byte, 14), true},
		{"arp or less 20", make([]byte, 10), false},
		{"less 20 or arp", make([]byte, 10), true},
		{"ether[100] & 0 = 0", nil, true},
		{"ether[0xfffff000] = 0", make([]byte, 64), false},
		{"ip[0xfffffff0] = 0", portFrame(80), false},
	} {
		if got := MustCompile(tc.expr).Match(tc.frame); got != tc.want {
			t.Errorf("%q on %d bytes: %v, want %v", tc.expr, len(tc.frame), got, tc.want)
		}
	}
}
