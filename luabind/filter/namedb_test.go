package filter

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Network and MAC address names, looked up in a NameDB the test gives,
// never the machine's files: each expression must compile to tcpdump
// -d's program for the expression with the network or address written
// out, and select the corpus frames tcpdump -r selects for that. How
// the C library reads the files (case, padding, bad lines) was taken
// from tcpdump 4.99.3 reading these very files (bound over /etc in a
// private mount namespace).

const (
	testNetworks = `# name number aliases
ten      10          tenalias   # fewer than four parts: 10.0.0.0
tennet   10.0.0.0
lab      192.168.1
short    0.10                   # 0.10.0.0, left-justified: 10.0.0.0/24
eight    0.0.10                 # 0.0.10.0: 10.0.0.0/16
Mixed    172.16.5.0
zero     0.0.0.0                # network 0: no network
bad      1.2.3.4.5              # does not read: 255.255.255.255
ten      11                     # the first entry of a name wins
`
	testEthers = `00:11:22:33:44:55 alpha
66:77:88:99:aa:bb Beta
2:0:0:0:0:1       lab1 # one-digit bytes
02-00-00-00-00-03 dashed        # not ether_aton's form: skipped
00:11:22:33:44:56 alpha
`
	testServices = `http     80/tcp   www
domain   53/tcp
domain   53/udp
bootps   67/udp
shell    514/tcp  cmd
syslog   514/udp
split    600/tcp
split    601/udp
`
	testProtocols = "ip 0 IP\nhopopt 0 HOPOPT\ntcp 6 TCP\nudp 17 UDP\nipv6-icmp 58 IPv6-ICMP\nmptcp 262 MPTCP\n"
)

// testNames is the NameDB of the tests.
var testNames = func() *NameDB {
	db, err := ReadNameDB(NameFiles{Services: strings.NewReader(testServices),
		Protocols: strings.NewReader(testProtocols), Networks: strings.NewReader(testNetworks),
		Ethers: strings.NewReader(testEthers)})
	if err != nil {
		panic(err)
	}
	return db
}()

// testOptions are the options of a compile that asks nothing of the machine.
var testOptions = Options{Resolve: testResolver, Names: testNames}

// namedExprs pairs an expression with names and the one tcpdump
// compiles the same.
var namedExprs = [][2]string{
	{"net ten", "net 10.0.0.0"},
	{"net TENALIAS", "net 10.0.0.0"},
	{"src net tennet", "src net 10.0.0.0"},
	{"net lab", "net 192.168.1.0"},
	{"net short", "net 10.0.0.0/24"},
	{"dst net eight", "dst net 10.0.0.0/16"},
	{"ip net eight and udp", "ip net 10.0.0.0/16 and udp"},
	{"arp net eight", "arp net 10.0.0.0/16"},
	{"net mixed or lab", "net 172.16.5.0 or net 192.168.1.0"},
	{"net bad", "net 255.255.255.255"},
	{"vlan and net eight", "vlan and net 10.0.0.0/16"},
	{"mpls and net eight", "mpls and net 10.0.0.0/16"},
	{"not net eight", "not net 10.0.0.0/16"},
	{"ether host alpha", "ether host 00:11:22:33:44:55"},
	{"ether src BETA", "ether src 66:77:88:99:aa:bb"},
	{"ether dst beta and ip", "ether dst 66:77:88:99:aa:bb and ip"},
	{"ether src and dst lab1", "ether src and dst 02:00:00:00:00:01"},
	{"ether host alpha or beta", "ether host 00:11:22:33:44:55 or ether host 66:77:88:99:aa:bb"},
	{"mpls and ether host beta", "mpls and ether host 66:77:88:99:aa:bb"},
	{"tcp port www", "tcp port 80"},
	{"port domain", "port 53"},
	{"port split", "tcp port 600"},
	{"dst port cmd or syslog", "tcp dst port 514 or udp dst port 514"},
	{"tcp portrange domain-http", "tcp portrange 53-80"},
	{"ip proto HOPOPT", "ip proto 0"},
	{"ip6 proto ipv6-icmp", "ip6 proto 58"},
	{"proto mptcp", "proto 262"},
}

func TestNamesLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	frames := loadCorpus(t)
	out := make([]string, len(namedExprs))
	parallel(len(namedExprs), func(i int) { out[i] = judgeNamed(tcpdump, namedExprs[i], frames) })
	for _, msg := range out {
		if msg != "" {
			t.Error(msg)
		}
	}
}

// judgeNamed compares c[0], with names, to c[1] as tcpdump compiles and
// runs it; it returns what differs.
func judgeNamed(tcpdump string, c [2]string, frames [][]byte) string {
	p, err := CompileWith(c[0], testOptions)
	if err != nil {
		return fmt.Sprintf("%q: %v", c[0], err)
	}
	want, err := exec.Command(tcpdump, "-d", "--", c[1]).Output()
	if err != nil {
		return fmt.Sprintf("%q: tcpdump -d: %v", c[1], err)
	}
	if got := p.Dump(); got != string(want) {
		// Where netlua lays the written-out expression out otherwise
		// than libpcap (TestDumpsLikeTcpdump counts those), the names
		// must still give the very program of the numbers.
		written, err := Compile(c[1])
		if err != nil || written.Dump() == string(want) || got != written.Dump() {
			return fmt.Sprintf("%q:\nnetlua\n%s\ntcpdump -d %q\n%s", c[0], got, c[1], want)
		}
	}
	sel, err := tcpdumpSelects(tcpdump, corpusFile, c[1])
	if err != nil {
		return fmt.Sprintf("%q: tcpdump -r: %v", c[1], err)
	}
	if got := netluaSelects(p, frames); fmt.Sprint(got) != fmt.Sprint(sel) {
		return fmt.Sprintf("%q selects %v, tcpdump %v for %q", c[0], got, sel, c[1])
	}
	return ""
}

// TestNameErrors holds the errors of names to libpcap's words, as
// tcpdump printed them for the same files.
func TestNameErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"net nosuch", "filter: unknown network 'nosuch' at column 5"},
		{"net zero", "filter: unknown network 'zero' at column 5"},
		{"ip6 net ten", "filter: 'ip6' modifier applied to ip host at column 9"},
		{"ether net ten", "filter: link-layer modifier applied to net at column 11"},
		{"tcp net tennet", "filter: 'tcp' modifier applied to net at column 9"},
		{"ether host nosuch", "filter: unknown ether host 'nosuch' at column 12"},
		{"ether host dashed", "filter: unknown ether host 'dashed' at column 12"},
		{"ether src lab", "filter: unknown ether host 'lab' at column 11"},
		{"pppoes and ether host alpha", "filter: only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name at column 23"},
		{"host alpha", "filter: unknown host 'alpha' at column 6"},
		{"port HTTP", "filter: unknown port 'HTTP' at column 6"},
		{"udp port www", "filter: port 'www' is tcp at column 10"},
		{"tcp port bootps", "filter: port 'bootps' is udp at column 10"},
		{"udp port split", "filter: port 'split' is tcp at column 10"},
		{"ip proto Tcp", "filter: unknown ip proto 'Tcp' at column 10"},
		{"ip proto gre", "filter: unknown ip proto 'gre' at column 10"},
	} {
		_, err := CompileWith(tc.in, testOptions)
		var fe *Error
		if !errors.As(err, &fe) || err.Error() != tc.want || fe.Expr != tc.in || errors.Is(err, ErrUnsupported) {
			t.Errorf("CompileWith(%q)\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

// TestProtocolNamesLikeTcpdump compiles "ip proto NAME", "ip6 proto
// NAME" and "proto NAME" for every name and alias of
// testdata/protocols (Debian's netbase list, mptcp's 262 among them) to
// tcpdump -d's program for the number.
func TestProtocolNamesLikeTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	data, err := os.ReadFile("testdata/protocols")
	if err != nil {
		t.Fatal(err)
	}
	db, err := ReadNameDB(NameFiles{Protocols: strings.NewReader(string(data))})
	if err != nil {
		t.Fatal(err)
	}
	forms := []string{"ip proto ", "ip6 proto ", "proto "}
	var numbers []uint32
	seen := map[uint32]bool{}
	for _, n := range db.protos {
		if !seen[n] {
			seen[n] = true
			numbers = append(numbers, n)
		}
	}
	want := make([]string, len(numbers)*len(forms))
	parallel(len(want), func(i int) {
		expr := fmt.Sprint(forms[i%len(forms)], numbers[i/len(forms)])
		out, err := exec.Command(tcpdump, "-d", "--", expr).Output()
		want[i] = string(out)
		if err != nil {
			want[i] = err.Error()
		}
	})
	index := map[uint32]int{}
	for i, n := range numbers {
		index[n] = i
	}
	for name, n := range db.protos {
		for f, form := range forms {
			expr := form + `\` + name
			p, err := CompileWith(expr, Options{Resolve: testResolver, Names: db})
			if err != nil {
				t.Errorf("%q: %v", expr, err)
				continue
			}
			if w := want[index[n]*len(forms)+f]; p.Dump() != w {
				t.Errorf("%q:\nnetlua\n%s\ntcpdump -d %q\n%s", expr, p.Dump(), fmt.Sprint(form, n), w)
			}
		}
	}
	if len(db.protos) < 100 {
		t.Errorf("testdata/protocols gives %d names and aliases; want Debian's 130 or so", len(db.protos))
	}
}
