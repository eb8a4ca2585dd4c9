package filter

import "golang.org/x/net/bpf"

// Classic BPF opcodes (linux/filter.h), which x/net/bpf does not export.
const (
	opLD   = 0x00
	opLDX  = 0x01
	opST   = 0x02
	opALU  = 0x04
	opJMP  = 0x05
	opRET  = 0x06
	opMISC = 0x07

	szW = 0x00
	szH = 0x08
	szB = 0x10

	mIMM = 0x00
	mABS = 0x20
	mIND = 0x40
	mMEM = 0x60
	mLEN = 0x80
	mMSH = 0xa0

	aluADD = 0x00
	aluSUB = 0x10
	aluMUL = 0x20
	aluDIV = 0x30
	aluOR  = 0x40
	aluAND = 0x50
	aluLSH = 0x60
	aluRSH = 0x70
	aluNEG = 0x80
	aluMOD = 0x90
	aluXOR = 0xa0

	jJA   = 0x00
	jJEQ  = 0x10
	jJGT  = 0x20
	jJGE  = 0x30
	jJSET = 0x40

	srcX = 0x08 // operand is X rather than k
	retA = 0x10 // ret returns A rather than k

	miscTAX = 0x00
	miscTXA = 0x80
)

// sizeCode is the opcode bits of a load of n bytes (1, 2 or 4).
func sizeCode(n uint32) uint16 {
	switch n {
	case 1:
		return szB
	case 2:
		return szH
	}
	return szW
}

// Statements, as instructions without jumps.
func ldAbs(size, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: opLD | mABS | sizeCode(size), K: k}
}
func ldInd(size, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: opLD | mIND | sizeCode(size), K: k}
}
func ldxMSH(k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: opLDX | mMSH | szB, K: k} }
func ldImm(k uint32) bpf.RawInstruction  { return bpf.RawInstruction{Op: opLD | mIMM, K: k} }
func ldxImm(k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: opLDX | mIMM, K: k} }
func ldLen() bpf.RawInstruction          { return bpf.RawInstruction{Op: opLD | mLEN | szW} }
func ldMem(m uint32) bpf.RawInstruction  { return bpf.RawInstruction{Op: opLD | mMEM, K: m} }
func st(m uint32) bpf.RawInstruction     { return bpf.RawInstruction{Op: opST, K: m} }
func tax() bpf.RawInstruction            { return bpf.RawInstruction{Op: opMISC | miscTAX} }
func aluK(op uint16, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: opALU | op, K: k}
}
func aluX(op uint16) bpf.RawInstruction { return bpf.RawInstruction{Op: opALU | op | srcX} }

// A cond is the boolean code of an expression before layout:
// *testCond, *stmtsCond, *andCond, *orCond, *notCond or constCond.
type cond interface{}

// testCond computes a value into A with stmts and jumps on it.
type testCond struct {
	stmts []bpf.RawInstruction
	jmp   uint16 // jJEQ, jJGT, jJGE or jJSET, maybe | srcX
	k     uint32
	arith bool // the comparison of a relation ("ip[9] = 6"), not of a primitive
	// opaqueA and opaqueK mark a constant in A ("ld #k") or in k folded
	// from arithmetic: unknown to the optimizer until its last passes.
	opaqueA, opaqueK bool
	known            *bool   // the outcome, when both sides are constants
	decided          int     // the pass that knows it (see fold.go): 0 before threading
	err              foldErr // a folding error, raised if the test stays reachable
	// offsets marks statements that set the variable part of a live
	// program's offsets (codegen_live.go), which later blocks read.
	offsets bool
}

// stmtsCond runs statements and is true: a step of protochain's
// unrolled loop, where two ways meet again (codegen_protochain.go).
type stmtsCond struct{ stmts []bpf.RawInstruction }

type andCond struct{ a, b cond }
type orCond struct{ a, b cond }
type notCond struct{ a cond }

// constCond is a comparison whose outcome the compiler knows, such as
// "1 = 1" or a masked word "ip6 net ::/0" need not load.
type constCond bool

// and is "a and b"; a is evaluated first. Known outcomes simplify as
// libpcap's optimizer would have them, but a is kept before a false b:
// its loads still end the filter on a short frame.
func and(a, b cond) cond {
	if c, ok := a.(constCond); ok {
		if c {
			return b
		}
		return a
	}
	if c, ok := b.(constCond); ok && bool(c) {
		return a
	}
	return &andCond{a, b}
}

// or is "a or b"; a is evaluated first.
func or(a, b cond) cond {
	if c, ok := a.(constCond); ok {
		if c {
			return a
		}
		return b
	}
	if c, ok := b.(constCond); ok && !bool(c) {
		return a
	}
	return &orCond{a, b}
}

// not is "not a".
func not(a cond) cond {
	switch c := a.(type) {
	case constCond:
		return !c
	case *notCond:
		return c.a
	}
	return &notCond{a}
}

// test is a comparison of the value stmts leave in A with k.
func test(jmp uint16, k uint32, stmts ...bpf.RawInstruction) cond {
	return &testCond{stmts: stmts, jmp: jmp, k: k}
}
