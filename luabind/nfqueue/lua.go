package nfqueue

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/nftbind"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// The Lua module "nfqueue". This file and hook.go are its binding: they
// read options, open the Queue and its rule, and call the script's
// function for each packet on the loop.

func init() {
	hookType.Methods = []luabind.Func{
		{Name: "close", Sig: "hook:close()", Fn: hookClose,
			Doc: "removes the queue rule and lets every packet still queued pass; safe to call twice"},
	}
}

// Module returns the Lua module "nfqueue", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "nfqueue",
		Doc:  "packet verdicts in Lua: queue the packets a match selects and judge each in a function",
		Funcs: []luabind.Func{
			{Name: "hook", Sig: "hook(opts, fn) -> hook", Fn: hookFn,
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

var hookType = &luabind.Type{
	Name: "nfqueue.hook",
	Doc:  "a queue and its rule; the loop stays alive while it is open",
	Fields: []luabind.Field{
		{Name: "queue", Type: "integer", Doc: "the queue number (nfnetlink_queue)"},
		{Name: "rule", Type: "string", Doc: "the rule that queues the packets, as nft writes it"},
		{Name: "packets", Type: "integer", Doc: "how many packets fn has judged"},
		{Name: "closed", Type: "boolean", Doc: "true once closed"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		h := v.(*hook)
		switch key {
		case "queue":
			return lua.LNumber(h.q.Num())
		case "rule":
			return lua.LString(h.rule.String())
		case "packets":
			return lua.LNumber(h.judged)
		case "closed":
			return lua.LBool(h.closed)
		}
		return lua.LNil
	},
}

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

// hookFn implements nfqueue.hook(opts, fn).
func hookFn(L *lua.LState) int {
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

// hookClose implements hook:close().
func hookClose(L *lua.LState) int {
	h := luabind.CheckObject[*hook](L, 1, hookType)
	err := h.close()
	h.undo.Run() // drops the ledger's entry: the hook is closed already
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "nfqueue.close", Object: fmt.Sprintf("queue %d", h.q.Num()), Err: err, Need: "CAP_NET_ADMIN"})
	}
	return 0
}
