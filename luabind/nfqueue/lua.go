package nfqueue

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/nftbind"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// The Lua module "nfqueue" and its function hook. This file,
// lua_hook.go and lua_packet.go are its binding: they read options, open
// the Queue and its rule, and call the script's function for each packet
// on the loop.

// Module returns the Lua module "nfqueue", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "nfqueue",
		Doc:  "packet verdicts in Lua: queue the packets a match selects and judge each in a function",
		Funcs: []luabind.Func{
			{Name: "hook", Sig: "hook(opts, fn) -> hook", Fn: hook,
				Types: luabind.Types{"opts": "table", "fn": "fun(pkt: nfqueue.packet): string?", "hook": "nfqueue.hook"},
				Doc: "calls fn(pkt) on the loop for each packet matching opts (the matches of nft.drop, and fix); " +
					"fn returns \"accept\" (or nothing), \"drop\", or new bytes to accept instead (an IP packet of " +
					"the queued packet's version, at most 65,535 bytes), with lengths and checksums fixed unless " +
					"fix = false; an error in fn, or bytes that break that rule, is reported and the packet accepted; " +
					"a repeated error is counted, not printed again; each hook binds a queue number of its own, and packets " +
					"still queued when netlua ends (however it ends) are accepted"},
		},
		Types: []*luabind.Type{hookType, packetType},
	}
}

// hook implements nfqueue.hook(opts, fn).
func hook(L *lua.LState) int {
	const op = "nfqueue.hook"
	o := luabind.CheckOptions(L, 1, append([]string{"fix"}, nftbind.MatchOptions...)...)
	fn := luabind.CheckFunction(L, 2)
	m := nftbind.CheckMatch(o)
	fix := o.Bool("fix", true)
	ns := luabind.NetNSOption(o, op)
	h := newHook(L, fn, m, fix)
	// The table's ledger entry comes first, so that the hook's is undone
	// first: its queue accepts what waits before the table, whose chain
	// the packets wait in, goes (the kernel drops them with the chain).
	nftbind.Prepare(L, op, ns)
	q, err := Open(ns, h.consumerError)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: "CAP_NET_ADMIN"})
	}
	h.q = q
	h.undo = luabind.RuntimeOf(L).Ledger.Add(fmt.Sprintf("nfqueue %d", q.Num()), h.close)
	made := false
	defer func() {
		if !made {
			h.undo.Run() // AddRule raised a Lua error: close the queue now
		}
	}()
	h.rule = nftbind.AddRule(L, op, ns, false, m, nftcore.QueueTo(q.Num()))
	made = true
	h.start()
	L.Push(luabind.NewObject(L, hookType, h))
	return 1
}
