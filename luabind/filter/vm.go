package filter

import (
	"encoding/binary"

	"golang.org/x/net/bpf"
)

// An input is what a program runs on: the bytes captured, the length the
// frame had on the wire ("len", more than the bytes when a capture cut
// it), and for a live program what the kernel knows beside the bytes.
type input struct {
	data []byte
	len  uint32
	aux  *aux // nil: a frame from a file, where no ancillary data exists
}

// aux is the metadata a live program reads with the kernel's ancillary
// loads (SKF_AD_OFF + SKF_AD_*): the VLAN tag the kernel took out of
// the frame, if it did.
type aux struct {
	vlanPresent bool
	vlanTCI     uint16
	vlanTPID    uint16
}

// The ancillary loads live programs use (linux/filter.h).
const (
	skfADOff         = 0xfffff000 // SKF_AD_OFF, -0x1000
	skfADVLANTag     = skfADOff + 44
	skfADVLANPresent = skfADOff + 48
	skfADVLANTPID    = skfADOff + 60
)

// run executes a classic BPF program on a frame and returns what it
// returns, 0 meaning no match, and whether it ran to a return: false
// when a load past the end of the frame, or a division by zero, ended
// it with 0, as in the kernel and in libpcap. A shift by 32 or more
// gives 0, as in libpcap's interpreter, which reads capture files for
// tcpdump (the kernel's JITs count the shift modulo 32 instead: a
// program shifting by a loaded byte may differ there, as tcpdump's own
// does). Absolute loads from SKF_AD_OFF on read f.aux, as the kernel
// reads its metadata; with no aux they are loads past the end, as in
// libpcap's interpreter.
//
// netlua has its own interpreter because x/net/bpf's VM does not run
// "neg", has no ancillary data and costs an interface switch per
// instruction; the tests check the two agree on every program and frame
// of the corpus.
func run(prog []bpf.RawInstruction, f *input) (uint32, bool) {
	var a, x uint32
	back := 0
	var mem [16]uint32
	for pc := 0; pc < len(prog); pc++ {
		ins := &prog[pc]
		switch ins.Op {
		case opLD | mABS | szW, opLD | mABS | szH, opLD | mABS | szB:
			v, ok := f.loadAbs(ins.K, ins.Op&0x18)
			if !ok {
				return 0, false
			}
			a = v
		case opLD | mIND | szW, opLD | mIND | szH, opLD | mIND | szB:
			v, ok := f.loadInd(x, ins.K, ins.Op&0x18)
			if !ok {
				return 0, false
			}
			a = v
		case opLDX | mMSH | szB:
			if uint64(ins.K) >= uint64(len(f.data)) {
				return 0, false
			}
			x = uint32(f.data[ins.K]&0x0f) << 2
		case opLD | mLEN:
			a = f.len
		case opLDX | mLEN:
			x = f.len
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
			return ins.K, true
		case opRET | retA:
			return a, true
		case opJMP | jJA:
			// Sign-extended, as libpcap's interpreter takes it: the
			// tests run libpcap's protochain loop here. netlua's own
			// programs never jump back (validate). A loop that does
			// not end, which libpcap's protochain enters on a crafted
			// AH header, ends here after maxBackJumps with no match.
			if int32(ins.K) < 0 {
				if back++; back > maxBackJumps {
					return 0, false
				}
			}
			pc += int(int32(ins.K))
		default:
			var ok bool
			if pc, a, ok = step(ins, pc, a, x); !ok {
				return 0, false
			}
		}
	}
	return 0, false
}

// loadInd is a load at X + k. libpcap's interpreter fails it when the
// sum passes 32 bits; the kernel adds in 32 bits, and takes a sum from
// 2 GiB on as a negative offset (into data netlua does not model, so
// that load fails here).
func (f *input) loadInd(x, k uint32, size uint16) (uint32, bool) {
	if f.aux == nil {
		return load(f.data, uint64(k)+uint64(x), size)
	}
	if off := x + k; int32(off) >= 0 {
		return load(f.data, uint64(off), size)
	}
	return 0, false
}

// loadAbs is an absolute load: from the frame, or from the kernel's
// metadata for a live frame.
func (f *input) loadAbs(k uint32, size uint16) (uint32, bool) {
	if f.aux == nil || k < skfADOff {
		return load(f.data, uint64(k), size)
	}
	switch k {
	case skfADVLANPresent:
		if f.aux.vlanPresent {
			return 1, true
		}
		return 0, true
	case skfADVLANTag:
		return uint32(f.aux.vlanTCI), true
	case skfADVLANTPID:
		return uint32(f.aux.vlanTPID), true
	}
	return 0, false // metadata netlua's programs never read
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

// maxBackJumps bounds the backward jumps of a run (see run).
const maxBackJumps = 1 << 16

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
