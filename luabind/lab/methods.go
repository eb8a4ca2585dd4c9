package lab

import (
	"fmt"
	"time"

	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// labHost implements lab:host([name]).
func labHost(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	h, err := l.Host(luabind.OptString(L, 2, ""))
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.host", Err: err, Need: needLinks})
	}
	L.Push(object(L, h))
	return 1
}

// labLink implements lab:link(x, y).
func labLink(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	x, y := checkHost(L, 2), checkHost(L, 3)
	ex, ey, err := l.Link(x, y)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.link", Err: err, Need: needLinks})
	}
	L.Push(object(L, ex))
	L.Push(object(L, ey))
	return 2
}

// labClose implements lab:close().
func labClose(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	if err := l.Close(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.close", Err: err})
	}
	return 0
}

// hostExec implements host:exec(argv [, opts]) and end:exec.
func hostExec(L *lua.LState) int {
	h := checkHost(L, 1)
	c := Cmd{Argv: checkArgv(L, 2)}
	o := luabind.CheckOptions(L, 3, "timeout", "stdin")
	c.Stdin = o.String("stdin", "")
	secs := o.Number("timeout", DefaultTimeout.Seconds())
	if secs <= 0 {
		o.Error("timeout", "must be positive")
	}
	c.Timeout = time.Duration(secs * float64(time.Second))
	res, err := h.Exec(luabind.RuntimeOf(L).Context(), c)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.exec", Object: h.Name(), Err: err})
	}
	L.Push(lua.LString(res.Output))
	L.Push(lua.LNumber(res.Status))
	return 2
}

// hostSysctl implements host:sysctl(name [, value]) and end:sysctl.
func hostSysctl(L *lua.LState) int {
	h, name := checkHost(L, 1), luabind.CheckString(L, 2)
	var err error
	switch v := L.Get(3).(type) {
	case *lua.LNilType:
	case lua.LString, lua.LNumber:
		err = h.SetSysctl(name, v.String())
	default:
		luabind.TypeError(L, 3, "string or number")
	}
	var value string
	if err == nil {
		value, err = h.Sysctl(name)
	}
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.sysctl", Object: h.Name() + " " + name, Err: err})
	}
	L.Push(lua.LString(value))
	return 1
}

// hostForward implements host:forward([on]) and end:forward.
func hostForward(L *lua.LState) int {
	h := checkHost(L, 1)
	on := true
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case lua.LBool:
		on = bool(v)
	default:
		luabind.TypeError(L, 2, "boolean")
	}
	if err := h.Forward(on); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.forward", Object: h.Name(), Err: err})
	}
	return 0
}

// checkArgv reads argument n as a command: a non-empty array of strings
// (numbers are written as Lua writes them).
func checkArgv(L *lua.LState, n int) []string {
	t := luabind.CheckTable(L, n)
	argv := make([]string, 0, t.Len())
	for i := 1; i <= t.Len(); i++ {
		switch v := t.RawGetInt(i).(type) {
		case lua.LString, lua.LNumber:
			argv = append(argv, v.String())
		default:
			luabind.ArgError(L, n, fmt.Sprintf("command word %d is a %s, want a string", i, v.Type()))
		}
	}
	if len(argv) == 0 {
		luabind.ArgError(L, n, "empty command")
	}
	return argv
}

// checkHost returns argument n as a host: a lab host, or the host of a
// lab end.
func checkHost(L *lua.LState, n int) *Host {
	if h := hostOf(L.Get(n)); h != nil {
		return h
	}
	luabind.TypeError(L, n, "lab host or end")
	return nil
}

// hostOf is the host v stands for, or nil.
func hostOf(v lua.LValue) *Host {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil
	}
	switch x := ud.Value.(type) {
	case *Host:
		return x
	case *End:
		return x.Host
	}
	return nil
}
