package packet

import (
	"fmt"
	"net"
	"net/netip"
	"sort"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/rewrite"
)

// The Lua side of socket:replay(file, opts). Argument 3 is the option
// table: errors about it read "bad argument #2 to 'replay'".

const replayOpts = 3

var replayMethod = luabind.Func{
	Name: "replay",
	Sig:  `socket:replay(file [, { speed, pps, mbps, loop, limit, rewrite, progress }]) -> { sent, seconds, pps, bytes, errors }`,
	Fn:   socketReplay,
	Types: luabind.Types{"file": "string", "speed": `"recorded"|"top"|number`, "pps": "number", "mbps": "number", "loop": "integer", "limit": "integer",
		"rewrite": "{ ether?: { src?: string, dst?: string }, ipmap?: table, portmap?: table, ttl?: integer, fixcsum?: boolean }", "progress": "boolean",
		"sent": "integer", "seconds": "number", "bytes": "integer", "errors": "integer"},
	Doc: "sends the Ethernet frames of a pcap or pcapng file, in Go, as tcpreplay does: at the recorded timing (speed \"recorded\", the default; " +
		"each frame at the start plus its offset from the first, divided by speed x), at pps frames or mbps megabits a second, or at \"top\" speed (sendmmsg batches); " +
		"loop: times through the file (0: over and over, with a limit); limit: frames at most; ^C ends it with the summary; " +
		"rewrite edits each frame as tcprewrite does: ether = { src =, dst = } (--enet-smac/-dmac), ipmap = { [\"198.18.0.0/24\"] = \"198.19.0.0/24\" } " +
		"(--pnat, sources and destinations, host part kept, IPv4 or IPv6), portmap = { [80] = 8080 }, ttl = n, fixcsum = true; " +
		"progress: a live line and tcpreplay's summary on stderr (default: on a terminal); errors: frames the kernel refused, not sent again",
}

// checkReplay reads replay's options.
func checkReplay(L *lua.LState) ReplayOptions {
	o := luabind.CheckOptions(L, replayOpts, "speed", "pps", "mbps", "loop", "limit", "rewrite", "progress")
	var opt ReplayOptions
	switch v := o.Value("speed").(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if !(v > 0) || v > 1e9 {
			o.Error("speed", "must be a multiplier over 0, \"recorded\" or \"top\"")
		}
		opt.Speed = float64(v)
	case lua.LString:
		switch v {
		case "recorded":
		case "top":
			opt.Top = true
		default:
			o.Error("speed", fmt.Sprintf("is a multiplier, \"recorded\" or \"top\", got %q", string(v)))
		}
	default:
		o.Error("speed", "expects a number or a string, got "+v.Type().String())
	}
	opt.PPS = positive(o, "pps")
	opt.Mbps = positive(o, "mbps")
	if err := checkPace(ReplayOptions{Speed: opt.Speed, Top: opt.Top, PPS: opt.PPS, Mbps: opt.Mbps}); err != nil {
		luabind.ArgError(L, replayOpts, err.Error())
	}
	opt.Loop, opt.Limit = o.Int("loop", 1), o.Int("limit", 0)
	if opt.Loop < 0 {
		o.Error("loop", "must be 0 (over and over) or more")
	}
	if opt.Limit < 0 {
		o.Error("limit", "must be 0 (none) or more")
	}
	if opt.Loop == 0 {
		if opt.Limit == 0 {
			o.Error("loop", "0 sends over and over: give a limit")
		}
		opt.Loop = -1
	}
	opt.Rewrite = checkRewrite(L, o.Value("rewrite"))
	rt := luabind.RuntimeOf(L)
	if o.Bool("progress", luabind.IsTerminal(rt.Stderr)) {
		opt.Progress = rt.Stderr
	}
	return opt
}

// positive reads a rate option, over 0 when given.
func positive(o luabind.Options, name string) float64 {
	v := o.Number(name, 0)
	if o.Has(name) && !(v > 0 && v < 1e12) {
		o.Error(name, "must be over 0")
	}
	return v
}

// checkRewrite reads option rewrite: { ether = { src =, dst = }, ipmap =
// { [cidr] = cidr }, portmap = { [from] = to }, ttl = n, fixcsum = bool }.
func checkRewrite(L *lua.LState, v lua.LValue) *rewrite.Rewriter {
	if v == lua.LNil {
		return nil
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		luabind.ArgError(L, replayOpts, "option 'rewrite' expects a table, got "+v.Type().String())
	}
	bad := func(msg string) { luabind.ArgError(L, replayOpts, "rewrite: "+msg) }
	var opt rewrite.Options
	t.ForEach(func(k, v lua.LValue) {
		switch k {
		case lua.LString("ether"):
			opt.SrcMAC, opt.DstMAC = checkEther(v, bad)
		case lua.LString("ipmap"):
			opt.IPMap = checkIPMap(v, bad)
		case lua.LString("portmap"):
			opt.PortMap = checkPortMap(v, bad)
		case lua.LString("ttl"):
			n, ok := v.(lua.LNumber)
			if !ok || n < 1 || n > 255 || n != lua.LNumber(int(n)) {
				bad("ttl is a whole number from 1 to 255, got " + describe(v))
			}
			opt.TTL = int(n)
		case lua.LString("fixcsum"):
			b, ok := v.(lua.LBool)
			if !ok {
				bad("fixcsum is a boolean, got " + describe(v))
			}
			opt.FixChecksums = bool(b)
		default:
			bad(fmt.Sprintf("unknown key %s, have: ether, fixcsum, ipmap, portmap, ttl", describe(k)))
		}
	})
	r, err := rewrite.New(opt)
	if err != nil {
		bad(err.Error())
	}
	return r
}

// checkEther reads { src = mac, dst = mac }.
func checkEther(v lua.LValue, bad func(string)) (src, dst net.HardwareAddr) {
	t, ok := v.(*lua.LTable)
	if !ok {
		bad("ether is { src = mac, dst = mac }, got " + v.Type().String())
	}
	mac := func(k string) net.HardwareAddr {
		v := t.RawGetString(k)
		if v == lua.LNil {
			return nil
		}
		m, err := net.ParseMAC(v.String())
		if _, isStr := v.(lua.LString); !isStr || err != nil || len(m) != 6 {
			bad(fmt.Sprintf("ether.%s is a MAC address such as \"02:00:00:00:00:01\", got %s", k, describe(v)))
		}
		return m
	}
	t.ForEach(func(k, _ lua.LValue) {
		if k != lua.LString("src") && k != lua.LString("dst") {
			bad("ether: unknown key " + describe(k) + ", have: dst, src")
		}
	})
	return mac("src"), mac("dst")
}

// checkIPMap reads { ["198.18.0.0/24"] = "198.19.0.0/24", ... }; an
// address alone is a /32 or /128.
func checkIPMap(v lua.LValue, bad func(string)) []rewrite.Mapping {
	t, ok := v.(*lua.LTable)
	if !ok {
		bad("ipmap is { [\"198.18.0.0/24\"] = \"198.19.0.0/24\" }, got " + v.Type().String())
	}
	var maps []rewrite.Mapping
	t.ForEach(func(k, v lua.LValue) {
		from, err1 := parsePrefix(k)
		to, err2 := parsePrefix(v)
		if err1 != nil || err2 != nil {
			bad(fmt.Sprintf("ipmap[%s] = %s: both are networks such as \"198.18.0.0/24\" or \"2001:2::/64\"", describe(k), describe(v)))
		}
		maps = append(maps, rewrite.Mapping{From: from, To: to})
	})
	sort.Slice(maps, func(i, j int) bool { return maps[i].From.String() < maps[j].From.String() })
	return maps
}

func parsePrefix(v lua.LValue) (netip.Prefix, error) {
	s, ok := v.(lua.LString)
	if !ok {
		return netip.Prefix{}, fmt.Errorf("not a string")
	}
	if a, err := netip.ParseAddr(string(s)); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	return netip.ParsePrefix(string(s))
}

// checkPortMap reads { [from] = to, ... }.
func checkPortMap(v lua.LValue, bad func(string)) []rewrite.PortMapping {
	t, ok := v.(*lua.LTable)
	if !ok {
		bad("portmap is { [80] = 8080 }, got " + v.Type().String())
	}
	port := func(v lua.LValue) (uint16, bool) {
		n, ok := v.(lua.LNumber)
		return uint16(n), ok && n >= 0 && n <= 65535 && n == lua.LNumber(int(n))
	}
	var ports []rewrite.PortMapping
	t.ForEach(func(k, v lua.LValue) {
		from, ok1 := port(k)
		to, ok2 := port(v)
		if !ok1 || !ok2 {
			bad(fmt.Sprintf("portmap[%s] = %s: ports are whole numbers from 0 to 65535", describe(k), describe(v)))
		}
		ports = append(ports, rewrite.PortMapping{From: from, To: to})
	})
	return ports
}

func socketReplay(L *lua.LState) int {
	s := check(L, "replay")
	file := luabind.CheckString(L, 2)
	opt := checkReplay(L)
	rt := luabind.RuntimeOf(L)
	st, err := s.Replay(rt.Context(), file, opt)
	if err != nil {
		s.Raise(L, "replay", err)
	}
	if !rt.TakeInterrupt(L) && rt.Interrupted() != nil && opt.Progress == nil {
		fmt.Fprintf(rt.Stderr, "replay interrupted:\n%s\n", st)
	}
	t := L.CreateTable(0, 5)
	t.RawSetString("sent", lua.LNumber(st.Sent))
	t.RawSetString("seconds", lua.LNumber(st.Elapsed.Seconds()))
	t.RawSetString("pps", lua.LNumber(st.PPS()))
	t.RawSetString("bytes", lua.LNumber(st.Bytes))
	t.RawSetString("errors", lua.LNumber(st.Errors))
	L.Push(t)
	return 1
}
