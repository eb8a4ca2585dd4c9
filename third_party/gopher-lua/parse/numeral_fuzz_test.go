package parse_test

import (
	"math"
	"testing"

	"github.com/yuin/gopher-lua/parse"
)

// FuzzStr2Number: any string reads as a number or not without a panic, and
// white space around it, or a NUL byte and anything after it, changes
// nothing, as for C's strtod on a C string.
func FuzzStr2Number(f *testing.F) {
	for _, s := range []string{"1e5", " -0x1.8p1 ", "inf", "nan(x)", "0x", "1e+", ".5", "99999999999999999999", "1e-400", "12\x00ab"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parse.Str2Number(s)
		w, wok := parse.Str2Number("\t " + s + "\n\x00junk")
		if ok != wok || ok && !(v == w || math.IsNaN(v) && math.IsNaN(w)) {
			t.Errorf("%q reads as %v, %v; with white space and a NUL after it as %v, %v", s, v, ok, w, wok)
		}
	})
}
