package packet

import (
	"fmt"
	"math"
	"sort"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua side of blast's options (the method itself is socketBlast in lua_socket.go).
// Argument 3 is the option table; errors about it read "bad argument #2
// to 'blast'", as Lua counts a method's arguments.

const blastOpts = 3

// checkBlast reads blast's options.
func checkBlast(L *lua.LState) BlastOptions {
	o := luabind.CheckOptions(L, blastOpts, "count", "duration", "rate", "vary", "progress", "workers", "engine")
	opt := BlastOptions{Limits: checkLimits(o), Engine: checkEngine(o)}
	if opt.Count == 0 && opt.Duration == 0 {
		luabind.ArgError(L, blastOpts, "give a count or a duration: a blast must end")
	}
	if o.Has("rate") {
		opt.Rate = o.Number("rate", 0)
		if !(opt.Rate > 0) {
			o.Error("rate", "must be over 0 frames per second (leave it out for full speed)")
		}
	}
	opt.Vary = checkVary(L, o.Value("vary"))
	opt.Workers = checkWorkers(L, o, opt.Rate)
	if opt.Engine == EngineXDP {
		// One AF_XDP socket holds a queue, and a veth has one.
		if o.Has("workers") && opt.Workers > 1 {
			o.Error("workers", "is 1 with engine \"xdp\": its socket holds the interface's queue")
		}
		opt.Workers = 1
	}
	rt := luabind.RuntimeOf(L)
	if o.Bool("progress", expected(opt) > 2*time.Second && luabind.IsTerminal(rt.Stderr)) {
		opt.Progress = rt.Stderr
	}
	return opt
}

// checkWorkers reads option workers: a whole number from 1, by default
// one per CPU the process may use for a blast faster than one sender goes
// (unpaced, or paced over fullSpeed), else one: a slower paced blast gains
// nothing from more, and one sender keeps its frames in order and each
// at k/rate seconds from the start.
func checkWorkers(L *lua.LState, o luabind.Options, rate float64) int {
	if o.Has("workers") {
		n := o.Int("workers", 1)
		if n < 1 || n > maxWorkers {
			o.Error("workers", fmt.Sprintf("must be 1 to %d", maxWorkers))
		}
		return n
	}
	if rate > 0 && rate <= fullSpeed {
		return 1
	}
	cpus, err := AllowedCPUs()
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet.blast", Err: err})
	}
	return len(cpus)
}

// maxWorkers bounds a blast's workers: each holds a socket and a thread.
const maxWorkers = 1024

// fullSpeed is a guess at an unpaced blast's rate, for the length of a
// run that has only a count: about what a veth takes.
const fullSpeed = 1e6

// expected is how long a blast is expected to last.
func expected(opt BlastOptions) time.Duration {
	d := time.Duration(math.MaxInt64)
	if opt.Duration > 0 {
		d = opt.Duration
	}
	if opt.Count > 0 {
		rate := opt.Rate
		if rate == 0 {
			rate = fullSpeed
		}
		d = min(d, time.Duration(float64(opt.Count)/rate*float64(time.Second)))
	}
	return d
}

// checkVary reads option vary: { [field] = spec, ..., order = "seq" | "random" },
// the fields in a fixed order (named ones sorted, then offsets), since
// fields that overlap are written in turn.
func checkVary(L *lua.LState, v lua.LValue) []VaryField {
	if v == lua.LNil {
		return nil
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		luabind.ArgError(L, blastOpts, "option 'vary' expects a table, got "+v.Type().String())
	}
	random := checkOrder(L, "vary", t.RawGetString("order"), false)
	var fields []VaryField
	t.ForEach(func(k, spec lua.LValue) {
		if k == lua.LString("order") {
			return
		}
		f := VaryField{Random: random}
		switch k := k.(type) {
		case lua.LString:
			f.Field = string(k)
		case lua.LNumber:
			if k != lua.LNumber(math.Trunc(float64(k))) || k < 0 || k > 1<<20 {
				luabind.ArgError(L, blastOpts, fmt.Sprintf("vary[%v]: a byte offset is a whole number from 0 into the frame", k))
			}
			f.Offset = int(k)
		default:
			luabind.ArgError(L, blastOpts, "vary: keys are field names (\"udp.dport\"), byte offsets (42) or order, got "+k.Type().String())
		}
		checkSpec(L, &f, spec)
		fields = append(fields, f)
	})
	sort.Slice(fields, func(i, j int) bool {
		a, b := &fields[i], &fields[j]
		if a.Field != b.Field {
			return a.Field > b.Field // names before "", the offsets
		}
		return a.Offset < b.Offset
	})
	return fields
}

// checkOrder reads an order option: "seq" (false) or "random" (true).
func checkOrder(L *lua.LState, where string, v lua.LValue, def bool) bool {
	switch v {
	case lua.LNil:
		return def
	case lua.LString("seq"):
		return false
	case lua.LString("random"):
		return true
	}
	luabind.ArgError(L, blastOpts, fmt.Sprintf(`%s: order is "seq" or "random", got %s`, where, describe(v)))
	return false
}

// describe is v as an error message shows it: "random" or a number 3.
func describe(v lua.LValue) string {
	if s, ok := v.(lua.LString); ok {
		return fmt.Sprintf("%q", string(s))
	}
	return v.Type().String() + " " + v.String()
}

// varyKey is how a vary field is written in Lua: vary["udp.dport"], vary[42].
func varyKey(f *VaryField) string {
	if f.Field == "" {
		return "vary" + f.Name()
	}
	return fmt.Sprintf("vary[%q]", f.Field)
}

// varyError raises a bad argument error about the vary field f.
func varyError(L *lua.LState, f *VaryField, msg string) {
	luabind.ArgError(L, blastOpts, varyKey(f)+": "+msg)
}

// checkSpec reads the values of the vary field f: true (the field's
// whole range, counting on from the frame's value), a string
// ("198.18.0.0/24", "1000-1999"), a number, or { lo, hi [, order] [, width] }.
func checkSpec(L *lua.LState, f *VaryField, spec lua.LValue) {
	var err error
	switch v := spec.(type) {
	case lua.LBool:
		if !v || f.Field == "" {
			varyError(L, f, "expects a range such as { 1, 100 } or \"1-100\", got "+describe(v))
		}
		f.FromFrame = true
	case lua.LString:
		f.Lo, f.Hi, err = ParseRange(string(v))
	case lua.LNumber:
		f.Lo, err = value(v)
		f.Hi = f.Lo
	case *lua.LTable:
		checkSpecTable(L, f, v)
	default:
		varyError(L, f, "expects a range such as { 1, 100 } or \"1-100\", got "+spec.Type().String())
	}
	if err != nil {
		varyError(L, f, err.Error())
	}
}

// checkSpecTable reads { lo, hi [, order = "seq" | "random"] [, width = 1 | 2 | 4] }.
func checkSpecTable(L *lua.LState, f *VaryField, t *lua.LTable) {
	t.ForEach(func(k, _ lua.LValue) {
		switch k {
		case lua.LNumber(1), lua.LNumber(2), lua.LString("order"), lua.LString("width"):
			return
		}
		varyError(L, f, fmt.Sprintf("unknown key %s, have: 1, 2 (low and high), order, width", describe(k)))
	})
	var err error
	if f.Lo, err = value(t.RawGetInt(1)); err != nil {
		varyError(L, f, "low end: "+err.Error())
	}
	f.Hi = f.Lo
	if hi := t.RawGetInt(2); hi != lua.LNil {
		if f.Hi, err = value(hi); err != nil {
			varyError(L, f, "high end: "+err.Error())
		}
	}
	f.Random = checkOrder(L, varyKey(f), t.RawGetString("order"), f.Random)
	if w := t.RawGetString("width"); w != lua.LNil {
		n, ok := w.(lua.LNumber)
		if f.Field != "" || !ok || (n != 1 && n != 2 && n != 4) {
			varyError(L, f, "width is 1, 2 or 4 bytes, for a byte offset only, got "+describe(w))
		}
		f.Width = int(n)
	}
}

// value reads one value of a vary range: a whole number or an IPv4
// address (or a number) in a string.
func value(v lua.LValue) (uint32, error) {
	switch v := v.(type) {
	case lua.LNumber:
		if v != lua.LNumber(math.Trunc(float64(v))) || v < 0 || v > math.MaxUint32 {
			return 0, fmt.Errorf("%v is not a whole number from 0 to 4294967295", v)
		}
		return uint32(v), nil
	case lua.LString:
		return ParseValue(string(v))
	}
	return 0, fmt.Errorf("expects a number or an address, got %s", v.Type())
}

// workersDoc is blast's doc about option workers.
const workersDoc = "workers: senders at once, each with its own socket and thread pinned to a CPU (default: one per CPU the process may use, but one for a rate up to 1e6; 1: the socket itself, frames in order); " +
	"worker k of n sends every n-th frame from the k-th of what one sender would (its share of count and rate, every n-th value of each counted vary field), so frames stay as unique as with one; " +
	"the result's workers lists each one's { sent, seconds, pps, errors, cpu }"

// workersTable is a blast's per-worker figures as Lua sees them.
func workersTable(L *lua.LState, ws []WorkerStats) *lua.LTable {
	t := L.CreateTable(len(ws), 0)
	for _, w := range ws {
		wt := L.CreateTable(0, 5)
		wt.RawSetString("sent", lua.LNumber(w.Sent))
		wt.RawSetString("seconds", lua.LNumber(w.Elapsed.Seconds()))
		wt.RawSetString("pps", lua.LNumber(w.PPS()))
		wt.RawSetString("errors", lua.LNumber(w.Errors))
		wt.RawSetString("cpu", lua.LNumber(w.CPU))
		t.Append(wt)
	}
	return t
}
