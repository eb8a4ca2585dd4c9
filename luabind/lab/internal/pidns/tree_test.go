package pidns

import (
	"slices"
	"testing"
)

// Binds survive the exec step's argument; a path with a tab or newline
// is refused rather than split wrongly.
func TestBindsRoundTrip(t *testing.T) {
	binds := []Bind{{"run", "/run"}, {"etc/hosts", "/etc/hosts"}, {"var/lib/misc", "/var/lib/misc"}}
	s, err := encodeBinds(binds)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeBinds(s); !slices.Equal(got, binds) {
		t.Errorf("decoded %v, want %v", got, binds)
	}
	if got := decodeBinds(""); got != nil {
		t.Errorf("no binds decoded as %v", got)
	}
	for _, bad := range []Bind{{"a\tb", "/x"}, {"a", "/x\ny"}} {
		if _, err := encodeBinds([]Bind{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
