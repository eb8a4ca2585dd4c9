package filter

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"
)

// validate checks a program by the kernel's rules for classic BPF
// (bpf_check_classic): 1 to 4096 instructions, known opcodes, jumps that
// land inside the program (forward, as classic BPF has no other kind),
// no division by a constant zero, scratch words in range and written
// before they are read on every path, and a return at the end.
func validate(prog []bpf.RawInstruction) error {
	n := len(prog)
	if n == 0 || n > maxInsns {
		return fmt.Errorf("the program has %d instructions; the kernel takes 1 to %d", n, maxInsns)
	}
	if prog[n-1].Op&0x07 != opRET {
		return fmt.Errorf("the program does not end in a return")
	}
	for i, ins := range prog {
		if err := checkInsn(i, ins, n); err != nil {
			return fmt.Errorf("instruction %d (%s): %w", i, image(ins, i), err)
		}
	}
	return checkMemory(prog)
}

// checkInsn checks one instruction at index i of a program of n.
func checkInsn(i int, ins bpf.RawInstruction, n int) error {
	if !knownOp(ins.Op) {
		return fmt.Errorf("unknown opcode %#x", ins.Op)
	}
	switch ins.Op & 0x07 {
	case opJMP:
		if ins.Op == opJMP|jJA {
			if uint64(i)+1+uint64(ins.K) >= uint64(n) {
				return fmt.Errorf("jumps past the end")
			}
		} else if i+1+int(ins.Jt) >= n || i+1+int(ins.Jf) >= n {
			return fmt.Errorf("jumps past the end")
		}
	case opALU:
		op := ins.Op & 0xf0
		if ins.Op&srcX == 0 && (op == aluDIV || op == aluMOD) && ins.K == 0 {
			return fmt.Errorf("divides by zero")
		}
	case opLD, opLDX, opST:
		if (ins.Op&0xe0 == mMEM || ins.Op&0x07 == opST) && ins.K >= 16 {
			return fmt.Errorf("scratch word %d out of range", ins.K)
		}
	}
	return nil
}

// knownOp reports whether op is one of the classic BPF instructions.
func knownOp(op uint16) bool {
	switch op & 0x07 {
	case opLD:
		mode, size := op&0xe0, op&0x18
		return (mode == mABS || mode == mIND) && size != 0x18 || op == opLD|mIMM || op == opLD|mMEM || op == opLD|mLEN
	case opLDX:
		return op == opLDX|mIMM || op == opLDX|mMEM || op == opLDX|mLEN || op == opLDX|mMSH|szB
	case opST, 0x03:
		return op&0xf8 == 0
	case opALU:
		return op&0xf0 <= aluXOR && op&0x07 == opALU && (op&0xf0 != aluNEG || op&srcX == 0)
	case opJMP:
		return op&0xf0 <= jJSET && (op&0xf0 != jJA || op&srcX == 0)
	case opRET:
		return op == opRET || op == opRET|retA
	}
	return op == opMISC|miscTAX || op == opMISC|miscTXA
}

// errUnsetWord is the cause of a program that reads a scratch word
// before writing it.
var errUnsetWord = errors.New("reads scratch word")

// checkMemory checks that every scratch word is written before it is
// read, on every path (the kernel's check_load_and_stores).
func checkMemory(prog []bpf.RawInstruction) error {
	const unset = ^uint32(0) // not reached yet; masks use the low 16 bits
	valid := make([]uint32, len(prog))
	for i := range valid {
		valid[i] = unset
	}
	valid[0] = 0
	for i, ins := range prog {
		mem := valid[i]
		if mem == unset {
			continue // unreachable
		}
		switch {
		case ins.Op == opST || ins.Op == 0x03:
			mem |= 1 << ins.K
		case (ins.Op == opLD|mMEM || ins.Op == opLDX|mMEM) && mem&(1<<ins.K) == 0:
			return fmt.Errorf("instruction %d %w %d before it is written", i, errUnsetWord, ins.K)
		}
		for _, next := range successors(i, ins) {
			if next < len(prog) {
				valid[next] &= mem
			}
		}
	}
	return nil
}

// successors lists where execution may go after instruction i.
func successors(i int, ins bpf.RawInstruction) []int {
	switch {
	case ins.Op&0x07 == opRET:
		return nil
	case ins.Op == opJMP|jJA:
		return []int{i + 1 + int(ins.K)}
	case ins.Op&0x07 == opJMP:
		return []int{i + 1 + int(ins.Jt), i + 1 + int(ins.Jf)}
	}
	return []int{i + 1}
}
