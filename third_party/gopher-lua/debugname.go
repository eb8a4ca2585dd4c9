package lua

// netlua patch (PATCHES.md): names for the values and functions that error
// messages and tracebacks talk about, as Lua 5.1's ldebug.c finds them
// (luaF_getlocalname, symbexec, getobjname, getfuncname), on gopher-lua's
// bytecode. None of it runs on the VM's hot path: only when an error is
// raised or a traceback is built.

// localName is the name of the local variable that lives in register reg
// (0-based) at instruction pc, or "" (luaF_getlocalname).
func localName(p *FunctionProto, reg, pc int) string {
	n := reg + 1
	for _, l := range p.DbgLocals {
		if l.StartPc > pc {
			break
		}
		if pc < l.EndPc {
			n--
			if n == 0 {
				return l.Name
			}
		}
	}
	return ""
}

// lastSetter is the instruction before lastpc that last changed register
// reg, found by running the code symbolically as Lua 5.1's symbexec does:
// forward jumps that do not pass lastpc are taken, so the instruction
// found is the one on the path that reached lastpc in straight-line code.
// Without one it is the final return, which names nothing.
func lastSetter(p *FunctionProto, lastpc, reg int) uint32 {
	last := len(p.Code) - 1
	for pc := 0; pc < lastpc; pc++ {
		inst := p.Code[pc]
		op := opGetOpCode(inst)
		a := opGetArgA(inst)
		if op <= opCodeMax && opProps[op].SetRegA && a == reg {
			last = pc
		}
		switch op {
		case OP_LOADNIL:
			if a <= reg && reg <= opGetArgB(inst) {
				last = pc
			}
		case OP_SELF:
			if reg == a+1 {
				last = pc
			}
		case OP_TFORLOOP:
			if reg >= a+2 {
				last = pc
			}
		case OP_CALL, OP_TAILCALL:
			if reg >= a {
				last = pc
			}
		case OP_JMP, OP_FORLOOP, OP_FORPREP:
			if dest := pc + 1 + opGetArgSbx(inst); pc < dest && dest <= lastpc {
				pc = dest - 1
			}
		case OP_SETLIST:
			if opGetArgC(inst) == 0 {
				pc++ // the next word is the block number, not an instruction
			}
		case OP_CLOSURE:
			// the upvalue pseudo-instructions that follow are not executed
			pc += int(p.FunctionPrototypes[opGetArgBx(inst)].NumUpvalues)
		}
	}
	return p.Code[last]
}

// objectName says what register reg held at instruction pc: kind is
// "global", "local", "field", "method" or "upvalue" and name its name, or
// both are "" when nothing useful is known (getobjname).
func objectName(p *FunctionProto, pc, reg int) (kind, name string) {
	if name := localName(p, reg, pc); name != "" {
		return "local", name
	}
	inst := lastSetter(p, pc, reg)
	switch opGetOpCode(inst) {
	case OP_GETGLOBAL:
		if s, ok := p.Constants[opGetArgBx(inst)].(LString); ok {
			return "global", string(s)
		}
	case OP_MOVE, OP_MOVEN:
		if b := opGetArgB(inst); b < opGetArgA(inst) {
			return objectName(p, pc, b)
		}
	case OP_GETTABLE, OP_GETTABLEKS:
		return "field", constName(p, opGetArgC(inst))
	case OP_GETUPVAL:
		if b := opGetArgB(inst); b < len(p.DbgUpvalues) {
			return "upvalue", p.DbgUpvalues[b]
		}
		return "upvalue", "?"
	case OP_SELF:
		return "method", constName(p, opGetArgC(inst))
	}
	return "", ""
}

// constName is the string constant an RK operand names, or "?" (kname).
func constName(p *FunctionProto, rk int) string {
	if opIsK(rk) {
		if s, ok := p.Constants[opIndexK(rk)].(LString); ok {
			return string(s)
		}
	}
	return "?"
}

// funcName says how the function running in frame fr was called: the
// name its caller's call instruction used for it, or "" when the caller is
// not Lua code or the frame replaced others by tail calls (getfuncname).
func funcName(fr *callFrame) (kind, name string) {
	if fr == nil || (!fr.Fn.IsG && fr.TailCall > 0) {
		return "", ""
	}
	caller := fr.Parent
	if caller == nil || caller.Fn.IsG || caller.Pc < 1 {
		return "", ""
	}
	pc := caller.Pc - 1
	inst := caller.Fn.Proto.Code[pc]
	switch opGetOpCode(inst) {
	case OP_CALL, OP_TAILCALL, OP_TFORLOOP:
		return objectName(caller.Fn.Proto, pc, opGetArgA(inst))
	}
	return "", ""
}

// currentInst is the instruction the running Lua function is executing,
// with its frame; ok is false when Go code is running.
func (ls *LState) currentInst() (cf *callFrame, inst uint32, ok bool) {
	cf = ls.currentFrame
	if cf == nil || cf.Fn.IsG || cf.Pc < 1 {
		return nil, 0, false
	}
	return cf, cf.Fn.Proto.Code[cf.Pc-1], true
}

// typeError raises Lua 5.1's "attempt to <op> <kind> '<name>' (a <type>
// value)" for v, the value in register reg (relative to the running
// function's base) of the running instruction, or "attempt to <op> a
// <type> value" when reg is negative or names nothing (luaG_typeerror).
func (ls *LState) typeError(reg int, v LValue, op string) {
	if cf, _, ok := ls.currentInst(); ok && reg >= 0 {
		if kind, name := objectName(cf.Fn.Proto, cf.Pc-1, reg); kind != "" {
			ls.RaiseError("attempt to %s %s '%s' (a %s value)", op, kind, name, v.Type().String())
		}
	}
	ls.RaiseError("attempt to %s a %s value", op, v.Type().String())
}

// rkReg is the register an RK operand of the running instruction reads,
// or -1 for a constant.
func rkReg(rk int) int {
	if opIsK(rk) {
		return -1
	}
	return rk
}

// indexError raises the error for indexing obj, which is not a table and
// has no __index (or __newindex). operand says obj is the value the
// instruction indexes, not one reached through a metatable's __index.
func (ls *LState) indexError(obj LValue, operand bool) {
	reg := -1
	if _, inst, ok := ls.currentInst(); ok && operand {
		switch opGetOpCode(inst) {
		case OP_GETTABLE, OP_GETTABLEKS, OP_SELF:
			reg = opGetArgB(inst)
		case OP_SETTABLE, OP_SETTABLEKS:
			reg = opGetArgA(inst)
		}
	}
	ls.typeError(reg, obj, "index")
}

// callError raises the error for calling fn, which is not a function and
// has no __call.
func (ls *LState) callError(fn LValue) {
	reg := -1
	if _, inst, ok := ls.currentInst(); ok {
		switch opGetOpCode(inst) {
		case OP_CALL, OP_TAILCALL:
			reg = opGetArgA(inst)
		case OP_TFORLOOP:
			reg = opGetArgA(inst) + 3 // where the generator is copied to be called
		}
	}
	ls.typeError(reg, fn, "call")
}

// arithError raises the error for arithmetic on lhs and rhs, naming the
// first of them that is not a number (luaG_aritherror).
func (ls *LState) arithError(lhs, rhs LValue) {
	culprit, second := lhs, false
	if _, ok := toNumber(lhs); ok {
		culprit, second = rhs, true
	}
	reg := -1
	if _, inst, ok := ls.currentInst(); ok {
		switch op := opGetOpCode(inst); {
		case op >= OP_ADD && op <= OP_POW:
			if second {
				reg = rkReg(opGetArgC(inst))
			} else {
				reg = rkReg(opGetArgB(inst))
			}
		case op == OP_UNM:
			reg = rkReg(opGetArgB(inst))
		}
	}
	ls.typeError(reg, culprit, "perform arithmetic on")
}

// toNumber is v as a number, converting strings as arithmetic does.
func toNumber(v LValue) (LNumber, bool) {
	switch n := v.(type) {
	case LNumber:
		return n, true
	case LString:
		if num, err := parseNumber(string(n)); err == nil {
			return num, true
		}
	}
	return 0, false
}

// concatError raises the error for concatenating the values in registers
// i and i+1 (absolute), naming the first that is not a string or a number
// (luaG_concaterror). rhs is the right operand as concatenated so far.
func (ls *LState) concatError(i int, lhs, rhs LValue) {
	culprit := lhs
	if LVCanConvToString(lhs) {
		culprit, i = rhs, i+1
	}
	reg := -1
	if cf, inst, ok := ls.currentInst(); ok && opGetOpCode(inst) == OP_CONCAT {
		reg = i - cf.LocalBase
	}
	ls.typeError(reg, culprit, "concatenate")
}

// compareError raises the error for an order comparison of lhs and rhs
// (luaG_ordererror).
func (ls *LState) compareError(lhs, rhs LValue) {
	t1, t2 := lhs.Type().String(), rhs.Type().String()
	if t1 == t2 {
		ls.RaiseError("attempt to compare two %s values", t1)
	}
	ls.RaiseError("attempt to compare %s with %s", t1, t2)
}
