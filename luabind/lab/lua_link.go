package lab

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// init gives the link type its methods and field getter, which refer
// back to the type and so cannot sit in its declaration.
func init() {
	linkType.Methods = []luabind.Func{
		{Name: "shape", Sig: "link:shape([opts]) -> mechanisms", Fn: shapeMethod[*Link](linkType, "link.shape"),
			Types: luabind.Types{"opts": "table", "mechanisms": "table"},
			Doc:   "shapes both directions of the link (each end's egress), replacing the shape it had; nil or {} removes it; " + shapeDoc},
		{Name: "down", Sig: "link:down()", Fn: linkDown,
			Doc: "sets both ends down, as ip link set down does: frames stop and the routes through it go"},
		{Name: "up", Sig: "link:up()", Fn: linkUp,
			Doc: "sets both ends up again (their addresses stay; routes of the link come back)"},
	}
	linkType.Get = getLink
}

// shapeDoc documents the shape options and their mechanisms, for the
// docs of lab:link, link:shape and end:shape.
const shapeDoc = "opts: delay, jitter (\"10ms\", \"500us\" or a number of ms), loss, duplicate, reorder, corrupt (percent), " +
	"rate (\"10mbit\", \"512kbit\", \"1gbit\", \"100kbps\" in bytes, or a number of Mbit/s), queue (packets, default 1000); " +
	"returns which mechanism gives each part: netem where the kernel has it; otherwise loss is an nft rule (\"nft\"), " +
	"delay and jitter an NFQUEUE released on time by netlua (\"nfqueue\"; packets keep their order), and duplicate, reorder and corrupt are refused; " +
	"rate is always a tbf qdisc (\"tbf\", its queue counting full 1514-byte frames); the nft and nfqueue fallbacks shape IP packets only, " +
	"a switch port's at the ingress of the host behind it, whose receive timestamps (ping's, unless ping -U) then miss that direction's delay"

var linkType = &luabind.Type{
	Name: "lab.link",
	Doc:  "the veth pair between two lab ends: shape it, bring it down and up",
	Fields: []luabind.Field{
		{Name: "a", Type: "lab.end", Doc: "its first end (x of lab:link(x, y))"},
		{Name: "b", Type: "lab.end", Doc: "its second end"},
		{Name: "shaping", Type: "table", Doc: "the mechanisms shaping it now, as link:shape returned them; empty when unshaped"},
	},
}

// shapeOptions are the option names of a shape.
var shapeOptions = []string{"delay", "jitter", "loss", "duplicate", "reorder", "corrupt", "rate", "queue"}

// checkShape reads argument n as shape options.
func checkShape(L *lua.LState, n int) Shape {
	return shapeOf(L, n, luabind.CheckOptions(L, n, shapeOptions...))
}

// shapeOf reads the shape options of o, argument n.
func shapeOf(L *lua.LState, n int, o luabind.Options) Shape {
	s := Shape{
		Delay:     checkDuration(o, "delay"),
		Jitter:    checkDuration(o, "jitter"),
		Loss:      o.Number("loss", 0),
		Duplicate: o.Number("duplicate", 0),
		Reorder:   o.Number("reorder", 0),
		Corrupt:   o.Number("corrupt", 0),
		Rate:      checkRate(o),
		Queue:     o.Int("queue", 0),
	}
	if err := s.Check(); err != nil {
		luabind.ArgError(L, n, err.Error())
	}
	return s
}

// checkDuration reads a time option: "10ms", "1.5ms", "500us", "1s", or
// a number of milliseconds.
func checkDuration(o luabind.Options, name string) time.Duration {
	switch v := o.Value(name).(type) {
	case lua.LNumber:
		return time.Duration(float64(v) * float64(time.Millisecond))
	case lua.LString:
		d, err := time.ParseDuration(strings.TrimSpace(string(v)))
		if err != nil {
			o.Error(name, fmt.Sprintf("is not a time like \"10ms\" or \"500us\": %q", string(v)))
		}
		return d
	}
	_ = o.String(name, "") // raises the type error for anything else
	return 0
}

// rateUnits are tc's rate units: bits, and bytes for the "bps" ones.
var rateUnits = []struct {
	suffix string
	bits   float64
}{
	{"gbit", 1e9}, {"mbit", 1e6}, {"kbit", 1e3}, {"gbps", 8e9}, {"mbps", 8e6}, {"kbps", 8e3}, {"bps", 8}, {"bit", 1},
}

// checkRate reads the rate option: "10mbit" and tc's other units, or a
// number of Mbit/s as Mininet's bw.
func checkRate(o luabind.Options) uint64 {
	var bits float64
	switch v := o.Value("rate").(type) {
	case lua.LNumber:
		bits = float64(v) * 1e6
	case lua.LString:
		var ok bool
		if bits, ok = parseRate(string(v)); !ok {
			o.Error("rate", fmt.Sprintf("is not a rate like \"10mbit\" or \"512kbit\": %q", string(v)))
		}
	default:
		_ = o.String("rate", "")
	}
	if bits < 0 || bits > 32e9 {
		o.Error("rate", "must be from 8kbit to 32gbit")
	}
	return uint64(math.Round(bits))
}

// parseRate parses a rate in tc's units into bits per second.
func parseRate(s string) (float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, u := range rateUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			return f * u.bits, err == nil && f >= 0
		}
	}
	return 0, false
}

// mechanismsTable is m as Lua sees it: { delay = "nfqueue", rate = "tbf" }.
func mechanismsTable(L *lua.LState, m Mechanisms) *lua.LTable {
	t := L.NewTable()
	for _, f := range []struct{ k, v string }{
		{"delay", m.Delay}, {"loss", m.Loss}, {"rate", m.Rate},
		{"duplicate", m.Duplicate}, {"reorder", m.Reorder}, {"corrupt", m.Corrupt},
	} {
		if f.v != "" {
			t.RawSetString(f.k, lua.LString(f.v))
		}
	}
	return t
}

// shapeMethod implements link:shape([opts]) and end:shape([opts]) for
// the objects of type t, raising errors as op.
func shapeMethod[T interface {
	Shape(Shape) (Mechanisms, error)
}](t *luabind.Type, op string) lua.LGFunction {
	return func(L *lua.LState) int {
		k := luabind.CheckObject[T](L, 1, t)
		m, err := k.Shape(checkShape(L, 2))
		if err != nil {
			luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: needLinks})
		}
		L.Push(mechanismsTable(L, m))
		return 1
	}
}

// linkDown implements link:down().
func linkDown(L *lua.LState) int { return setLinkState(L, false, "link.down") }

// linkUp implements link:up().
func linkUp(L *lua.LState) int { return setLinkState(L, true, "link.up") }

func setLinkState(L *lua.LState, up bool, op string) int {
	k := luabind.CheckObject[*Link](L, 1, linkType)
	if err := k.SetUp(up); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: needLinks})
	}
	return 0
}

// getLink serves the fields of a link.
func getLink(L *lua.LState, v any, key string) lua.LValue {
	k := v.(*Link)
	switch key {
	case "a":
		return object(L, k.A)
	case "b":
		return object(L, k.B)
	case "shaping":
		_, m := k.A.Shaping()
		return mechanismsTable(L, m)
	}
	return lua.LNil
}
