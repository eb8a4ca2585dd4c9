package luabind

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind/internal/gopanic"
)

// recoverPanic turns a Go panic in a binding into a Lua error. Lua's own
// errors are panics of *lua.ApiError and pass through untouched.
func recoverPanic(L *lua.LState, name string) {
	r := recover()
	if r == nil {
		return
	}
	if _, ok := r.(*lua.ApiError); ok {
		panic(r)
	}
	L.RaiseError("%s", gopanic.Error(name, r).Error())
}

// safely calls f, which runs Go code on netlua's side of the boundary (a
// loop job, a timer, an undo function), and returns its error. A Go panic
// in f becomes an error in Lua's form named after what, and a Lua error
// raised outside protected mode is returned as it is: either way the
// script ends through its cleanup, without a Go trace.
func safely(what string, f func() error) (err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case *lua.ApiError:
			err = r
		default:
			err = gopanic.Error(what, r)
		}
	}()
	return f()
}
