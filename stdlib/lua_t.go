package stdlib

import "github.com/netlua/netlua/luabind"

// The Lua type test.t, written in test.lua; this is its documentation.

// testType documents t. Checks record a failure at the caller's line and
// let the test go on (like Go's t.Error) and return whether they passed;
// fatal, skip and a failed expect stop the test.
var testType = &luabind.Type{
	Name: "test.t",
	Doc:  "what a test's function gets: checks record a failure at the caller's file:line and go on; fatal, skip and a failed expect stop the test",
	Methods: []luabind.Func{
		{Name: "ok", Sig: "t:ok(cond [, msg]) -> passed", Types: luabind.Types{"cond": "any", "msg": "string", "passed": "boolean"},
			Doc: "fails unless cond is true (anything but false and nil)"},
		{Name: "eq", Sig: "t:eq(got, want [, msg]) -> passed", Types: luabind.Types{"got": "any", "want": "any", "msg": "string", "passed": "boolean"},
			Doc: "fails unless got equals want, tables compared deeply; shows got, want and where they differ"},
		{Name: "ne", Sig: "t:ne(got, want [, msg]) -> passed", Types: luabind.Types{"got": "any", "want": "any", "msg": "string", "passed": "boolean"},
			Doc: "fails when got equals want, tables compared deeply"},
		{Name: "match", Sig: "t:match(s, pattern [, msg]) -> passed", Types: luabind.Types{"s": "string", "pattern": "string", "msg": "string", "passed": "boolean"},
			Doc: "fails unless s is a string in which the Lua pattern matches"},
		{Name: "bytes", Sig: "t:bytes(got, want [, msg]) -> passed", Types: luabind.Types{"got": "any", "want": "string", "msg": "string", "passed": "boolean"},
			Doc: "fails unless the byte strings are equal; shows a hex diff of the first difference and the frame field it falls in (ipv4.ttl)"},
		{Name: "expect", Sig: "t:expect(sock, pred [, timeout]) -> packet, bytes, info",
			Types: luabind.Types{"sock": "packet.socket|rawip.socket", "pred": "function", "timeout": "number", "packet": "frame.packet", "bytes": "string", "info": "table"},
			Doc:   "calls sock:recv until pred(packet, bytes, info) is true (pred nil: any frame); packet is frame.parse(bytes), from the IP header for rawip sockets; after timeout seconds (1) fails, listing what arrived, and stops the test; a frame lacking a layer pred indexes (p.udp.dport on ARP) does not match, other errors in pred stop the test"},
		{Name: "fatal", Sig: "t:fatal([msg])", Types: luabind.Types{"msg": "string"},
			Doc: "fails the test and stops it"},
		{Name: "skip", Sig: "t:skip([why])", Types: luabind.Types{"why": "string"},
			Doc: "stops the test and reports it skipped with why, unless it already failed"},
	},
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "the test's name"},
		{Name: "failed", Type: "boolean", Doc: "whether a check failed so far"},
		{Name: "failures", Type: "table", Doc: "the failures recorded: { where, msg, got, want, detail, kind }"},
		{Name: "skipped", Type: "string", Doc: "why the test was skipped, or nil"},
		{Name: "skipped_at", Type: "string", Doc: "file:line of the t:skip call, or nil"},
	},
}
