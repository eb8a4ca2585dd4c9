package lab

import (
	"os"
	"time"

	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// toolMethods are the lab's checks and views: pingall, show and dot.
var toolMethods = []luabind.Func{
	{Name: "pingall", Sig: "lab:pingall([opts]) -> result", Fn: labPingAll,
		Types: luabind.Types{"opts": "table", "result": "table"},
		Doc: "pings, from every addressed host at once, the first IPv4 (and IPv6) address of every other, as Mininet's pingall, with raw ICMP sockets in Go (no program: works under setcap); switches are left out; " +
			"result: sent, received (pairs), matrix[from][to] (true when answered), matrix6 when ends have IPv6, and hint when pings failed because the lab outgrew the kernel's ARP or NDP table (gc_thresh3, shared by all namespaces); opts: timeout (s, default 2), print (writes Mininet's matrix)"},
	{Name: "show", Sig: "lab:show() -> text", Fn: labShow,
		Types: luabind.Types{"text": "string"},
		Doc:   "the topology as text: each host, its role (host, router, switch) and interfaces (MAC, addresses, the other end), then each link with its shaping"},
	{Name: "dot", Sig: "lab:dot([file]) -> text", Fn: labDOT,
		Types: luabind.Types{"file": "string", "text": "string"},
		Doc:   "the topology as a Graphviz DOT graph (hosts, routers, switches, links with interfaces, addresses and shaping), also written to file if given: dot -Tsvg turns it into a picture"},
}

// labPingAll implements lab:pingall([opts]).
func labPingAll(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	o := luabind.CheckOptions(L, 2, "timeout", "print")
	secs := o.Number("timeout", 2)
	if secs <= 0 {
		o.Error("timeout", "must be positive")
	}
	show := o.Bool("print", false)
	rt := luabind.RuntimeOf(L)
	pings, err := l.PingAll(rt.Context(), PingOptions{Timeout: time.Duration(secs * float64(time.Second))})
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "lab.pingall", Err: err, Need: needLinks})
	}
	hint := l.PingHint(pings, NeighbourLimit)
	if show {
		report := PingReport(pings)
		if hint != "" {
			report += "*** Note: " + hint + "\n"
		}
		rt.Stdout.Write([]byte(report))
	}
	res := pingResult(L, pings)
	if hint != "" {
		res.RawSetString("hint", lua.LString(hint))
	}
	L.Push(res)
	return 1
}

// pingResult is the table lab:pingall returns.
func pingResult(L *lua.LState, pings []Ping) *lua.LTable {
	res := L.NewTable()
	received := 0
	for _, p := range pings {
		key := "matrix"
		if p.Addr.Is6() {
			key = "matrix6"
		}
		m, ok := res.RawGetString(key).(*lua.LTable)
		if !ok {
			m = L.NewTable()
			res.RawSetString(key, m)
		}
		row, ok := m.RawGetString(p.From.name).(*lua.LTable)
		if !ok {
			row = L.NewTable()
			m.RawSetString(p.From.name, row)
		}
		row.RawSetString(p.To.name, lua.LBool(p.OK))
		if p.OK {
			received++
		}
	}
	if res.RawGetString("matrix") == lua.LNil {
		res.RawSetString("matrix", L.NewTable())
	}
	res.RawSetString("sent", lua.LNumber(len(pings)))
	res.RawSetString("received", lua.LNumber(received))
	return res
}

// labShow implements lab:show().
func labShow(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	L.Push(lua.LString(l.Show()))
	return 1
}

// labDOT implements lab:dot([file]).
func labDOT(L *lua.LState) int {
	l := luabind.CheckObject[*Lab](L, 1, labType)
	file := luabind.OptString(L, 2, "")
	text := l.DOT()
	if file != "" {
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			luabind.Raise(L, &luabind.OpError{Op: "lab.dot", Err: err}) // err names the file
		}
	}
	L.Push(lua.LString(text))
	return 1
}
