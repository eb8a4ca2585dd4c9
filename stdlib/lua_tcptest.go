package stdlib

import "github.com/netlua/netlua/luabind"

// segmentFields are the fields tt:inject and tt:expect take.
const segmentFields = `{ flags: string|string[], seq?: integer, ack?: integer, win?: integer, len?: integer, payload?: string, urg?: integer, ` +
	`options?: table, ip?: table, at?: number, tolerance?: number, timeout?: number }`

// tcptestModule returns the module "tcptest" (tcptest.lua), a fresh value:
// packetdrill's model of a TCP test on a lab pair. It needs lab, packet,
// frame, netlink, loop and sock.
func tcptestModule() *luabind.Module {
	tt := luabind.Types{"tt": "tcptest.tt"}
	with := func(more luabind.Types) luabind.Types { return merged(tt, more) }
	return &luabind.Module{
		Name: "tcptest",
		Doc: "packetdrill's kind of TCP test in Lua: socket calls in a lab host (tt.host) and the remote's segments injected and expected on one timeline, " +
			"sequence numbers relative both ways, times checked against the kernel's receive timestamps. " +
			`Example: local tt = tcptest.new(t); local l = tt:listen(8080); tt:inject{ flags = "S", seq = 0, win = 1000 }; tt:expect{ flags = "SA", seq = 0, ack = 1 }`,
		Lua: source("tcptest"),
		Funcs: []luabind.Func{
			{Name: "new", Sig: "new(t [, opts]) -> tt",
				Types: with(luabind.Types{"t": "test.t", "opts": `{ family?: "ipv4"|"ipv6", defaults?: boolean, mss?: integer, mtu?: integer, tolerance?: number, tolerance_pct?: number, sysctl?: table, port?: integer, remote_port?: integer, isn?: integer }`}),
				Doc: "a lab pair for one test of t: tt.host runs the kernel under test (offloads TSO, GSO, GRO off; the remote reached by a permanent neighbour entry), " +
					"tt.remote injects and captures (no address, IPv6 off: its stack never answers). opts: family (ipv4), mss (1000: the MSS option of an injected SYN without options), " +
					"defaults (true: tcptest.defaults set in tt.host first), mtu (the link's, default 1500: the kernel's MSS 1460 / 1440), tolerance (0.004 s; never less than the environment's NETLUA_TCP_TOLERANCE seconds, for a slow machine) and tolerance_pct (12.5: % of at added), sysctl (applied in tt.host), port (8080, tt:listen's), remote_port (random), isn (the remote's ISN, random)"},
		},
		Fields: []luabind.Field{
			{Name: "defaults", Type: "table", Doc: "the sysctls packetdrill's tests assume (its gtests/net/common/defaults.sh: tcp_rmem 4096 540000 15728640, timestamps and SACK on, cubic, ...), set in tt.host by tcptest.new; change them for every later test of the file, or opts.sysctl for one"},
			{Name: "ANY", Type: "table", Doc: "matches anything in tt:expect: options = tcptest.ANY, flags = tcptest.ANY (where PSH falls as the kernel's buffers do), or one value ({\"Timestamp\", {tcptest.ANY, 100}})"},
		},
		Types: []*luabind.Type{ttType},
	}
}

// tcpreportModule returns the module "tcpreport"
// (tcpreport.lua), a fresh value: how tt:expect compares segments and
// writes its failure report, for scripts that check segments themselves.
func tcpreportModule() *luabind.Module {
	seg := luabind.Types{"want": "table", "got": "table", "flags": "string"}
	return &luabind.Module{
		Name: "tcpreport",
		Doc:  "tcptest's comparison of a kernel's segment with an expectation, and its side-by-side failure report",
		Lua:  source("tcpreport"),
		Funcs: []luabind.Func{
			{Name: "differences", Sig: "differences(want, got, flags) -> fields", Types: merged(seg, luabind.Types{"fields": "table<string, boolean>?"}),
				Doc: "the fields of got (a segment as tt:expect returns it) that do not fit want (as tt:expect takes it), flags being want's in Scapy's order; nil when none"},
			{Name: "side_by_side", Sig: "side_by_side(want, got, flags [, timing]) -> text", Types: merged(seg, luabind.Types{"timing": "table", "text": "string"}),
				Doc: "the lines field, expected, actual of a failed tt:expect, the differing fields marked with *; timing: { at, allowed, actual, offset, ok } adds the time line"},
			{Name: "options", Sig: "options(list) -> text", Types: luabind.Types{"list": "table", "text": "string"},
				Doc: "TCP options in frame's form written as packetdrill writes them: <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>"},
		},
		Fields: []luabind.Field{{Name: "ANY", Type: "table", Doc: "matches anything (tcptest.ANY)"}},
	}
}

// ttType documents the object tcptest.new returns.
var ttType = &luabind.Type{
	Name: "tcptest.tt",
	Doc:  "one scripted TCP test: a lab pair, the remote's connection state and the script's clock",
	Methods: []luabind.Func{
		{Name: "listen", Sig: "tt:listen([port [, opts]]) -> socket", Types: luabind.Types{"port": "integer", "opts": "{ backlog?: integer }", "socket": "sock.socket"},
			Doc: "a sock.tcp in tt.host with SO_REUSEADDR, bound to local_ip:port (tt.port) and listening (backlog opts.backlog or 1)"},
		{Name: "connect", Sig: "tt:connect([port [, opts]]) -> socket", Types: luabind.Types{"port": "integer", "opts": "table", "socket": "sock.socket"},
			Doc: "a sock.tcp in tt.host connecting to remote_ip:port (port becomes tt.remote_port), without waiting: the connect runs in a task (tt.connecting); expect its SYN next"},
		{Name: "socket", Sig: "tt:socket([opts]) -> socket", Types: luabind.Types{"opts": "table", "socket": "sock.socket"},
			Doc: "a plain sock.tcp in tt.host (opts as sock.tcp's), to set options before bind or connect"},
		{Name: "inject", Sig: "tt:inject(segment) -> frame", Types: luabind.Types{"segment": segmentFields, "frame": "string"},
			Doc: "sends the remote's segment at + seconds after the event before: flags (S, SA, A or \".\", PA, F, FA, R, RA...), seq relative to the remote's ISN, ack relative to the kernel's, " +
				"win (65535), len (zero bytes) or payload, urg, options in frame's form ({\"MSS\", 1000}, {\"SAckOK\", \"\"}, {\"NOP\"}, {\"WScale\", 7}, {\"SAck\", {{l, r}, ...}} relative, {\"Timestamp\", {val, ecr}} with ecr in the kernel's TS values as the script saw them), ip = { ttl, tos, ... }; a SYN or SYN-ACK without options gets {\"MSS\", tt.mss}"},
		{Name: "inject_icmp", Sig: "tt:inject_icmp(error) -> frame",
			Types: luabind.Types{"error": "{ type?: string|integer, code?: string|integer, mtu?: integer, quote?: table, ip?: table, at?: number }", "frame": "string"},
			Doc:   "sends an ICMP (ICMPv6) error from the remote quoting a segment of the kernel's: type unreach (default), timeexceeded or a number; code frag (on IPv6: packet too big), port, host, net, ... or a number; mtu; quote = { seq, ack, flags, win } relative; at"},
		{Name: "expect", Sig: "tt:expect(segment) -> actual", Types: luabind.Types{"segment": segmentFields, "actual": "table"},
			Doc: "waits for the kernel's next segment (at most timeout, default at + tolerance + 1 s) and checks it: flags always (a list such as {\"A\", \"PA\"} accepts any of them, tcptest.ANY all: where GSO cut a write, the PSH is the kernel's choice), the other fields given exactly, options as a list in order (tcptest.ANY: any); " +
				"its kernel receive time must be at after the event before, within tolerance + tolerance_pct% of at; a failure shows expected and actual side by side with the differing fields marked and the measured offset. " +
				"Returns the segment: { flags, seq, ack, win, len, urg, payload, options, ip, time, packet }"},
		{Name: "expect_none", Sig: "tt:expect_none(seconds)", Types: luabind.Types{"seconds": "number"},
			Doc: "fails if the kernel sends a segment within seconds after the event before; then the script's clock stands at that end"},
		{Name: "wait", Sig: "tt:wait(seconds)", Types: luabind.Types{"seconds": "number"},
			Doc: "lets script time pass until seconds after the event before, running the loop meanwhile (tasks and callbacks go on)"},
		{Name: "sysctl", Sig: "tt:sysctl(settings) -> values", Types: luabind.Types{"settings": "table", "values": "table"},
			Doc: "sets sysctls in tt.host only, as host:sysctl{...}: they go with its namespace"},
		{Name: "tcp_info", Sig: "tt:tcp_info(socket) -> info", Types: luabind.Types{"socket": "sock.socket", "info": "table"},
			Doc: "the kernel's struct tcp_info of a socket, as socket:tcp_info()"},
		{Name: "go", Sig: "tt:go(fn, ...) -> task", Types: luabind.Types{"fn": "function", "task": "table"},
			Doc: "sock.go(fn, ...) on the script's clock: a blocking call in fn waits while the script goes on; task.at is when fn returned, in seconds after the event before the task started"},
		{Name: "returned", Sig: "tt:returned(task, at) -> ...", Types: luabind.Types{"task": "table", "at": "number"},
			Doc: "waits for task and checks that it returned at seconds after the event before it started, within tolerance (packetdrill's blocking call times); returns its results"},
	},
	Fields: []luabind.Field{
		{Name: "host", Type: "lab.end", Doc: "the kernel under test's side of the pair"},
		{Name: "remote", Type: "lab.end", Doc: "the injecting side"},
		{Name: "local_ip", Type: "string", Doc: "the kernel under test's address"},
		{Name: "remote_ip", Type: "string", Doc: "the remote's address (configured on no interface)"},
		{Name: "remote_port", Type: "integer", Doc: "the remote's port, random unless given"},
		{Name: "remote_isn", Type: "integer", Doc: "the remote's initial sequence number"},
		{Name: "local_isn", Type: "integer", Doc: "the kernel's, once its SYN or SYN-ACK was expected"},
		{Name: "local_port", Type: "integer", Doc: "the kernel's port: tt:listen's, or its SYN's"},
		{Name: "other", Type: "table", Doc: "what else the kernel sent the remote while tt:expect waited (ICMP errors, other connections' segments), parsed, in order; nil if nothing"},
		{Name: "connecting", Type: "table", Doc: "the task of tt:connect's connect: tt:returned(tt.connecting, at) checks when it returned"},
	},
}
