package nfqueue

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua type nfqueue.packet: what the script's function gets for each
// queued packet.

var packetType = &luabind.Type{
	Name: "nfqueue.packet",
	Doc:  "a queued packet: its metadata, and the layers frame.parse finds from its IP header on",
	Fields: []luabind.Field{
		{Name: "id", Type: "integer", Doc: "the kernel's ID of the packet in its queue"},
		{Name: "ifname", Type: "string", Doc: "the interface it came in by (or, for output, leaves by)"},
		{Name: "ifindex", Type: "integer", Doc: "that interface's index"},
		{Name: "mark", Type: "integer", Doc: "the packet's mark (meta mark)"},
		{Name: "hook", Type: "string", Doc: "the hook it was queued in: input, output..."},
		{Name: "bytes", Type: "string", Doc: "the packet from its IP header on"},
		{Name: "<layer>", Type: "layer", Doc: "its layers as frame.parse gives them: pkt.ipv4, pkt.tcp, pkt.payload, pkt.layers"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue { return v.(*packet).get(L, key) },
}

// A packet is a queued packet as Lua sees it: its metadata, and its
// layers, which frame.parse decodes on first use.
type packet struct {
	Packet
	h      *queueHook
	parsed lua.LValue
}

func (p *packet) get(L *lua.LState, key string) lua.LValue {
	switch key {
	case "id":
		return lua.LNumber(p.ID)
	case "ifname":
		return lua.LString(p.h.q.Ifname(p.ifindex()))
	case "ifindex":
		return lua.LNumber(p.ifindex())
	case "mark":
		return lua.LNumber(p.Mark)
	case "hook":
		return lua.LString(p.h.match.HookName())
	case "bytes":
		return lua.LString(p.Data)
	}
	if p.parsed == nil {
		p.parsed = p.h.parseIP(L, p.Data)
	}
	return L.GetField(p.parsed, key)
}

// ifindex is the interface the packet came in by or, for packets made
// here, leaves by.
func (p *packet) ifindex() uint32 {
	if p.InDev != 0 {
		return p.InDev
	}
	return p.OutDev
}

// parseIP calls frame.parse(data, { first = "ip" }), loading frame once.
func (h *queueHook) parseIP(L *lua.LState, data []byte) lua.LValue {
	if h.parse == nil {
		L.Push(L.GetGlobal("require"))
		L.Push(lua.LString("frame"))
		L.Call(1, 1)
		h.parse = L.GetField(L.Get(-1), "parse")
		L.Pop(1)
		h.first = L.NewTable()
		h.first.RawSetString("first", lua.LString("ip"))
	}
	L.Push(h.parse)
	L.Push(lua.LString(data))
	L.Push(h.first)
	L.Call(2, 1)
	v := L.Get(-1)
	L.Pop(1)
	return v
}
