package lab

import (
	"errors"
	"fmt"

	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// builderFuncs are the module's topology builders, named as Mininet's.
var builderFuncs = []luabind.Func{
	{Name: "single", Sig: "single(n [, opts]) -> lab", Fn: single,
		Types: luabind.Types{"n": "integer", "opts": "table", "lab": "lab.lab"},
		Doc:   "Mininet's single,n: hosts h1...hn on switch s1, one subnet (opts: pin, ipv6)"},
	{Name: "linear", Sig: "linear(n [, opts]) -> lab", Fn: linear,
		Types: luabind.Types{"n": "integer", "opts": "table", "lab": "lab.lab"},
		Doc:   "Mininet's linear,n: switches s1...sn in a chain, host hi on si, one subnet (opts: pin, ipv6)"},
	{Name: "tree", Sig: "tree([depth [, fanout [, opts]]]) -> lab", Fn: tree,
		Types: luabind.Types{"depth": "integer", "fanout": "integer", "opts": "table", "lab": "lab.lab"},
		Doc:   "Mininet's tree,depth,fanout (default 1, 2): a tree of switches, hosts at the leaves, numbered as Mininet does, one subnet (opts: pin, ipv6)"},
	{Name: "ring", Sig: "ring(n [, opts]) -> lab", Fn: ring,
		Types: luabind.Types{"n": "integer", "opts": "table", "lab": "lab.lab"},
		Doc:   "routers r1...rn in a ring (n >= 3), host hi beside ri, routed along shortest paths (routers, not switches: a loop of switches needs STP) (opts: pin, ipv6)"},
	{Name: "dumbbell", Sig: "dumbbell([opts]) -> lab", Fn: dumbbell,
		Types: luabind.Types{"opts": "table", "lab": "lab.lab"},
		Doc:   "left hosts on s1 behind router r1, right hosts on s2 behind r2, and the bottleneck link r1 - r2, routed (opts: left, right (default 2 each), bottleneck (lab:link's options for r1 - r2), pin, ipv6)"},
	{Name: "build", Sig: "build(topo) -> lab", Fn: buildTopo,
		Types: luabind.Types{"topo": "table", "lab": "lab.lab"},
		Doc:   "a lab from a table a course can hand out: { hosts = {\"h1\", ...}, switches = {...}, routers = {...}, links = {{\"h1\", \"s1\"}, {\"s1\", \"r1\", <lab:link's options>}, ...}, pin, ipv6 }; links between switches are made first; then lab:route()"},
}

// labOpts are the options of lab.new that the builders take too.
var labOpts = []string{"pin", "ipv6"}

// single implements lab.single(n [, opts]).
func single(L *lua.LState) int {
	n := checkCount(L, 1, 1)
	return buildLab(L, "lab.single", luabind.CheckOptions(L, 2, labOpts...), Single(n))
}

// linear implements lab.linear(n [, opts]).
func linear(L *lua.LState) int {
	n := checkCount(L, 1, 1)
	return buildLab(L, "lab.linear", luabind.CheckOptions(L, 2, labOpts...), Linear(n))
}

// tree implements lab.tree([depth [, fanout [, opts]]]).
func tree(L *lua.LState) int {
	depth, fanout := optCount(L, 1, 1), optCount(L, 2, 2)
	if pow(fanout, depth) > maxLAN {
		luabind.ArgError(L, 2, fmt.Sprintf("tree(%d, %d) has more hosts than one subnet holds (%d)", depth, fanout, maxLAN))
	}
	return buildLab(L, "lab.tree", luabind.CheckOptions(L, 3, labOpts...), Tree(depth, fanout))
}

// ring implements lab.ring(n [, opts]).
func ring(L *lua.LState) int {
	n := checkCount(L, 1, 3)
	return buildLab(L, "lab.ring", luabind.CheckOptions(L, 2, labOpts...), Ring(n))
}

// dumbbell implements lab.dumbbell([opts]).
func dumbbell(L *lua.LState) int {
	o := luabind.CheckOptions(L, 1, append([]string{"left", "right", "bottleneck"}, labOpts...)...)
	left, right := o.Int("left", 2), o.Int("right", 2)
	if left < 1 || right < 1 || left+1 > maxLAN || right+1 > maxLAN {
		o.Error("left", fmt.Sprintf("and right must be 1 to %d", maxLAN-1))
	}
	var bottleneck any
	if t, ok := o.Value("bottleneck").(*lua.LTable); ok {
		bottleneck = t
	} else if o.Has("bottleneck") {
		o.Error("bottleneck", "expects a table of lab:link's options")
	}
	return buildLab(L, "lab.dumbbell", o, Dumbbell(left, right, bottleneck))
}

// buildLab makes a lab with the options o and builds s in it, linking
// through the lab's own link method so that its options apply.
func buildLab(L *lua.LState, op string, o luabind.Options, s Spec) int {
	l := openLab(L, op, o)
	ud := object(L, l)
	if err := l.Build(s, luaLink(L, ud)); err != nil {
		l.Close()
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) {
			L.Error(apiErr.Object, 0) // lab:link's own error, as it raised it
		}
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: needLinks})
	}
	L.Push(ud)
	return 1
}

// luaLink links with the method lab:link of the lab ud, passing a
// LinkSpec's options (a table or nil) as its opts.
func luaLink(L *lua.LState, ud *lua.LUserData) LinkFunc {
	method := L.GetField(ud, "link")
	return func(x, y *Host, opts any) error {
		var o lua.LValue = lua.LNil
		if t, ok := opts.(*lua.LTable); ok {
			o = t
		}
		return L.CallByParam(lua.P{Fn: method, NRet: 0, Protect: true}, ud, object(L, x), object(L, y), o)
	}
}

// checkCount is argument n, an integer of at least least.
func checkCount(L *lua.LState, n, least int) int {
	v := luabind.CheckInt(L, n)
	if v < least || v > maxLAN {
		luabind.ArgError(L, n, fmt.Sprintf("must be %d to %d", least, maxLAN))
	}
	return v
}

// optCount is argument n, a positive integer, or def when absent.
func optCount(L *lua.LState, n, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkCount(L, n, 1)
}

// pow is b to the power e, or maxLAN+1 if that is more.
func pow(b, e int) int {
	p := 1
	for range e {
		if p *= b; p > maxLAN {
			return maxLAN + 1
		}
	}
	return p
}

// buildTopo implements lab.build(topo).
func buildTopo(L *lua.LState) int {
	o := luabind.CheckOptions(L, 1, append([]string{"hosts", "switches", "routers", "links"}, labOpts...)...)
	s := Spec{Hosts: nameList(o, "hosts"), Switches: nameList(o, "switches"), Routers: nameList(o, "routers")}
	links, _ := o.Value("links").(*lua.LTable)
	if links == nil && o.Has("links") {
		o.Error("links", "expects a list of links")
	}
	for i := 1; links != nil && i <= links.Len(); i++ {
		s.Links = append(s.Links, linkSpec(o, i, links.RawGetInt(i)))
	}
	return buildLab(L, "lab.build", o, s)
}

// nameList is option key as a list of node names.
func nameList(o luabind.Options, key string) []string {
	var out []string
	t, ok := o.Value(key).(*lua.LTable)
	if !ok && o.Has(key) {
		o.Error(key, "expects a list of names")
	}
	for i := 1; ok && i <= t.Len(); i++ {
		name, isString := t.RawGetInt(i).(lua.LString)
		if !isString {
			o.Error(key, fmt.Sprintf("expects a list of names, item %d is not a string", i))
		}
		out = append(out, string(name))
	}
	return out
}

// linkSpec reads link i of lab.build's links: {"x", "y", opt = v, ...};
// the named options become lab:link's opts.
func linkSpec(o luabind.Options, i int, v lua.LValue) LinkSpec {
	t, ok := v.(*lua.LTable)
	if !ok || t.Len() != 2 {
		o.Error("links", fmt.Sprintf("item %d is not {\"x\", \"y\" [, options]}", i))
	}
	a, aok := t.RawGetInt(1).(lua.LString)
	b, bok := t.RawGetInt(2).(lua.LString)
	if !aok || !bok {
		o.Error("links", fmt.Sprintf("item %d is not {\"x\", \"y\" [, options]}", i))
	}
	opts := o.L.NewTable()
	t.ForEach(func(k, v lua.LValue) {
		if _, isName := k.(lua.LString); isName {
			opts.RawSet(k, v)
		}
	})
	return LinkSpec{A: string(a), B: string(b), Opts: opts}
}
