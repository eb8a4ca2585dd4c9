package luabind_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// The shape the runtime rests on: what modules share is the runtime's (or
// in luabind/internal), never another module's, and the cores know
// nothing of Lua.
var (
	// modules are the module packages no other package may import: their
	// shared pieces (the netns argument, the socket core, nft's rules)
	// live elsewhere. The codecs frame, filter and pcap may be imported
	// for their Go API.
	modules = []string{"lab", "nft", "nfqueue", "netlink", "rawip", "packet", "proc"}
	// luaFree are the packages that must not depend on gopher-lua.
	luaFree = []string{"ledger", "internal/child", "internal/gopanic", "internal/netns", "internal/sock", "internal/nftcore"}
)

const (
	modulePath = "github.com/netlua/netlua/"
	gopherLua  = "github.com/yuin/gopher-lua"
)

// A listed package is what go list says of one package under luabind
// (non-test code).
type listed struct {
	imports []string // direct
	deps    []string // all, transitively
}

// listPackages lists the packages under luabind by their path below it.
func listPackages(t *testing.T) map[string]listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{join .Imports \" \"}}\t{{join .Deps \" \"}}", "./luabind/...")
	cmd.Dir = testlab.Root()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]listed{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("go list line %q", line)
		}
		pkgs[strings.TrimPrefix(f[0], modulePath+"luabind/")] = listed{imports: strings.Fields(f[1]), deps: strings.Fields(f[2])}
	}
	return pkgs
}

func TestNoPackageImportsAModule(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < len(modules) {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for pkg, p := range pkgs {
		for _, m := range modules {
			// A module's own subpackages (lab/labtest) may use it.
			if slices.Contains(p.imports, modulePath+"luabind/"+m) && !strings.HasPrefix(pkg, m+"/") {
				t.Errorf("luabind/%s imports the module package luabind/%s", pkg, m)
			}
		}
	}
}

func TestCoresAreLuaFree(t *testing.T) {
	pkgs := listPackages(t)
	for _, pkg := range luaFree {
		p, ok := pkgs[pkg]
		if !ok {
			t.Errorf("no package luabind/%s", pkg)
			continue
		}
		if slices.Contains(p.deps, gopherLua) {
			t.Errorf("luabind/%s depends on gopher-lua", pkg)
		}
	}
}
