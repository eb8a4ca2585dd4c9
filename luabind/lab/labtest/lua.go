package labtest

import (
	"sync"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/testlab"
)

// RunLua runs code as testlab.RunLua does, in a runtime made with mods, returning what it wrote on
// standard output and standard error together, with three more globals that
// make UDP traffic between lab ends in Go, so that the Lua thread stays
// free for hooks:
//
//	udp_send(end, port, payload [, count])  sends count datagrams (1) from end to its peer
//	udp_blast(end, port, payload, count)    the same from a goroutine; returns at once
//	udp_listen(end, port) -> received       received() is the list of payloads so far
func RunLua(t testing.TB, code string, mods ...*luabind.Module) (string, error) {
	t.Helper()
	return testlab.RunLuaWith(t, code, udpGlobals(t), mods...)
}

// MustLua is RunLua that fails the test on a Lua error.
func MustLua(t testing.TB, code string, mods ...*luabind.Module) string {
	t.Helper()
	return testlab.MustLuaWith(t, code, udpGlobals(t), mods...)
}

// udpGlobals sets up a runtime as RunLua describes.
func udpGlobals(t testing.TB) func(rt *luabind.Runtime) {
	return func(rt *luabind.Runtime) {
		rt.Stderr = rt.Stdout
		for name, fn := range map[string]lua.LGFunction{
			"udp_send":   func(L *lua.LState) int { return send(t, L, false) },
			"udp_blast":  func(L *lua.LState) int { return send(t, L, true) },
			"udp_listen": func(L *lua.LState) int { return listen(t, L) },
		} {
			rt.L.SetGlobal(name, rt.L.NewFunction(fn))
		}
	}
}

func checkEnd(L *lua.LState) *lab.End {
	e, ok := L.CheckUserData(1).Value.(*lab.End)
	if !ok {
		L.ArgError(1, "lab end expected")
	}
	return e
}

// send implements udp_send and udp_blast.
func send(t testing.TB, L *lua.LState, background bool) int {
	c, to := Sender(t, checkEnd(L), L.CheckInt(2))
	payload, count := []byte(L.CheckString(3)), L.OptInt(4, 1)
	blast := func() {
		for i := 0; i < count; i++ {
			if _, err := c.WriteTo(payload, to); err != nil {
				return // the test has ended and closed the socket
			}
		}
	}
	if background {
		go blast()
	} else {
		blast()
	}
	return 0
}

// listen implements udp_listen.
func listen(t testing.TB, L *lua.LState) int {
	c := Listen(t, checkEnd(L), L.CheckInt(2))
	var mu sync.Mutex
	var got []string
	go func() {
		buf := make([]byte, 1<<16)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			mu.Lock()
			got = append(got, string(buf[:n]))
			mu.Unlock()
		}
	}()
	L.Push(L.NewFunction(func(L *lua.LState) int {
		mu.Lock()
		defer mu.Unlock()
		list := L.CreateTable(len(got), 0)
		for _, s := range got {
			list.Append(lua.LString(s))
		}
		L.Push(list)
		return 1
	}))
	return 1
}
