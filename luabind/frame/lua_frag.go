package frame

import (
	"math"
	"math/rand/v2"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua side of fragment.go and fragment6.go: frame.fragment,
// frame.defragment, frame.fragment6 and frame.defragment6.

// fragmentFunc and defragmentFunc are their entries in the module.
var (
	fragmentFunc = luabind.Func{Name: "fragment",
		Sig: "fragment(packet|bytes [, fragsize] [, {first = \"ether\"|\"ip\"}]) -> { bytes, ... }", Fn: fragment,
		Types: luabind.Types{"packet": "frame.packet", "bytes": "string", "fragsize": "integer", "first": "string"},
		Doc: "cuts an IPv4 frame into fragments as Scapy's fragment(pkt, fragsize) does: fragsize (default 1480) is the payload bytes of each fragment, " +
			"rounded down to a multiple of 8 for all but the last; headers before IPv4 and the IPv4 options are copied into each, MF set on all but the last, " +
			"offsets added, lengths and header checksums computed; first says whether bytes start with Ethernet (default, VLAN tags skipped) or IPv4"}
	fragment6Func = luabind.Func{Name: "fragment6",
		Sig: "fragment6(packet|bytes, fragsize [, {first = \"ether\"|\"ip\", id = n}]) -> { bytes, ... }", Fn: fragment6,
		Types: luabind.Types{"packet": "frame.packet", "bytes": "string", "fragsize": "integer", "first": "string", "id": "integer", "n": "integer"},
		Doc: "cuts an IPv6 frame into fragments as Scapy's fragment6(pkt, fragsize) does: fragsize bounds each whole frame, headers before IPv6 included; " +
			"a frame without a fragment header gets one right after the IPv6 header (id n, random by default; extension headers go into the fragmented part), " +
			"one that has one keeps it and its id; data is cut in multiples of 8 bytes; a frame that fits comes back whole; a fragsize that leaves no room for data is an error"}
	defragment6Func = luabind.Func{Name: "defragment6",
		Sig: "defragment6({packet|bytes, ...} [, {first = \"ether\"|\"ip\"}]) -> bytes|nil", Fn: defragment6,
		Types: luabind.Types{"packet": "frame.packet", "bytes": "string", "first": "string"},
		Doc: "reassembles IPv6 fragments as Scapy's defragment6 does: one datagram from the fragments with the id of the first one (other frames are dropped; nil when none is a fragment), " +
			"sorted by offset; a hole is filled with 'X' bytes, and an overlapping or repeated fragment is appended whole after the data before it (nothing is overwritten)"}
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
	frames, ether := fragList(L)
	pushFrames(L, Defragment(frames, fragEther(L, 2, ether)))
	return 1
}

func fragment6(L *lua.LState) int {
	frame, ether := fragInput(L, 1, L.Get(1))
	size := luabind.CheckInt(L, 2)
	opts := luabind.CheckOptions(L, 3, "first", "id")
	id := uint32(rand.Uint32())
	if opts.Has("id") {
		n := opts.Int("id", 0)
		if n < 0 || n > math.MaxUint32 {
			opts.Error("id", "must be in 0..0xffffffff")
		}
		id = uint32(n)
	}
	frags, err := Fragment6(frame, size, fragFirst(opts, ether), id)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	pushFrames(L, frags)
	return 1
}

func defragment6(L *lua.LState) int {
	frames, ether := fragList(L)
	d, ok := Defragment6(frames, fragEther(L, 2, ether))
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(d))
	return 1
}

// fragList is argument 1, a list of packets or byte strings, and whether
// they start with Ethernet (as its first element says).
func fragList(L *lua.LState) ([][]byte, bool) {
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
	return frames, ether
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
	return fragFirst(luabind.CheckOptions(L, n, "first"), def)
}

// fragFirst reads option first, "ether" or "ip", def when absent.
func fragFirst(opts luabind.Options, def bool) bool {
	if !opts.Has("first") {
		return def
	}
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
