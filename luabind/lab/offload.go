package lab

import (
	"sort"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/ethtool"
	lua "github.com/yuin/gopher-lua"
)

// SetOffload turns the end's offloads (ethtool.TSO, GSO, GRO) on or off
// inside its host, as ethtool -K does, with an ioctl and no program run.
// A veth's offloads go with it, so nothing is undone at exit.
func (e *End) SetOffload(f ethtool.Feature, on bool) error {
	return e.Host.ns.Do(func() error { return ethtool.Set(e.Ifname, f, on) })
}

// Offload reports whether the end's offload f is on.
func (e *End) Offload(f ethtool.Feature) (on bool, err error) {
	err = e.Host.ns.Do(func() (err error) {
		on, err = ethtool.Get(e.Ifname, f)
		return err
	})
	return on, err
}

// offloadDoc documents end:offload.
var offloadDoc = luabind.Func{Name: "offload", Sig: "end:offload([settings]) -> state", Fn: endOffload,
	Types: luabind.Types{"settings": "{ tso?: boolean, gso?: boolean, gro?: boolean }", "state": "{ tso: boolean, gso: boolean, gro: boolean }"},
	Doc: "turns the veth's offloads on or off as ethtool -K does (an ioctl, no program run): tso, gso, gro; returns their state after; " +
		"with all three off, the end sends one wire segment per TCP segment and does not merge the ones it receives"}

// endOffload implements end:offload([settings]).
func endOffload(L *lua.LState) int {
	const op = "end.offload"
	e := luabind.CheckObject[*End](L, 1, endType)
	o := luabind.CheckOptions(L, 2, "tso", "gso", "gro")
	names := make([]string, 0, len(ethtool.Features))
	for name := range ethtool.Features {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if o.Has(name) {
			if err := e.SetOffload(ethtool.Features[name], o.Bool(name, true)); err != nil {
				luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: needLinks})
			}
		}
	}
	state := L.CreateTable(0, len(names))
	for _, name := range names {
		on, err := e.Offload(ethtool.Features[name])
		if err != nil {
			luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: needLinks})
		}
		state.RawSetString(name, lua.LBool(on))
	}
	L.Push(state)
	return 1
}
