package filter

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua module "filter": this file registers it and holds
// filter.compile; lua_program.go holds filter.program and its methods.
// They are the thin binding of Compile and Program.

// Module returns the Lua module "filter", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "filter",
		Doc:  "tcpdump filter expressions (pcap-filter(7)) compiled in Go to classic BPF",
		Funcs: []luabind.Func{
			{Name: "compile", Sig: "compile(expr [, { linktype = \"ether\" }]) -> program", Fn: compile,
				Types: luabind.Types{"expr": "string", "linktype": "string", "program": "filter.program"},
				Doc:   "compiles a tcpdump expression for Ethernet frames, as libpcap 1.10 does (mpls, pppoes, llc, geneve, ip/ip6 protochain, up to 16 headers, included); names are looked up now: hosts through the system's resolver, ports, protocols, networks and MAC addresses in /etc/services, /etc/protocols, /etc/networks and /etc/ethers; an error names the column, and what tcpdump accepts but netlua cannot is named as not supported"},
		},
		Types: []*luabind.Type{programType},
	}
}

func compile(L *lua.LState) int {
	expr := luabind.CheckString(L, 1)
	o := luabind.CheckOptions(L, 2, "linktype")
	if lt := o.String("linktype", "ether"); lt != "ether" && lt != "ethernet" {
		o.Error("linktype", "is \""+lt+"\": only \"ether\" is supported")
	}
	p, err := Compile(expr)
	if err != nil {
		luabind.Raise(L, err)
	}
	L.Push(luabind.NewObject(L, programType, p))
	return 1
}
