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
	L.Push(lua.LBool(Answers(reply, request)))
	return 1
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
