package frame

import (
	"math/rand/v2"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// fuzzFunc is frame.fuzz, the Lua side of Fuzz.
var fuzzFunc = luabind.Func{Name: "fuzz",
	Sig: "fuzz(layer|{layer, ...} [, {seed = n}]) -> layer|{layer, ...}", Fn: fuzz,
	Types: luabind.Types{"layer": "frame.layer", "seed": "integer", "n": "integer"},
	Doc: "copies of the layers (a list for a list or a packet) whose fields neither given nor computed take random values of their type on each build, " +
		"as Scapy's fuzz(); lengths and checksums stay computed, byte strings and lists keep their default; " +
		"the same seed gives the same frames, none a random one"}

func fuzz(L *lua.LState) int {
	st := stateOf(L)
	opts := luabind.CheckOptions(L, 2, "seed")
	seed := rand.Uint64()
	if opts.Has("seed") {
		seed = uint64(opts.Int("seed", 0))
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	arg := L.Get(1)
	one := st.isLayer(arg)
	list, ok := arg.(*lua.LTable)
	switch {
	case one:
		list = L.NewTable()
		list.Append(arg)
	case !ok:
		ud, isUD := arg.(*lua.LUserData)
		if !isUD {
			luabind.TypeError(L, 1, "table")
		}
		list = listOf(L, ud) // a packet
	}
	layers := st.layerList(L, 1, list)
	out := L.CreateTable(len(layers), 0)
	for _, l := range layers {
		out.Append(luabind.NewObject(L, layerType, Fuzz(l, r)))
	}
	clear(layers)
	if one {
		L.Push(out.RawGetInt(1))
	} else {
		L.Push(out)
	}
	return 1
}

// isLayer reports whether v is one layer rather than a list of them: a
// layer userdata, a table a constructor made, or a table with a name.
func (st *state) isLayer(v lua.LValue) bool {
	switch x := v.(type) {
	case *lua.LUserData:
		_, ok := x.Value.(*Layer)
		return ok
	case *lua.LTable:
		_, named := x.RawGetString("name").(lua.LString)
		return named || st.tableProto(x) != nil
	}
	return false
}
