package sock

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/inet"
)

// socket:setsockopt, socket:getsockopt and socket:tcp_info.

var optionMethods = []luabind.Func{
	{Name: "setsockopt", Sig: "socket:setsockopt(name, value)", Fn: socketSetsockopt,
		Types: luabind.Types{"name": "string", "value": "boolean|integer|string|{ on: boolean, secs: integer }|false"},
		Doc: "sets a socket option by name: " + strings.Join(inet.OptionNames(), ", ") +
			"; flags are booleans, sizes and times numbers (as the kernel takes them), TCP_CONGESTION and SO_BINDTODEVICE strings, SO_LINGER { on = true, secs = n } or false"},
	{Name: "getsockopt", Sig: "socket:getsockopt(name) -> value", Fn: socketGetsockopt,
		Types: luabind.Types{"name": "string", "value": "boolean|integer|string|{ on: boolean, secs: integer }|false"},
		Doc:   "an option's value as the kernel reports it (SO_RCVBUF reads double what was set, as the kernel keeps room for its bookkeeping)"},
	{Name: "tcp_info", Sig: "socket:tcp_info() -> info", Fn: socketTCPInfo,
		Types: luabind.Types{"info": "table<string, integer|string>"},
		Doc: "struct tcp_info as the kernel fills it, fields named without tcpi_: state (\"ESTABLISHED\", \"LISTEN\", ...), ca_state (0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss), " +
			"rto, ato, rtt, rttvar (µs), snd_mss, rcv_mss, snd_cwnd, snd_ssthresh, unacked, sacked, lost, retrans, total_retrans, bytes_acked, snd_wnd, ... (every field of Linux 6.18's struct that the kernel returns)"},
}

// checkOption reads argument n as an option name.
func checkOption(L *lua.LState, n int) inet.Option {
	o, err := inet.LookupOption(luabind.CheckString(L, n))
	if err != nil {
		luabind.ArgError(L, n, err.Error())
	}
	return o
}

func socketSetsockopt(L *lua.LState) int {
	s := check(L, "setsockopt")
	o := checkOption(L, 2)
	v := checkValue(L, 3, o)
	if err := s.SetOption(o, v); err != nil {
		s.raise(L, "setsockopt", o.Name, err)
	}
	return 0
}

// checkValue reads argument n as a value of option o.
func checkValue(L *lua.LState, n int, o inet.Option) inet.Value {
	switch o.Kind {
	case inet.Bool:
		b, ok := L.Get(n).(lua.LBool)
		if !ok {
			luabind.TypeError(L, n, "boolean")
		}
		if b {
			return inet.Value{Int: 1}
		}
		return inet.Value{}
	case inet.String:
		return inet.Value{Str: luabind.CheckString(L, n)}
	case inet.Linger:
		return checkLinger(L, n)
	}
	return inet.Value{Int: luabind.CheckInt(L, n)}
}

// checkLinger reads a SO_LINGER value: false, or { on = bool, secs = n }.
func checkLinger(L *lua.LState, n int) inet.Value {
	if L.Get(n) == lua.LFalse {
		return inet.Value{}
	}
	opts := luabind.CheckOptions(L, n, "on", "secs")
	if L.Get(n) == lua.LNil {
		luabind.TypeError(L, n, "table or false")
	}
	secs := opts.Int("secs", 0)
	if secs < 0 {
		opts.Error("secs", fmt.Sprintf("is %d: use 0 or more", secs))
	}
	return inet.Value{On: opts.Bool("on", true), Int: secs}
}

func socketGetsockopt(L *lua.LState) int {
	s := check(L, "getsockopt")
	o := checkOption(L, 2)
	v, err := s.Option(o)
	if err != nil {
		s.raise(L, "getsockopt", o.Name, err)
	}
	switch o.Kind {
	case inet.Bool:
		L.Push(lua.LBool(v.Int != 0))
	case inet.String:
		L.Push(lua.LString(v.Str))
	case inet.Linger:
		if !v.On {
			L.Push(lua.LFalse)
			break
		}
		t := L.CreateTable(0, 2)
		t.RawSetString("on", lua.LTrue)
		t.RawSetString("secs", lua.LNumber(v.Int))
		L.Push(t)
	default:
		L.Push(lua.LNumber(v.Int))
	}
	return 1
}

func socketTCPInfo(L *lua.LState) int {
	s := check(L, "tcp_info")
	fields, err := s.TCPInfo()
	if err != nil {
		s.raise(L, "tcp_info", "", err)
	}
	t := L.CreateTable(0, len(fields))
	for _, f := range fields {
		t.RawSetString(f.Name, lua.LNumber(f.Value))
	}
	if len(fields) > 0 {
		state := "UNKNOWN"
		if st := int(fields[0].Value); st < len(inet.TCPStates) && inet.TCPStates[st] != "" {
			state = inet.TCPStates[st]
		}
		t.RawSetString("state", lua.LString(state))
	}
	L.Push(t)
	return 1
}
