package nft

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/nftbind"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// The Lua module "nft" and its functions. This file and lua_rule.go are
// its binding: they read options, have nftbind put the rules in the
// runtime's tables and push the results.

// Module returns the Lua module "nft", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "nft",
		Doc: "nftables rules in a table of netlua's own (inet netlua, or netlua_2 and on when another process has that name), " +
			"which the kernel removes when netlua ends; tables netlua did not make are never touched",
		Funcs: []luabind.Func{
			actionFunc("drop", drop, "drops the packets that match; "+matchDoc),
			actionFunc("accept", accept, "accepts the packets that match, ending the chain for them; opts as nft.drop"),
			actionFunc("reject", reject, "rejects the packets that match (TCP reset for proto \"tcp\", else ICMP port unreachable); opts as nft.drop"),
			actionFunc("count", count, "only counts the packets that match (see rule:counter()); opts as nft.drop"),
			{Name: "rules", Sig: "rules() -> { rule, ... }", Fn: rules,
				Types: luabind.Types{"rule": "nft.rule"},
				Doc:   "the rules this netlua created and has not deleted, oldest first"},
		},
		Types: []*luabind.Type{ruleType},
	}
}

// matchDoc lists the options every rule function takes.
const matchDoc = "opts (all optional): hook (input|output|forward|prerouting|postrouting|ingress), family, proto, " +
	"sport, dport (port, \"from-to\" or {from, to}), src, dst (CIDR), iface, oface, contains (bytes), netns, persist"

// actionFunc registers fn, the Lua function nft.<verb>(opts).
func actionFunc(verb string, fn lua.LGFunction, doc string) luabind.Func {
	return luabind.Func{
		Name: verb, Sig: "nft." + verb + "(opts) -> rule", Doc: doc, Fn: fn,
		Types: luabind.Types{"opts": "table", "rule": "nft.rule"},
	}
}

// drop implements nft.drop(opts).
func drop(L *lua.LState) int { return addRule(L, "nft.drop", nftcore.Drop) }

// accept implements nft.accept(opts).
func accept(L *lua.LState) int { return addRule(L, "nft.accept", nftcore.Accept) }

// reject implements nft.reject(opts).
func reject(L *lua.LState) int { return addRule(L, "nft.reject", nftcore.Reject) }

// count implements nft.count(opts).
func count(L *lua.LState) int { return addRule(L, "nft.count", nftcore.Count) }

// addRule adds the rule of action a that the options at 1 describe and
// pushes it; op names the Lua function in errors.
func addRule(L *lua.LState, op string, a nftcore.Action) int {
	o := luabind.CheckOptions(L, 1, append([]string{"persist"}, nftbind.MatchOptions...)...)
	m := nftbind.CheckMatch(o)
	nftbind.CheckAction(o, &m, a)
	persist := o.Bool("persist", false)
	r := nftbind.AddRule(L, op, luabind.NetNSOption(o, op), persist, m, a)
	L.Push(object(L, r))
	return 1
}

// rules implements nft.rules().
func rules(L *lua.LState) int {
	objs := objectsOf(L)
	for r := range objs {
		if r.Gone() {
			delete(objs, r)
		}
	}
	t := L.NewTable()
	for _, r := range nftbind.Rules(L) {
		t.Append(object(L, r))
	}
	L.Push(t)
	return 1
}
