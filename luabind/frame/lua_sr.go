package frame

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// Requests are the frames of an sr call (packet's srp, rawip's sr), built
// from its frames argument, with what matches replies against them: it
// implements conv.Matcher with Hashret and Answers, on the script's
// protocols, define's answers rules included.
type Requests struct {
	L      *lua.LState
	st     *state
	first  *Proto   // where a frame's parse starts; nil: IPv4 or IPv6 by its version
	Frames [][]byte // the frames to send, generators expanded
	pkts   []Packet // the frames parsed
	reply  Packet   // the last reply, parsed into the same memory each time
	sent   []lua.LValue
}

// A Prepare sees the layers of each frame before it is built, as the
// sockets' address filling does; an error stops the call.
type Prepare func([]*Layer) error

// CheckRequests reads argument n of an sr call: one frame (bytes, a
// layer, a parsed packet, a list of layers that may hold generators) or a
// list of frames. A list whose first element is a layer is one frame.
// first is where frames are parsed from (nil: by IP version); prepare,
// when not nil, sees the layers of each frame before it is built.
func CheckRequests(L *lua.LState, n int, first *Proto, prepare Prepare) *Requests {
	st := stateOf(L)
	r := &Requests{L: L, st: st, first: first}
	for _, v := range st.frameValues(L, n) {
		if s, ok := v.(lua.LString); ok {
			r.Frames = append(r.Frames, []byte(s))
			continue
		}
		r.Frames = st.appendFrames(L, n, r.Frames, v, prepare)
		if len(r.Frames) > MaxExpand {
			luabind.ArgError(L, n, fmt.Sprintf("more than %d frames", MaxExpand))
		}
	}
	r.pkts = make([]Packet, len(r.Frames))
	for i, f := range r.Frames {
		st.reg.Parse(&r.pkts[i], f, r.protoOf(f))
	}
	r.sent = make([]lua.LValue, len(r.Frames))
	return r
}

// frameValues are the frames of argument n, one value each.
func (st *state) frameValues(L *lua.LState, n int) []lua.LValue {
	v := L.Get(n)
	t, ok := v.(*lua.LTable)
	switch {
	case !ok:
		if _, isUD := v.(*lua.LUserData); !isUD && v.Type() != lua.LTString {
			luabind.TypeError(L, n, "table, string or packet")
		}
		return []lua.LValue{v}
	case t.Len() == 0 && !st.isLayer(t) && !st.isGenerator(t):
		luabind.ArgError(L, n, "no frames")
	case st.isLayer(t) || st.isGenerator(t) || st.isLayer(t.RawGetInt(1)) || st.isGenerator(t.RawGetInt(1)):
		return []lua.LValue{t}
	}
	vals := make([]lua.LValue, t.Len())
	for k := range vals {
		vals[k] = t.RawGetInt(k + 1)
	}
	return vals
}

// appendFrames builds frame v (a layer, a packet or a build list, with
// generators) and appends its frames to out.
func (st *state) appendFrames(L *lua.LState, n int, out [][]byte, v lua.LValue, prepare Prepare) [][]byte {
	var list *lua.LTable
	switch x := v.(type) {
	case *lua.LUserData:
		list = listOf(L, x)
	case *lua.LTable:
		list = x
		if st.isLayer(x) || st.isGenerator(x) {
			list = L.CreateTable(1, 0)
			list.Append(x)
		}
	default:
		luabind.ArgError(L, n, "a frame is bytes, a layer, a packet or a list of layers, got "+v.Type().String())
	}
	g := st.generator(L, n, list, true)
	layers := st.layerList(L, n, g.subst)
	var scratch []Layer
	ptrs := make([]*Layer, len(layers))
	g.each(L, func() {
		if prepare != nil { // on copies: what it fills for one frame must not stick to the next
			scratch = scratch[:0]
			for _, l := range layers {
				scratch = append(scratch, *l)
			}
			for i := range scratch {
				ptrs[i] = &scratch[i]
			}
			if err := prepare(ptrs); err != nil {
				luabind.ArgError(L, n, fmt.Sprintf("frame %d: %v", len(out)+1, err))
			}
		} else {
			copy(ptrs, layers)
		}
		out = append(out, append([]byte(nil), st.builder.Build(ptrs)...))
	})
	clear(layers)
	return out
}

// protoOf is where frame data is parsed from.
func (r *Requests) protoOf(data []byte) *Proto {
	if r.first != nil {
		return r.first
	}
	return ForIP(data)
}

// Request returns the hash bucket of request i.
func (r *Requests) Request(i int) uint64 { return Hashret(&r.pkts[i]) }

// Reply parses a received frame and returns its hash bucket.
func (r *Requests) Reply(data []byte) (uint64, bool) {
	r.st.reg.Parse(&r.reply, data, r.protoOf(data))
	return Hashret(&r.reply), true
}

// Answers reports whether the frame last given to Reply answers request
// i. define's answers rules run in the calling state; an error in one is
// raised there.
func (r *Requests) Answers(i int) bool {
	outer := r.st.caller
	r.st.caller = r.L
	defer func() { r.st.caller = outer }()
	return Answers(&r.reply, &r.pkts[i])
}

// Sent is request i as frame.parse gives it, the same value each time.
func (r *Requests) Sent(L *lua.LState, i int) lua.LValue {
	if r.sent[i] == nil {
		r.sent[i] = r.Packet(L, r.Frames[i])
	}
	return r.sent[i]
}

// Packet is data as frame.parse gives it, parsed as the requests are.
func (r *Requests) Packet(L *lua.LState, data []byte) lua.LValue {
	r.st.reg.Parse(&r.st.pkt, data, r.protoOf(data))
	return r.st.newPacket(L, string(data))
}
