package filter

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// dump prints a program as tcpdump -d does, one instruction a line:
//
//	(000) ldh      [12]
//	(001) jeq      #0x800           jt 2	jf 5
func dump(prog []bpf.RawInstruction) string {
	var b strings.Builder
	for i, ins := range prog {
		b.WriteString(image(ins, i))
		b.WriteByte('\n')
	}
	return b.String()
}

// image is one line of dump, libpcap's bpf_image.
func image(ins bpf.RawInstruction, i int) string {
	op, operand := mnemonic(ins, i)
	if ins.Op&0x07 == opJMP && ins.Op != opJMP|jJA {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", i, op, operand, i+1+int(ins.Jt), i+1+int(ins.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", i, op, operand)
}

// loadNames are the mnemonics of the load sizes.
var loadNames = map[uint16]string{szW: "ld", szH: "ldh", szB: "ldb"}

// aluNames are the mnemonics of the ALU operations.
var aluNames = map[uint16]string{
	aluADD: "add", aluSUB: "sub", aluMUL: "mul", aluDIV: "div", aluMOD: "mod",
	aluAND: "and", aluOR: "or", aluXOR: "xor", aluLSH: "lsh", aluRSH: "rsh",
}

// jumpNames are the mnemonics of the conditional jumps.
var jumpNames = map[uint16]string{jJEQ: "jeq", jJGT: "jgt", jJGE: "jge", jJSET: "jset"}

// ancillaryNames are bpf_image's names of the kernel's metadata that
// live programs load (see CompileLive).
var ancillaryNames = map[uint32]string{skfADVLANTag: "vlan_tci", skfADVLANPresent: "vlanp"}

// mnemonic is an instruction's name and operand as bpf_image prints them.
func mnemonic(ins bpf.RawInstruction, i int) (string, string) {
	k, sk := ins.K, int32(ins.K) // libpcap prints decimals signed
	switch op := ins.Op; {
	case op&0x07 == opLD && (op&0xe0 == mABS) && ancillaryNames[k] != "":
		return loadNames[op&0x18], "[" + ancillaryNames[k] + "]"
	case op&0x07 == opLD && (op&0xe0 == mABS):
		return loadNames[op&0x18], fmt.Sprintf("[%d]", sk)
	case op&0x07 == opLD && (op&0xe0 == mIND):
		return loadNames[op&0x18], fmt.Sprintf("[x + %d]", sk)
	case op == opLD|mLEN:
		return "ld", "#pktlen"
	case op == opLD|mIMM:
		return "ld", fmt.Sprintf("#0x%x", k)
	case op == opLDX|mIMM:
		return "ldx", fmt.Sprintf("#0x%x", k)
	case op == opLDX|mMSH|szB:
		return "ldxb", fmt.Sprintf("4*([%d]&0xf)", sk)
	case op == opLD|mMEM:
		return "ld", fmt.Sprintf("M[%d]", sk)
	case op == opLDX|mMEM:
		return "ldx", fmt.Sprintf("M[%d]", sk)
	case op == opST:
		return "st", fmt.Sprintf("M[%d]", sk)
	case op == opST|1:
		return "stx", fmt.Sprintf("M[%d]", sk)
	case op == opRET:
		return "ret", fmt.Sprintf("#%d", sk)
	case op == opRET|retA:
		return "ret", ""
	case op == opMISC|miscTAX:
		return "tax", ""
	case op == opMISC|miscTXA:
		return "txa", ""
	case op == opJMP|jJA:
		return "ja", fmt.Sprintf("%d", i+1+int(k))
	case op&0x07 == opJMP:
		return jumpNames[op&0xf0], operandX(op, "#0x%x", k)
	case op == opALU|aluNEG:
		return "neg", ""
	case op&0x07 == opALU:
		return aluNames[op&0xf0], aluOperand(op, k)
	}
	return "unimp", fmt.Sprintf("0x%x", ins.Op)
}

// aluOperand prints k in hex for bitwise operations, decimal otherwise.
func aluOperand(op uint16, k uint32) string {
	switch op & 0xf0 {
	case aluAND, aluOR, aluXOR:
		return operandX(op, "#0x%x", k)
	}
	return operandX(op, "#%d", k)
}

func operandX(op uint16, format string, k uint32) string {
	if op&srcX != 0 {
		return "x"
	}
	if format == "#%d" {
		return fmt.Sprintf(format, int32(k))
	}
	return fmt.Sprintf(format, k)
}
