package frame

import lua "github.com/yuin/gopher-lua"

// NewPacket decodes data from the layer first (nil: none, all payload) as
// frame.parse does, with the runtime's protocols (those frame.define
// added included), and returns the frame.packet Lua gets: for modules
// that hand scripts parsed packets, such as s:sniff.
func NewPacket(L *lua.LState, data []byte, first *Proto) *lua.LUserData {
	st := stateOf(L)
	s := string(data)
	st.reg.Parse(&st.pkt, []byte(s), first) // the layers' options point into their own copy, as parse's
	return st.newPacket(L, s)
}
