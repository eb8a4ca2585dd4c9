package filter

// When libpcap's optimizer knows a constant, and when it raises a
// folding error. Its first loop threads jumps and folds nothing but
// numbers as written: "1 = 1" is decided there. Its second loop folds
// arithmetic, one step of each operation a pass: "2 * 2" is 4 in its
// first pass, "ip[0] & 0" turns into "and #0" in the first and into 0 in
// the second. A comparison is decided in the pass that knows both its
// sides, and a folding error ("division by zero") is raised in the pass
// that meets "div #0", if that pass still reaches the block and the
// statement is still there:
//
//   - "1 - 1 = 1 and ip[0] / (1 - 1) = 1" compiles: pass 1 decides the
//     comparison and cuts the division off before pass 2 would raise;
//     "ip[0] & 0 = 1 and ip[1] / (1 - 1) = 1" does not.
//   - An operand that a zero makes useless ("0 * x", "x & 0") dies a
//     statement a pass, from the top down (libpcap's dead-store
//     elimination): "0 * (ip[0] / (1 - 1))" raises, the division dying
//     only after pass 2, and "0 * (ip[0] / (ip[1] * 0))" does not, its
//     "div #0" appearing in pass 2 and raising only in pass 3.
//
// netlua follows these passes, so that it refuses what tcpdump refuses
// and no more. optimize.go settles the comparisons pass by pass to know
// which blocks each pass reaches.

// never is the pass of a value that is never a known constant, and of a
// statement that is never dropped.
const never = 1 << 30

// A foldErr is a folding error: the pass of libpcap's second loop that
// raises it, how many statements its value goes through to the top of
// the arithmetic it is in, and the last pass its statement is still
// there (never while its result is used).
type foldErr struct {
	err   *Error
	pass  int
	depth int
	death int
}

// errs are the folding errors of some arithmetic, in code order.
type errs []foldErr

// newErr is an error raised by the top statement in pass p.
func newErr(err *Error, p int) errs { return errs{{err: err, pass: p, death: never}} }

// deeper is e under n more statements.
func (e errs) deeper(n int) errs {
	out := make(errs, len(e))
	for i, f := range e {
		f.depth += n
		out[i] = f
	}
	return out
}

// dropped is e once its top's result is no longer used from pass p on:
// the top dies cost passes later (the statements that carried it to its
// user die first), and each statement below it a pass after the one
// above. Errors already cut off keep their pass.
func (e errs) dropped(p, cost int) errs {
	out := make(errs, len(e))
	for i, f := range e {
		if f.death == never {
			f.death = p + cost + f.depth
		}
		out[i] = f
	}
	return out
}

// first is the error libpcap raises: in the earliest pass, among those
// whose statement is still there then; in code order within a pass.
func (e errs) first() (*Error, int) {
	var best *foldErr
	for i := range e {
		f := &e[i]
		if f.pass <= f.death && (best == nil || f.pass < best.pass) {
			best = f
		}
	}
	if best == nil {
		return nil, 0
	}
	return best.err, best.pass
}

// knownFrom is the first pass of the second loop that knows v: a number
// as written is known from the start.
func knownFrom(v aval) int {
	if !v.konst {
		return never
	}
	return max(v.pass, 1)
}

// aluZeroK are the operations that "op #0" leaves A alone in; libpcap
// drops them. "mul #0" and "and #0" are 0.
var aluZeroK = map[uint16]bool{aluADD: true, aluLSH: true, aluRSH: true, aluOR: true, aluXOR: true}

// aluZeroA are the operations whose result is 0 when A is 0, whatever X
// holds; with add, or and xor the result is X.
var aluZeroA = map[uint16]bool{aluMUL: true, aluDIV: true, aluMOD: true, aluAND: true, aluLSH: true, aluRSH: true}

// A folding is what libpcap's optimizer makes of "l op r": whether and
// in which pass it is a known constant, and its folding errors.
type folding struct {
	known bool
	k     uint32
	pass  int
	errs  errs
}

// How an operand's value reaches its operation once libpcap's first
// loop has tidied the registers: l in A, straight when r is a number as
// written and through a scratch word otherwise; r through X ("tax").
func lCost(r aval) int {
	if r.konst && r.pass == 0 {
		return 0
	}
	return 2
}

const rCost = 1

// foldBinary follows libpcap's opt_stmt over the passes of its second
// loop on "A op X", l in A and r in X. When X is known it becomes
// "op #k" (a shift past 31 bits is an error then) unless A is known too,
// which folds; a later pass drops "op #0", turns "mul #0" and "and #0"
// into 0, raises "div #0" and folds once A is known. An A known to be 0
// makes the result 0 (or X) at once. The operands' errors come with it,
// dropped when the operation stops using them.
func foldBinary(op uint16, l, r aval, pos int) folding {
	le, re := l.errs.deeper(lCost(r)+1), r.errs.deeper(rCost+1)
	ka, kx := knownFrom(l), knownFrom(r)
	last := max(ka, kx)
	if last == never {
		last = min(ka, kx)
	}
	if last == never {
		return folding{errs: append(le, re...)}
	}
	converted := 0 // the pass that made it "op #k"
	for p := 1; p <= last+2; p++ {
		switch {
		case converted > 0:
			if f, ok := foldK(op, l, r.k, p, ka, pos); ok {
				if f.known {
					le = le.dropped(p, lCost(r))
				}
				f.errs = append(append(le, re...), f.errs...)
				return f
			}
		case kx <= p && ka <= p:
			k, err := fold(op, l.k, r.k, pos)
			f := folding{known: err == nil, k: k, pass: p}
			f.errs = append(le.dropped(p, lCost(r)), re.dropped(p, rCost)...)
			if err != nil {
				f.errs = append(f.errs, newErr(err, p)...)
			}
			return f
		case kx <= p:
			converted, re = p, re.dropped(p, rCost)
			if (op == aluLSH || op == aluRSH) && r.k > 31 {
				return folding{errs: append(append(le, re...), newErr(errAt(pos, "shift by more than 31 bits"), p)...)}
			}
		case ka <= p && l.k == 0 && aluZeroA[op]:
			return folding{known: true, pass: p, errs: append(le, re.dropped(p, rCost)...)}
		case ka <= p && l.k == 0 && (op == aluADD || op == aluOR || op == aluXOR):
			// "txa": the result is r.
			return folding{known: r.konst, k: r.k, pass: max(p, kx), errs: append(le.dropped(p, lCost(r)), re...)}
		}
	}
	return folding{errs: append(le, re...)}
}

// foldK is pass p on "op #k", A known from pass ka; false while it
// stays as it is. A known result drops A's operand.
func foldK(op uint16, l aval, k uint32, p, ka, pos int) (folding, bool) {
	switch {
	case k == 0 && aluZeroK[op]:
		return folding{known: l.konst, k: l.k, pass: max(p, ka)}, true
	case k == 0 && (op == aluMUL || op == aluAND):
		return folding{known: true, k: 0, pass: p}, true
	case k == 0 && (op == aluDIV || op == aluMOD):
		_, err := fold(op, 1, 0, pos)
		return folding{errs: newErr(err, p)}, true
	case ka <= p:
		v, _ := fold(op, l.k, k, pos)
		return folding{known: true, k: v, pass: p}, true
	}
	return folding{}, false
}

// foldNeg is libpcap's optimizer on "neg": known once A is.
func foldNeg(x aval) aval {
	x.errs = x.errs.deeper(1)
	if x.konst {
		x.k, x.pass = -x.k, knownFrom(x)
	}
	return x
}

// decidedIn is the pass that decides a comparison of l with r: 0 for
// numbers as written (the first loop), never unless both are known.
func decidedIn(l, r aval) int {
	if !l.konst || !r.konst {
		return never
	}
	return max(l.pass, r.pass)
}
