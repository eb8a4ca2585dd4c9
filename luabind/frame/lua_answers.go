package frame

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// answersFunc is frame.answers, the Lua side of Answers.
var answersFunc = luabind.Func{Name: "answers",
	Sig: "answers(reply, request) -> boolean", Fn: answers,
	Types: luabind.Types{"reply": "frame.packet|string", "request": "frame.packet|string"},
	Doc: "whether reply answers request, as Scapy 2.5's reply.answers(request) with its defaults (checkIPsrc, checkIPaddr and checkIPinIP on, checkIPID off): " +
		"ARP op and address, IP addresses swapped, ICMP echo id/seq, ICMP errors through the quoted packet, TCP ports swapped with SYN/ACK and seq/ack, " +
		"UDP ports, IPv6 (multicast requests, extension headers), ICMPv6 echo, ND NA for NS, DNS id and qr, BOOTP xid; other layers answer when the request " +
		"has the same layer and their payloads answer; byte strings are parsed from Ethernet"}

func answers(L *lua.LState) int {
	reply, request := answerPacket(L, 1), answerPacket(L, 2)
	st := stateOf(L)
	outer := st.caller
	st.caller = L                        // define's answers functions run here
	defer func() { st.caller = outer }() // also when one raises an error
	L.Push(lua.LBool(Answers(reply, request)))
	return 1
}

// defineAnswers gives protocol p the rule of define's answers option, a
// Lua function of the request's and the reply's layer (copies, so that it
// cannot change the packets). It runs in the state that called
// frame.answers; an error in it is that call's error.
func defineAnswers(L *lua.LState, st *state, p *Proto, opts luabind.Options) {
	v := opts.Value("answers")
	if v == lua.LNil {
		return
	}
	fn, ok := v.(*lua.LFunction)
	if !ok {
		opts.Error("answers", "expects a function, got "+v.Type().String())
	}
	p.Answers = func(self, other *Layer) bool {
		L := st.caller
		if L == nil {
			return false // only frame.answers runs Lua rules for now
		}
		req, rep := *other, *self
		L.Push(fn)
		L.Push(luabind.NewObject(L, layerType, &req))
		L.Push(luabind.NewObject(L, layerType, &rep))
		L.Call(2, 1)
		ok := lua.LVAsBool(L.Get(-1))
		L.Pop(1)
		return ok
	}
}

// answerPacket is argument n as a packet: a parsed packet as it is, a
// byte string parsed from Ethernet with the script's protocols.
func answerPacket(L *lua.LState, n int) *Packet {
	switch v := L.Get(n).(type) {
	case lua.LString:
		p := new(Packet)
		stateOf(L).reg.Parse(p, []byte(v), Ether)
		return p
	case *lua.LUserData:
		if p, ok := v.Value.(*packet); ok {
			return &p.Packet
		}
	}
	luabind.TypeError(L, n, "packet or string")
	return nil
}
