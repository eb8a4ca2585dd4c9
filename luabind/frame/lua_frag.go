package frame

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua side of fragment.go: frame.fragment and frame.defragment.

// fragmentFunc and defragmentFunc are their entries in the module.
var (
	fragmentFunc = luabind.Func{Name: "fragment",
		Sig: "fragment(packet|bytes [, fragsize] [, {first = \"ether\"|\"ip\"}]) -> { bytes, ... }", Fn: fragment,
		Types: luabind.Types{"packet": "frame.packet", "bytes": "string", "fragsize": "integer", "first": "string"},
		Doc: "cuts an IPv4 frame into fragments as Scapy's fragment(pkt, fragsize) does: fragsize (default 1480) is the payload bytes of each fragment, " +
			"rounded down to a multiple of 8 for all but the last; headers before IPv4 and the IPv4 options are copied into each, MF set on all but the last, " +
			"offsets added, lengths and header checksums computed; first says whether bytes start with Ethernet (default, VLAN tags skipped) or IPv4"}
	defragmentFunc = luabind.Func{Name: "defragment",
		Sig: "defragment({packet|bytes, ...} [, {first = \"ether\"|\"ip\"}]) -> { bytes, ... }", Fn: defragment,
		Types: luabind.Types{"packet": "frame.packet", "bytes": "string", "first": "string"},
		Doc: "reassembles the IPv4 fragments in a list as Scapy's defragment does: grouped by id, src, dst and proto, sorted by offset; " +
			"each complete datagram takes the place of its last fragment, other frames stay as they are; a group with a hole, a duplicate " +
			"or an overlap is left as it was (Scapy never picks between overlapping bytes)"}
)

func fragment(L *lua.LState) int {
	frame, ether := fragInput(L, 1, L.Get(1))
	size, opts := luabind.OptInt(L, 2, DefaultFragSize), 3
	if _, isTable := L.Get(2).(*lua.LTable); isTable {
		size, opts = DefaultFragSize, 2
	}
	ether = fragEther(L, opts, ether)
	frags, err := Fragment(frame, size, ether)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	pushFrames(L, frags)
	return 1
}

func defragment(L *lua.LState) int {
	list := L.CheckTable(1)
	var frames [][]byte
	ether := true
	for i := 1; i <= list.Len(); i++ {
		f, e := fragInput(L, 1, list.RawGetInt(i))
		frames = append(frames, f)
		if i == 1 {
			ether = e
		}
	}
	pushFrames(L, Defragment(frames, fragEther(L, 2, ether)))
	return 1
}

// fragInput is the frame of a packet or byte string, and whether it
// starts with Ethernet (for a string: yes, unless option first says).
func fragInput(L *lua.LState, n int, v lua.LValue) ([]byte, bool) {
	switch v := v.(type) {
	case lua.LString:
		return []byte(v), true
	case *lua.LUserData:
		if pk, ok := v.Value.(*packet); ok {
			return []byte(pk.frame), len(pk.Layers) == 0 || pk.Layers[0].Proto == Ether
		}
	}
	luabind.ArgError(L, n, "packet or byte string expected, got "+v.Type().String())
	return nil, false
}

// fragEther reads option first of argument n: "ether" or "ip".
func fragEther(L *lua.LState, n int, def bool) bool {
	if L.Get(n) == lua.LNil {
		return def
	}
	opts := luabind.CheckOptions(L, n, "first")
	switch opts.String("first", "ether") {
	case "ether":
		return true
	case "ip":
		return false
	}
	opts.Error("first", "must be \"ether\" or \"ip\"")
	return false
}

// pushFrames pushes a list of byte strings.
func pushFrames(L *lua.LState, frames [][]byte) {
	t := L.CreateTable(len(frames), 0)
	for _, f := range frames {
		t.Append(lua.LString(f))
	}
	L.Push(t)
}
