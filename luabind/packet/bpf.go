package packet

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/net/bpf"
)

// maxInstructions is the kernel's BPF_MAXINSNS.
const maxInstructions = 4096

// bpfProgram reads a classic BPF program from Lua: an array of
// instructions, each {code, jt, jf, k} (as `tcpdump -dd` prints them) or
// {code = , jt = , jf = , k = }. The kernel checks the program itself.
func bpfProgram(t *lua.LTable) ([]bpf.RawInstruction, error) {
	n := t.Len()
	if n == 0 || n > maxInstructions {
		return nil, fmt.Errorf("has %d instructions: a program has 1 to %d", n, maxInstructions)
	}
	prog := make([]bpf.RawInstruction, n)
	for i := range prog {
		ins, ok := t.RawGetInt(i + 1).(*lua.LTable)
		if !ok {
			return nil, fmt.Errorf("instruction %d is a %s, not a table {code, jt, jf, k}", i+1, t.RawGetInt(i+1).Type())
		}
		var err error
		if prog[i], err = bpfInstruction(ins); err != nil {
			return nil, fmt.Errorf("instruction %d: %w", i+1, err)
		}
	}
	return prog, nil
}

// bpfFields are an instruction's fields in tcpdump -dd order, with their
// largest values.
var bpfFields = [4]struct {
	name string
	max  float64
}{{"code", 0xffff}, {"jt", 0xff}, {"jf", 0xff}, {"k", 0xffffffff}}

// bpfInstruction reads one {code, jt, jf, k}.
func bpfInstruction(t *lua.LTable) (bpf.RawInstruction, error) {
	var v [4]uint32
	for i, f := range bpfFields {
		x := t.RawGetString(f.name)
		if x == lua.LNil {
			x = t.RawGetInt(i + 1)
		}
		n, ok := x.(lua.LNumber)
		if !ok || float64(n) < 0 || float64(n) > f.max || n != lua.LNumber(int64(n)) {
			return bpf.RawInstruction{}, fmt.Errorf("%s must be an integer from 0 to %d, got %s", f.name, uint32(f.max), x.String())
		}
		v[i] = uint32(n)
	}
	return bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: v[3]}, nil
}
