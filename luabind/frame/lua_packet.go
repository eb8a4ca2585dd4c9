package frame

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// packet is a parse result as Lua holds it. It reads like a table (p.ipv4,
// p.layers, p.payload) but makes what it is asked for on first use: with
// gopher-lua, a table with a key per layer costs more than parsing.
type packet struct {
	Packet               // its Layers are its own: scripts keep them
	frame  string        // the parsed bytes: payload and padding are slices of it
	uds    []lua.LValue  // the layers' userdata, made on first use
	few    [4]lua.LValue // where uds is for a few layers, saving an allocation
	list   *lua.LTable   // p.layers, made on first use
}

// packetType is the userdata of a parse result.
var packetType = &luabind.Type{
	Name: "frame.packet",
	Doc:  "a parsed frame: p.<layer> is its first layer of that name (p.vlan is the outer tag), nil if none; other names raise an error",
	Fields: []luabind.Field{
		{Name: "layers", Type: "table", Doc: "the layers in order; a repeated layer (QinQ) appears twice"},
		{Name: "payload", Type: "string", Doc: "the bytes no layer decoded"},
		{Name: "padding", Type: "string", Doc: "the bytes past the end a length field gave (Ethernet padding); nil if none"},
		{Name: "error", Type: "string", Doc: "why decoding stopped early; nil if it did not"},
		{Name: "<layer>", Type: "layer", Doc: "the first layer of that name: p.ether, p.ipv4, p.udp"},
	},
	Get:  func(L *lua.LState, v any, key string) lua.LValue { return v.(*packet).get(L, key) },
	Keys: func(v any) []string { return v.(*packet).layerNames() },
}

// layerNames are the names of the packet's layers, in order.
func (pk *packet) layerNames() []string {
	names := make([]string, len(pk.Layers))
	for i := range pk.Layers {
		names[i] = pk.Layers[i].Proto.Name
	}
	return names
}

// newPacket wraps the parse in st.pkt of frame s as a packet userdata.
func (st *state) newPacket(L *lua.LState, s string) *lua.LUserData {
	pk := &packet{Packet: st.pkt, frame: s}
	pk.Layers = append([]Layer(nil), st.pkt.Layers...)
	st.pkt.Payload, st.pkt.Padding = nil, nil
	return luabind.NewObject(L, packetType, pk)
}

// String sums the packet up, as Scapy's summary does: "ether / ipv4 /
// udp / 16 bytes".
func (pk *packet) String() string {
	var parts []string
	for i := range pk.Layers {
		parts = append(parts, pk.Layers[i].Proto.Name)
	}
	parts = append(parts, fmt.Sprintf("%d bytes", len(pk.Payload)))
	if pk.Err != nil {
		parts = append(parts, "error: "+pk.Err.Error())
	}
	return strings.Join(parts, " / ")
}

func (pk *packet) get(L *lua.LState, key string) lua.LValue {
	switch key {
	case "layers":
		return pk.layers(L)
	case "payload":
		rest := len(pk.frame) - len(pk.Payload) - len(pk.Padding)
		return lua.LString(pk.frame[rest : rest+len(pk.Payload)])
	case "padding":
		if len(pk.Padding) == 0 {
			return lua.LNil
		}
		return lua.LString(pk.frame[len(pk.frame)-len(pk.Padding):])
	case "error":
		if pk.Err == nil {
			return lua.LNil
		}
		return lua.LString(pk.Err.Error())
	}
	for i := range pk.Layers {
		if pk.Layers[i].Proto.Name == key {
			return pk.layer(L, i)
		}
	}
	if reg := stateOf(L).reg; reg.Proto(key) == nil {
		luabind.Errorf(L, "frame.packet", "%v", &unknownKeyError{key, reg})
	}
	return lua.LNil // a layer the frame lacks: if p.tcp then ... end
}

// packetFields are the names a parse result has besides its layers.
var packetFields = []string{"layers", "payload", "padding", "error"}

// An unknownKeyError is a name a parse result has no layer or field of,
// which is a typo: layers the frame lacks read as nil.
type unknownKeyError struct {
	key string
	reg *Registry
}

// Error names the key, the names near it, the fields and the layers.
func (e *unknownKeyError) Error() string {
	layers := e.reg.Names()
	return fmt.Sprintf("no layer or field '%s' (%shave: %s; layers: %s)", e.key,
		didYouMean(e.key, append(append([]string(nil), packetFields...), layers...)),
		strings.Join(packetFields, ", "), strings.Join(layers, ", "))
}

// layer returns the userdata of layer i, the same one each time.
func (pk *packet) layer(L *lua.LState, i int) lua.LValue {
	if pk.uds == nil {
		pk.uds = pk.few[:]
		if len(pk.Layers) > len(pk.few) {
			pk.uds = make([]lua.LValue, len(pk.Layers))
		}
	}
	if pk.uds[i] == nil {
		pk.uds[i] = luabind.NewObject(L, layerType, &pk.Layers[i])
	}
	return pk.uds[i]
}

// layers returns p.layers, the same table each time.
func (pk *packet) layers(L *lua.LState) *lua.LTable {
	if pk.list == nil {
		pk.list = L.CreateTable(len(pk.Layers), 0)
		for i := range pk.Layers {
			pk.list.Append(pk.layer(L, i))
		}
	}
	return pk.list
}

// appendLayers appends the packet's layers, payload and padding to list,
// so that f.build(p) makes the frame again (with the changes made to it).
func (pk *packet) appendLayers(st *state, list []*Layer) []*Layer {
	for i := range pk.Layers {
		list = append(list, &pk.Layers[i])
	}
	if len(pk.Payload) > 0 {
		list = append(list, st.rawLayer(pk.Payload))
	}
	if len(pk.Padding) > 0 {
		l := st.rawLayer(pk.Padding)
		l.Proto = paddingProto // outside lengths and checksums, as Scapy's Padding
		list = append(list, l)
	}
	return list
}
