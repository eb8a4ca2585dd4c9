package filter

import (
	"encoding/binary"

	"golang.org/x/net/bpf"
)

// run executes a classic BPF program on a frame and returns what it
// returns; 0 means no match. A load past the end of the frame, or a
// division by zero, ends the program with 0, as in the kernel and in
// libpcap. A shift by 32 or more gives 0, as in libpcap's interpreter,
// which reads capture files for tcpdump (the kernel's JITs count the
// shift modulo 32 instead: a program shifting by a loaded byte may
// differ there, as tcpdump's own does).
//
// netlua has its own interpreter because x/net/bpf's VM does not run
// "neg" and costs an interface switch per instruction; the tests check
// the two agree on every program and frame of the corpus.
func run(prog []bpf.RawInstruction, frame []byte) uint32 {
	var a, x uint32
	var mem [16]uint32
	for pc := 0; pc < len(prog); pc++ {
		ins := &prog[pc]
		switch ins.Op {
		case opLD | mABS | szW, opLD | mABS | szH, opLD | mABS | szB:
			v, ok := load(frame, uint64(ins.K), ins.Op&0x18)
			if !ok {
				return 0
			}
			a = v
		case opLD | mIND | szW, opLD | mIND | szH, opLD | mIND | szB:
			v, ok := load(frame, uint64(ins.K)+uint64(x), ins.Op&0x18)
			if !ok {
				return 0
			}
			a = v
		case opLDX | mMSH | szB:
			if uint64(ins.K) >= uint64(len(frame)) {
				return 0
			}
			x = uint32(frame[ins.K]&0x0f) << 2
		case opLD | mLEN:
			a = uint32(len(frame))
		case opLDX | mLEN:
			x = uint32(len(frame))
		case opLD | mIMM:
			a = ins.K
		case opLDX | mIMM:
			x = ins.K
		case opLD | mMEM:
			a = mem[ins.K&15]
		case opLDX | mMEM:
			x = mem[ins.K&15]
		case opST:
			mem[ins.K&15] = a
		case opST | 1: // stx
			mem[ins.K&15] = x
		case opMISC | miscTAX:
			x = a
		case opMISC | miscTXA:
			a = x
		case opRET:
			return ins.K
		case opRET | retA:
			return a
		case opJMP | jJA:
			pc += int(ins.K)
		default:
			var ok bool
			if pc, a, ok = step(ins, pc, a, x); !ok {
				return 0
			}
		}
	}
	return 0
}

// step runs a conditional jump or an ALU instruction.
func step(ins *bpf.RawInstruction, pc int, a, x uint32) (int, uint32, bool) {
	operand := ins.K
	if ins.Op&srcX != 0 {
		operand = x
	}
	if ins.Op&0x07 == opJMP {
		if compare(ins.Op&0xf0, a, operand) {
			return pc + int(ins.Jt), a, true
		}
		return pc + int(ins.Jf), a, true
	}
	switch ins.Op & 0xf0 {
	case aluDIV, aluMOD:
		if operand == 0 {
			return pc, 0, false
		}
	case aluNEG:
		return pc, -a, true
	}
	return pc, alu(ins.Op&0xf0, a, operand), true
}

// alu computes a op b as the hardware does.
func alu(op uint16, a, b uint32) uint32 {
	switch op {
	case aluADD:
		return a + b
	case aluSUB:
		return a - b
	case aluMUL:
		return a * b
	case aluDIV:
		return a / b
	case aluMOD:
		return a % b
	case aluAND:
		return a & b
	case aluOR:
		return a | b
	case aluXOR:
		return a ^ b
	case aluLSH:
		return a << b
	}
	return a >> b
}

// load reads a big-endian word, halfword or byte at off.
func load(frame []byte, off uint64, size uint16) (uint32, bool) {
	switch size {
	case szW:
		if off+4 > uint64(len(frame)) {
			return 0, false
		}
		return binary.BigEndian.Uint32(frame[off:]), true
	case szH:
		if off+2 > uint64(len(frame)) {
			return 0, false
		}
		return uint32(binary.BigEndian.Uint16(frame[off:])), true
	}
	if off >= uint64(len(frame)) {
		return 0, false
	}
	return uint32(frame[off]), true
}
