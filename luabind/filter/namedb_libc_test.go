package filter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/netlua/netlua/luabind/testlab"
)

// The name files as the C library reads them: tcpdump, in a mount
// namespace of the test's own where the test's files lie over /etc (an
// overlay), compiles each expression with names; netlua compiles it with
// a NameDB read from the same files. Both programs run on the corpus and
// must agree; an expression one refuses the other must refuse, in the
// same words.

// libcNameProgram runs tcpdump -dd on expr with dir's files over /etc.
func libcNameProgram(tcpdump, dir, expr string) ([]bpf.RawInstruction, error) {
	script := `mount -t overlay overlay -o lowerdir="$0":/etc /etc && exec "$1" -dd -- "$2"`
	return tcpdumpProgramCmd("unshare", "-m", "sh", "-c", script, dir, tcpdump, expr)
}

func TestNameFilesLikeTheCLibrary(t *testing.T) {
	testlab.Privileged(t) // a mount namespace
	tcpdump := tcpdumpPath(t)
	testlab.NeedTool(t, "unshare", "util-linux")
	dir := t.TempDir()
	protocols, err := os.ReadFile("testdata/protocols")
	must(t, err)
	files := map[string]string{"services": testServices, "protocols": string(protocols),
		"networks": testNetworks, "ethers": testEthers}
	for name, text := range files {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	db, err := ReadNameDB(NameFiles{Services: strings.NewReader(testServices), Protocols: strings.NewReader(string(protocols)),
		Networks: strings.NewReader(testNetworks), Ethers: strings.NewReader(testEthers)})
	must(t, err)
	exprs := []string{"net nosuch", "net zero", "ether host nosuch", "ether host dashed", "ether src lab",
		"net mixed", "net MIXED", "net bad", "ether host ALPHA", "port cmd", "udp port split", "tcp port bootps",
		"port HTTP", "udp port www", "portrange domain-http", "ip proto Tcp", "ip proto TCP"}
	for _, c := range namedExprs {
		exprs = append(exprs, c[0])
	}
	for name := range db.protos {
		exprs = append(exprs, `ip proto \`+name)
	}
	if _, err := libcNameProgram(tcpdump, dir, "tcp"); err != nil && strings.Contains(err.Error(), "overlay") {
		t.Skipf("no overlay file system to lay the test's files over /etc: %v", err)
	}
	frames := fileInputs(corpus())
	out := make([]string, len(exprs))
	parallel(len(exprs), func(i int) {
		want, werr := libcNameProgram(tcpdump, dir, exprs[i])
		p, err := CompileWith(exprs[i], Options{Resolve: testResolver, Names: db})
		out[i] = compareLibc(exprs[i], want, werr, p, err, frames)
	})
	for _, msg := range out {
		if msg != "" {
			t.Error(msg)
		}
	}
	t.Logf("%d expressions with names compile as tcpdump compiles them from the same files", len(exprs))
}

// compareLibc compares netlua's program or error with tcpdump's: the
// same instructions, or the same verdict on every frame.
func compareLibc(expr string, want []bpf.RawInstruction, werr error, p *Program, err error, frames []namedInput) string {
	switch {
	case werr != nil && err != nil:
		fe, _ := err.(*Error)
		if msg := strings.TrimPrefix(werr.Error(), "tcpdump: "); fe == nil || fe.Msg != msg {
			return fmt.Sprintf("%q: tcpdump says %q, netlua %v", expr, msg, err)
		}
		return ""
	case werr != nil || err != nil:
		return fmt.Sprintf("%q: tcpdump says %v, netlua %v", expr, werr, err)
	case p.Dump() == dump(want):
		return ""
	}
	for _, f := range frames {
		in := f.in
		if a, _ := run(want, &in); (a != 0) != p.Match(f.in.data) {
			return fmt.Sprintf("%q on %s: tcpdump %v, netlua %v\n%s", expr, f.name, a != 0, a == 0, p.Dump())
		}
	}
	return ""
}
