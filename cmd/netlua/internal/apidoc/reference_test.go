package apidoc

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind"
)

func TestDocUnknownModule(t *testing.T) {
	var out, errb strings.Builder
	if code := Main([]string{"nosuch"}, modules.All(), &out, &errb); code != cli.ExitUsage {
		t.Errorf("status %d, want %d", code, cli.ExitUsage)
	}
	msg := errb.String()
	if !strings.Contains(msg, "no module 'nosuch' (have: filter, frame, ") {
		t.Errorf("message %q", msg)
	}
	for _, m := range luabind.NewSet(modules.All()...).Modules() {
		if !strings.Contains(msg, m.Name) {
			t.Errorf("message does not offer %s: %q", m.Name, msg)
		}
	}
}

// Every registered module has a reference listing all it registers, and
// each function, global and method can be asked for by name.
func TestDocEveryModule(t *testing.T) {
	var index, errb strings.Builder
	if code := Main(nil, modules.All(), &index, &errb); code != cli.ExitOK {
		t.Fatalf("netlua doc: status %d: %s", code, errb.String())
	}
	for _, m := range luabind.NewSet(modules.All()...).Modules() {
		if !strings.Contains(index.String(), m.Name+" ") {
			t.Errorf("netlua doc does not list %s", m.Name)
		}
		var out strings.Builder
		if code := Main([]string{m.Name}, modules.All(), &out, &errb); code != cli.ExitOK {
			t.Errorf("netlua doc %s: status %d: %s", m.Name, code, errb.String())
			continue
		}
		var names []string
		for _, f := range append(append([]luabind.Func{}, m.Funcs...), m.Globals...) {
			names = append(names, f.Name)
			docName(t, m.Name+"."+f.Name, f.Sig)
		}
		for _, ty := range m.Types {
			names = append(names, ty.Name)
			for _, f := range ty.Methods {
				names = append(names, f.Sig)
			}
		}
		for _, n := range names {
			if !strings.Contains(out.String(), n) {
				t.Errorf("netlua doc %s lacks %s", m.Name, n)
			}
		}
	}
}

// docName runs netlua doc MODULE.NAME and checks that it shows want.
func docName(t *testing.T, arg, want string) {
	t.Helper()
	var out, errb strings.Builder
	if code := Main([]string{arg}, modules.All(), &out, &errb); code != cli.ExitOK || !strings.Contains(out.String(), want) {
		t.Errorf("netlua doc %s: status %d, output %q, want %q", arg, code, out.String(), want)
	}
}

func TestDocNoSuchName(t *testing.T) {
	var out, errb strings.Builder
	if code := Main([]string{"packet.nosuch"}, modules.All(), &out, &errb); code != cli.ExitUsage {
		t.Errorf("status %d", code)
	}
	if !strings.Contains(errb.String(), `module packet has no "nosuch"`) {
		t.Errorf("message %q", errb.String())
	}
	docName(t, "packet.recv", "socket:recv([timeout])")
	docName(t, "packet.socket", "send")
}

// A mistake in netlua doc's arguments says what it is.
func TestDocUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--frob"}, "netlua doc: unknown option --frob"},
		{[]string{"packet", "frame"}, "netlua doc: one name at a time, got packet frame"},
		{[]string{"--stubs"}, "netlua doc: --stubs needs one directory"},
	} {
		var out, errb strings.Builder
		if code := Main(tt.args, modules.All(), &out, &errb); code != cli.ExitUsage || !strings.Contains(errb.String(), tt.want) ||
			!strings.Contains(errb.String(), "usage: netlua doc") {
			t.Errorf("netlua doc %v: status %d, stderr %q; want %d and %q with the usage", tt.args, code, errb.String(), cli.ExitUsage, tt.want)
		}
	}
}
