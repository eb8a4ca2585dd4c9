package lua

// netlua patch 17 (PATCHES.md): ^ and math.pow as glibc's pow, which
// Lua 5.1 calls, instead of Go's math.Pow.

import "math"

// luaPow is C's pow as glibc computes it: a NaN base keeps its sign except
// under an odd exponent, and an integral exponent gives the correctly
// rounded power (Go's math.Pow is off by an ulp or more, which a
// comparison or a printed digit then shows: %.17g of 1e15^3 is
// 9.9999999999999993e+44 in Lua 5.1, 1.0000000000000001e+45 with Go's).
func luaPow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case math.IsNaN(x):
		x2 := x * x
		if math.Signbit(x) && isOddInteger(y) {
			x2 = -x2
		}
		if y < 0 {
			return 1 / x2
		}
		return x2
	case math.IsNaN(y):
		return y
	case y == math.Trunc(y) && math.Abs(y) < 1<<31 && x != 0 && !math.IsInf(x, 0):
		return powInt(x, int64(y))
	}
	return math.Pow(x, y)
}

func isOddInteger(y float64) bool {
	return y == math.Trunc(y) && math.Abs(y) < 1<<53 && int64(y)%2 != 0
}

// powInt is x**n for a finite nonzero x, computed in double-double
// arithmetic (relative error near |n| * 2^-104) and rounded once. The
// mantissa is kept in [0.5, 1) and the exponent apart, so that no step
// overflows.
func powInt(x float64, n int64) float64 {
	neg := n < 0
	if neg {
		n = -n
	}
	bm, be := math.Frexp(x)
	bhi, blo, bexp := bm, 0.0, int64(be)
	hi, lo, exp := 1.0, 0.0, int64(0)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			hi, lo = ddMul(hi, lo, bhi, blo)
			hi, lo, exp = ddNormalize(hi, lo, exp+bexp)
		}
		if n > 1 {
			bhi, blo = ddMul(bhi, blo, bhi, blo)
			bhi, blo, bexp = ddNormalize(bhi, blo, 2*bexp)
		}
	}
	if neg {
		q := 1 / hi
		r := (math.FMA(-q, hi, 1) - q*lo) / hi
		hi, lo, exp = ddNormalize(q+r, r-((q+r)-q), -exp)
	}
	if exp > 4096 {
		exp = 4096 // beyond any double: Ldexp gives ±Inf
	} else if exp < -4096 {
		exp = -4096 // likewise ±0
	}
	return math.Ldexp(hi+lo, int(exp))
}

// ddMul multiplies two double-double numbers.
func ddMul(ahi, alo, bhi, blo float64) (float64, float64) {
	p := ahi * bhi
	e := math.FMA(ahi, bhi, -p) + (ahi*blo + alo*bhi)
	hi := p + e
	return hi, e - (hi - p)
}

// ddNormalize scales hi+lo into [0.5, 1) by a power of two, added to exp.
func ddNormalize(hi, lo float64, exp int64) (float64, float64, int64) {
	m, e := math.Frexp(hi)
	return m, math.Ldexp(lo, -e), exp + int64(e)
}
