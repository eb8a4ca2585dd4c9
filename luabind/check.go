package luabind

import (
	"fmt"
	"math"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// ArgError raises Lua's own "bad argument" error for argument n of the
// running Go function: bad argument #2 to 'open' (table expected, got number).
// For a method called with ':' the object is not counted, as in Lua.
func ArgError(L *lua.LState, n int, msg string) {
	name, method := currentFunc(L)
	if method {
		n--
		if n == 0 {
			L.RaiseError("calling '%s' on bad self (%s)", name, msg)
		}
	}
	L.RaiseError("bad argument #%d to '%s' (%s)", n, name, msg)
}

// TypeError raises "bad argument #n to 'f' (want expected, got T)".
func TypeError(L *lua.LState, n int, want string) {
	ArgError(L, n, fmt.Sprintf("%s expected, got %s", want, TypeName(L, n)))
}

// TypeName is the Lua type of argument n, or "no value" past the last one.
func TypeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

// currentFunc names the Go function that is running, as it was registered.
func currentFunc(L *lua.LState) (name string, method bool) {
	if dbg, ok := L.GetStack(0); ok {
		if fn, err := L.GetInfo("f", dbg, lua.LNil); err == nil {
			if f, ok := fn.(*lua.LFunction); ok {
				if info, ok := runtimeOf(L).funcs[f]; ok {
					return info.name, info.method
				}
			}
		}
		if _, err := L.GetInfo("n", dbg, lua.LNil); err == nil && dbg.Name != "" {
			return dbg.Name, false
		}
	}
	return "?", false
}

// CheckString returns argument n as a string. Numbers are not converted:
// a port where a name belongs is a mistake worth reporting.
func CheckString(L *lua.LState, n int) string {
	if s, ok := L.Get(n).(lua.LString); ok {
		return string(s)
	}
	TypeError(L, n, "string")
	return ""
}

// OptString returns argument n as a string, or def when it is nil or absent.
func OptString(L *lua.LState, n int, def string) string {
	if L.Get(n) == lua.LNil {
		return def
	}
	return CheckString(L, n)
}

// CheckNumber returns argument n as a float64.
func CheckNumber(L *lua.LState, n int) float64 {
	if v, ok := L.Get(n).(lua.LNumber); ok {
		return float64(v)
	}
	TypeError(L, n, "number")
	return 0
}

// OptNumber returns argument n as a float64, or def when it is nil or absent.
func OptNumber(L *lua.LState, n int, def float64) float64 {
	if L.Get(n) == lua.LNil {
		return def
	}
	return CheckNumber(L, n)
}

// CheckInt returns argument n as an int; a number with a fraction is an error.
func CheckInt(L *lua.LState, n int) int {
	v := CheckNumber(L, n)
	if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		ArgError(L, n, "number has no integer representation")
	}
	return int(v)
}

// OptInt returns argument n as an int, or def when it is nil or absent.
func OptInt(L *lua.LState, n int, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	return CheckInt(L, n)
}

// CheckTable returns argument n as a table.
func CheckTable(L *lua.LState, n int) *lua.LTable {
	if t, ok := L.Get(n).(*lua.LTable); ok {
		return t
	}
	TypeError(L, n, "table")
	return nil
}

// CheckFunction returns argument n as a function.
func CheckFunction(L *lua.LState, n int) *lua.LFunction {
	if f, ok := L.Get(n).(*lua.LFunction); ok {
		return f
	}
	TypeError(L, n, "function")
	return nil
}

// Options reads an option table such as { promisc = true, proto = "all" }.
// It rejects names it does not know, so a typo never passes silently.
type Options struct {
	L *lua.LState
	n int
	t *lua.LTable // nil when the argument was absent
}

// CheckOptions returns argument n as an option table whose keys must be
// among names. An absent or nil argument is an empty table.
func CheckOptions(L *lua.LState, n int, names ...string) Options {
	o := Options{L: L, n: n}
	if L.Get(n) == lua.LNil {
		return o
	}
	o.t = CheckTable(L, n)
	o.t.ForEach(func(k, _ lua.LValue) {
		ks, ok := k.(lua.LString)
		if !ok {
			ArgError(L, n, fmt.Sprintf("option names are strings, got %s %s", k.Type(), k.String()))
		}
		for _, name := range names {
			if string(ks) == name {
				return
			}
		}
		sorted := append([]string(nil), names...)
		sort.Strings(sorted)
		ArgError(L, n, fmt.Sprintf("unknown option '%s', have: %s", ks, strings.Join(sorted, ", ")))
	})
	return o
}

// Value returns the raw value of option name, lua.LNil when absent.
func (o Options) Value(name string) lua.LValue {
	if o.t == nil {
		return lua.LNil
	}
	return o.t.RawGetString(name)
}

// Has reports whether option name is given.
func (o Options) Has(name string) bool { return o.Value(name) != lua.LNil }

// String returns option name as a string, or def when absent.
func (o Options) String(name, def string) string {
	switch v := o.Value(name).(type) {
	case *lua.LNilType:
		return def
	case lua.LString:
		return string(v)
	}
	o.typeError(name, "a string")
	return ""
}

// Number returns option name as a float64, or def when absent.
func (o Options) Number(name string, def float64) float64 {
	switch v := o.Value(name).(type) {
	case *lua.LNilType:
		return def
	case lua.LNumber:
		return float64(v)
	}
	o.typeError(name, "a number")
	return 0
}

// Int returns option name as an int, or def when absent.
func (o Options) Int(name string, def int) int {
	v := o.Number(name, float64(def))
	if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		o.typeError(name, "an integer")
	}
	return int(v)
}

// Bool returns option name as a bool, or def when absent.
func (o Options) Bool(name string, def bool) bool {
	switch v := o.Value(name).(type) {
	case *lua.LNilType:
		return def
	case lua.LBool:
		return bool(v)
	}
	o.typeError(name, "a boolean")
	return false
}

// Error raises a bad-argument error about option name.
func (o Options) Error(name, msg string) {
	ArgError(o.L, o.n, fmt.Sprintf("option '%s' %s", name, msg))
}

func (o Options) typeError(name, want string) {
	v := o.Value(name)
	o.Error(name, fmt.Sprintf("expects %s, got %s", want, v.Type()))
}
