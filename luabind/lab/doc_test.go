package lab

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
)

// Every method is documented under its own type: lab.end's methods read
// end:..., not host:....
func TestMethodsNameTheirType(t *testing.T) {
	m, ok := luabind.NewSet(luaModules()...).Lookup("lab")
	if !ok {
		t.Fatal("no lab module")
	}
	for _, typ := range m.Types {
		self := typ.Name[strings.LastIndex(typ.Name, ".")+1:] + ":"
		for _, f := range typ.Methods {
			if !strings.HasPrefix(f.Sig, self+f.Name+"(") {
				t.Errorf("%s method %s: signature %q, want %s%s(...)", typ.Name, f.Name, f.Sig, self, f.Name)
			}
		}
	}
}
