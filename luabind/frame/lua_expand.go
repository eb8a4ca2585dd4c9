package frame

import (
	"fmt"
	"net/netip"
	"slices"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// Generators: a layer whose fields hold a list of values, a "lo-hi"
// range of numbers or a CIDR prefix of addresses stands for one frame per
// combination, as Scapy's IP(dst="198.18.0.0/28")/TCP(dport=[22, 80]).
// The constructors mark such a table with a metatable of its own (see
// generatorLayer); frame.expand lists its frames and sr sends them;
// frame.build refuses it.

// expandFunc is frame.expand.
var expandFunc = luabind.Func{Name: "expand",
	Sig: "expand({layer, ...}|layer) -> {{layer, ...}, ...}", Fn: expand,
	Types: luabind.Types{"layer": "frame.layer"},
	Doc: "the frames of a generator, as Scapy's list(pkt): a field given a list { 22, 80 }, a range \"1-1024\" (numbers) or a prefix \"198.18.0.0/28\" " +
		"(addresses, network and broadcast included) takes each value in turn; the last layer varies fastest and, in a layer, its first field; " +
		"list fields (options, records) are no generators; at most 2^20 frames"}

func expand(L *lua.LState) int {
	st := stateOf(L)
	list := st.frameList(L, 1)
	g := st.generator(L, 1, list, false)
	out := L.CreateTable(g.count, 0)
	g.each(L, func() {
		frame := L.CreateTable(list.Len(), 0)
		for k := 1; k <= list.Len(); k++ {
			frame.Append(g.elemValue(L, k, list.RawGetInt(k)))
		}
		out.Append(frame)
	})
	L.Push(out)
	return 1
}

// frameList is argument n as a build list: one layer is a list of it.
func (st *state) frameList(L *lua.LState, n int) *lua.LTable {
	v := L.Get(n)
	if st.isLayer(v) || st.isGenerator(v) {
		t := L.CreateTable(1, 0)
		t.Append(v)
		return t
	}
	if ud, ok := v.(*lua.LUserData); ok {
		return listOf(L, ud)
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		luabind.TypeError(L, n, "table")
	}
	return t
}

// A generator is a build list whose generator layers have become layers
// of their own, with the fields that vary as its dimensions.
type generator struct {
	subst  *lua.LTable    // the list, generator tables replaced by their layers (for building)
	layers map[int]*Layer // those layers, by element
	tables map[int]*lua.LTable
	dims   []genDim // outermost first
	pos    []int    // where each dimension is
	count  int
}

// A genDim is a field that varies: element elem's field.
type genDim struct {
	elem, field int
	values      []lua.LValue
}

// isGenerator reports whether v is a generator layer.
func (st *state) isGenerator(v lua.LValue) bool {
	t, ok := v.(*lua.LTable)
	if !ok {
		return false
	}
	mt, ok := t.Metatable.(*lua.LTable)
	return ok && st.gens[mt] != nil
}

// generator reads build list t (argument n). build says whether the
// layers are wanted (sr) or only the dimensions (expand).
func (st *state) generator(L *lua.LState, n int, t *lua.LTable, build bool) *generator {
	g := &generator{layers: map[int]*Layer{}, tables: map[int]*lua.LTable{}}
	if build {
		g.subst = L.CreateTable(t.Len(), 0)
	}
	var sizes []int
	for k := 1; k <= t.Len(); k++ {
		v := t.RawGetInt(k)
		if gt, ok := v.(*lua.LTable); ok && st.isGenerator(gt) {
			g.tables[k] = gt
			p := st.gens[gt.Metatable.(*lua.LTable)]
			l := new(Layer)
			*l = p.defaults
			g.addDims(L, k, p, gt, l)
			g.layers[k] = l
			v = luabind.NewObject(L, layerType, l)
		}
		if build {
			g.subst.Append(v)
		}
	}
	for _, d := range g.dims {
		sizes = append(sizes, len(d.values))
	}
	count, err := product(sizes)
	if err != nil {
		luabind.ArgError(L, n, err.Error())
	}
	g.count, g.pos = count, make([]int, len(g.dims))
	return g
}

// addDims sets l's plain fields from generator table t of p, element k,
// and adds its varying fields as dimensions, the last field outermost.
func (g *generator) addDims(L *lua.LState, k int, p *Proto, t *lua.LTable, l *Layer) {
	var dims []genDim
	for key, v := t.Next(lua.LNil); key != lua.LNil; key, v = t.Next(key) {
		name, ok := key.(lua.LString)
		if !ok || name == "name" {
			continue
		}
		i := fieldIndex(L, p, string(name))
		if vals := genValues(L, p, i, v); vals != nil {
			dims = append(dims, genDim{elem: k, field: i, values: vals})
		} else {
			setField(L, l, i, v)
		}
	}
	slices.SortFunc(dims, func(a, b genDim) int { return b.field - a.field })
	g.dims = append(g.dims, dims...)
}

// each calls fn once per frame, the generator layers' fields set to its
// values, the last dimension varying fastest.
func (g *generator) each(L *lua.LState, fn func()) {
	clear(g.pos)
	for range g.count {
		for d := range g.dims {
			if l := g.layers[g.dims[d].elem]; l != nil {
				setField(L, l, g.dims[d].field, g.dims[d].values[g.pos[d]])
			}
		}
		fn()
		for d := len(g.dims) - 1; d >= 0; d-- {
			if g.pos[d]++; g.pos[d] < len(g.dims[d].values) {
				break
			}
			g.pos[d] = 0
		}
	}
}

// elemValue is element k of the current frame, for expand: a generator
// table becomes a copy with the current values, marked as a plain layer.
func (g *generator) elemValue(L *lua.LState, k int, v lua.LValue) lua.LValue {
	t := g.tables[k]
	if t == nil {
		return v
	}
	c := copyTable(L, t)
	p := stateOf(L).gens[t.Metatable.(*lua.LTable)]
	for d := range g.dims {
		if g.dims[d].elem == k {
			c.RawSetString(p.Fields[g.dims[d].field].Name, g.dims[d].values[g.pos[d]])
		}
	}
	c.Metatable = stateOf(L).metatable(L, p)
	return c
}

// genValues returns the values that value v of field i of p stands for
// when it is a generator value, each checked; nil when v is one value.
func genValues(L *lua.LState, p *Proto, i int, v lua.LValue) []lua.LValue {
	f := &p.Fields[i]
	if f.Kind == List {
		return nil // a list by nature
	}
	var vals []lua.LValue
	switch x := v.(type) {
	case *lua.LTable:
		if x.Len() == 0 {
			luabind.Errorf(L, "frame."+p.Name, "field '%s': an empty list of values", f.Name)
		}
		for k := 1; k <= x.Len(); k++ {
			e := x.RawGetInt(k)
			if _, nested := e.(*lua.LTable); nested {
				luabind.Errorf(L, "frame."+p.Name, "field '%s': value %d is a table, in a list of values", f.Name, k)
			}
			if more := genValues(L, p, i, e); more != nil {
				vals = append(vals, more...)
			} else {
				vals = append(vals, e)
			}
		}
	case lua.LString:
		vals = stringValues(L, p, f, string(x))
	}
	for _, e := range vals {
		var check Layer = p.defaults
		setField(L, &check, i, e)
	}
	return vals
}

// stringValues expands a range of a number field or a prefix of an
// address field; nil for a plain string.
func stringValues(L *lua.LState, p *Proto, f *Field, s string) []lua.LValue {
	fail := func(err error) { luabind.Errorf(L, "frame."+p.Name, "field '%s': %v", f.Name, err) }
	switch {
	case f.Kind.numeric():
		r, ok, err := parseRange(s)
		if err != nil {
			fail(err)
		}
		if !ok {
			return nil
		}
		vals := make([]lua.LValue, 0, r.hi-r.lo+1)
		for n := r.lo; ; n++ {
			vals = append(vals, lua.LNumber(n))
			if n == r.hi {
				return vals
			}
		}
	case f.Kind == IPv4Addr || f.Kind == IPv6Addr || f.Kind == IPAddr:
		pfx, ok, err := parseNet(s)
		if err != nil {
			fail(err)
		}
		if !ok {
			return nil
		}
		return addrValues(netAddrs(pfx))
	}
	return nil
}

// addrValues are addresses as Lua strings.
func addrValues(addrs []netip.Addr) []lua.LValue {
	vals := make([]lua.LValue, len(addrs))
	for i, a := range addrs {
		vals[i] = lua.LString(a.String())
	}
	return vals
}

// generatorLayer makes table t a generator layer of p when one of its
// fields holds a generator value, and returns it (a copy when t had a
// metatable of its own); nil when t is a plain layer. The plain fields
// are checked as a constructor checks them.
func (st *state) generatorLayer(L *lua.LState, p *Proto, t *lua.LTable) *lua.LTable {
	gen := false
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		if name, ok := k.(lua.LString); ok && name != "name" {
			if _, isField := p.Field(string(name)); isField && genValues(L, p, fieldIndex(L, p, string(name)), v) != nil {
				gen = true
			}
		}
	}
	if !gen {
		return nil
	}
	check := p.defaults
	new(generator).addDims(L, 1, p, t, &check)
	if t.Metatable != lua.LNil {
		t = copyTable(L, t)
	}
	renameAliases(L, p, t)
	t.Metatable = st.genMetatable(L, p)
	return t
}

// genMetatable marks the generator layers of p: fields left out read as
// their defaults; tostring names it a generator.
func (st *state) genMetatable(L *lua.LState, p *Proto) *lua.LTable {
	for mt, q := range st.gens {
		if q == p {
			return mt
		}
	}
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		key, ok := L.Get(2).(lua.LString)
		if !ok {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(defaultValue(L, p, string(key)))
		return 1
	}))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("%s generator (frame.expand lists its frames)", p.Name)))
		return 1
	}))
	if st.gens == nil {
		st.gens = map[*lua.LTable]*Proto{}
	}
	st.gens[mt] = p
	return mt
}

// refuseGenerator raises the error of a generator where one frame is
// wanted (frame.build, show).
func (st *state) refuseGenerator(L *lua.LState, t *lua.LTable) {
	if st.isGenerator(t) {
		p := st.gens[t.Metatable.(*lua.LTable)]
		luabind.Errorf(L, "frame.build", "the %s layer is a generator (a field holds a list, a range or a prefix): "+
			"frame.expand lists its frames, sr and srp send them", p.Name)
	}
}
