package lua

import (
	"strings"
	"testing"
)

// A Go function that yields with YieldAgain is called again, with its own
// arguments, each time the coroutine is resumed, until it returns: the
// caller gets its results (or its error) as from any call, and what resume
// passed is ignored.
func TestYieldAgain(t *testing.T) {
	L := NewState()
	defer L.Close()
	calls := 0
	L.SetGlobal("wait", L.NewFunction(func(L *LState) int {
		calls++
		n := L.CheckInt(1)
		if calls%3 != 0 {
			if !L.CanYieldAgain() {
				L.RaiseError("cannot yield again here")
			}
			return L.YieldAgain(LString("waiting"), LNumber(calls))
		}
		if n < 0 {
			L.RaiseError("negative %d", n)
		}
		s := L.OptString(2, "none")
		L.Push(LNumber(n * 2))
		L.Push(LString(s))
		return 2
	}))
	if err := L.DoString(`
		body = function(a)
			local x, y = wait(a, "first")
			local t = { wait(a + 1) }
			local ok, err = pcall(function() local v = wait(-1) return v end)
			return x, y, t[1], t[2], #t, ok, err
		end
	`); err != nil {
		t.Fatal(err)
	}
	co, _ := L.NewThread()
	body := L.GetGlobal("body").(*LFunction)
	var got []string
	for i := 0; i < 10; i++ {
		st, err, vals := L.Resume(co, body, LNumber(20), LString("ignored"))
		if err != nil {
			t.Fatal(err)
		}
		var vs []string
		for _, v := range vals {
			vs = append(vs, v.String())
		}
		got = append(got, strings.Join(vs, " "))
		if st == ResumeOK {
			break
		}
	}
	want := []string{
		"waiting 1", "waiting 2", // the first call, tried 3 times
		"waiting 4", "waiting 5", // the second; the third runs in pcall, which cannot yield
		"40 first 42 none 2 false <string>:5: cannot yield again here", // the third, inside pcall
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// CanYieldAgain is false where the call cannot be made again: on the main
// thread, in a tail call, in a call from Go (pcall) or below one, through
// __call.
func TestCanYieldAgain(t *testing.T) {
	L := NewState()
	defer L.Close()
	L.SetGlobal("can", L.NewFunction(func(L *LState) int {
		L.Push(LBool(L.CanYieldAgain()))
		return 1
	}))
	if err := L.DoString(`
		local function run(f) return select(2, coroutine.resume(coroutine.create(f))) end
		local callable = setmetatable({}, { __call = can })
		res = table.concat({
			tostring(can()),
			tostring(run(function() local v = can() return v end)),
			tostring(run(function() return can() end)),
			tostring(run(function() return select(2, pcall(can)) end)),
			tostring(run(function() return select(2, pcall(function() local v = can() return v end)) end)),
			tostring(run(function() local v = callable() return v end)),
		}, " ")
	`); err != nil {
		t.Fatal(err)
	}
	if got, want := L.GetGlobal("res").String(), "false true false false false false"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
