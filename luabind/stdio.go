package luabind

import (
	"io"

	lua "github.com/yuin/gopher-lua"
)

// replaceOutput sends everything a script writes to standard output or
// error through rt.Stdout and rt.Stderr: print, io.write, io.stdout:write
// and io.stderr:write. Tests and embedders capture it whole and in order
// that way, and netlua's command sees every write, so that a closed pipe
// ends the script through its cleanup.
func (rt *Runtime) replaceOutput() {
	print := Func{Name: "print", Sig: "print(...)", Doc: "writes its arguments, tab-separated, to standard output", Fn: func(L *lua.LState) int {
		var b []byte
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				b = append(b, '\t')
			}
			b = append(b, L.ToStringMeta(L.Get(i)).String()...)
		}
		b = append(b, '\n')
		rt.Stdout.Write(b)
		return 0
	}}
	rt.L.SetGlobal("print", rt.function(print, false))
	iomod, ok := rt.L.GetGlobal("io").(*lua.LTable)
	if !ok {
		return
	}
	rt.replaceWrite(iomod)
	rt.replaceFileWrite(iomod, "stdout", func() io.Writer { return rt.Stdout })
	rt.replaceFileWrite(iomod, "stderr", func() io.Writer { return rt.Stderr })
}

// replaceWrite makes io.write write to rt.Stdout, as print does, while
// standard output is the default output file; after io.output(file) it
// writes to that file, with the file's write method. It returns the
// default output file, for chained writes, or the method's nil and error
// message.
func (rt *Runtime) replaceWrite(iomod *lua.LTable) {
	stdout := iomod.RawGetString("stdout")
	output, ok := iomod.RawGetString("output").(*lua.LFunction)
	if !ok {
		return
	}
	write := Func{Name: "write", Sig: "io.write(...)", Doc: "writes strings and numbers to the default output file: standard output, or the file given to io.output", Fn: func(L *lua.LState) int {
		b := writeArgs(L, 1)
		out := defaultOutput(L, output)
		switch {
		case out == stdout:
			if b != nil {
				rt.Stdout.Write(b)
			}
		case b != nil:
			top := L.GetTop()
			L.Push(L.GetField(out, "write"))
			L.Push(out)
			L.Push(lua.LString(b))
			L.Call(2, lua.MultRet)
			if L.Get(top+1) != lua.LTrue {
				return L.GetTop() - top
			}
		}
		L.Push(out)
		return 1
	}}
	iomod.RawSetString("write", rt.function(write, false))
}

// defaultOutput is the file io.output() returns.
func defaultOutput(L *lua.LState, output *lua.LFunction) lua.LValue {
	L.Push(output)
	L.Call(0, 1)
	f := L.Get(-1)
	L.Pop(1)
	return f
}

// replaceFileWrite gives io.stdout (or io.stderr) a write method of its
// own, writing to out(), in a copy of the metatable all files share.
// Like Lua's, it returns true, or nil and the error's message.
func (rt *Runtime) replaceFileWrite(iomod *lua.LTable, name string, out func() io.Writer) {
	L := rt.L
	ud, ok := iomod.RawGetString(name).(*lua.LUserData)
	shared, ok2 := L.GetMetatable(ud).(*lua.LTable)
	if !ok || !ok2 {
		return
	}
	mt := L.NewTable()
	shared.ForEach(func(k, v lua.LValue) { mt.RawSet(k, v) })
	mt.RawSetString("__index", mt)
	write := Func{Name: "write", Sig: "file:write(...)", Doc: "writes strings and numbers to the file", Fn: func(L *lua.LState) int {
		b := writeArgs(L, 2)
		if _, err := out().Write(b); err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		L.Push(lua.LTrue)
		return 1
	}}
	mt.RawSetString("write", rt.function(write, true))
	L.SetMetatable(ud, mt)
}

// writeArgs is the text of arguments from..top of a write: strings and
// numbers, as Lua's write takes them.
func writeArgs(L *lua.LState, from int) []byte {
	var b []byte
	for i := from; i <= L.GetTop(); i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			b = append(b, v...)
		case lua.LNumber:
			b = append(b, v.String()...)
		default:
			TypeError(L, i, "string")
		}
	}
	return b
}
