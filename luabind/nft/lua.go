package nft

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/nftbind"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// The Lua module "nft". This file is its binding: it reads options, has
// nftbind put the rules in the runtime's tables and pushes the results.

func init() {
	ruleType.Methods = []luabind.Func{
		{Name: "counter", Sig: "rule:counter() -> { packets, bytes }", Fn: ruleCounterFn,
			Types: luabind.Types{"packets": "integer", "bytes": "integer"},
			Doc:   "what the rule's counter has seen, read from the kernel"},
		{Name: "delete", Sig: "rule:delete()", Fn: ruleDelete,
			Doc: "removes the rule now; safe to call twice"},
	}
}

// Module returns the Lua module "nft", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "nft",
		Doc: "nftables rules in a table of netlua's own (inet netlua, or netlua_2 and on when another process has that name), " +
			"which the kernel removes when netlua ends; tables netlua did not make are never touched",
		Funcs: []luabind.Func{
			actionFunc("drop", nftcore.Drop, "drops the packets that match; "+matchDoc),
			actionFunc("accept", nftcore.Accept, "accepts the packets that match, ending the chain for them; opts as nft.drop"),
			actionFunc("reject", nftcore.Reject, "rejects the packets that match (TCP reset for proto \"tcp\", else ICMP port unreachable); opts as nft.drop"),
			actionFunc("count", nftcore.Count, "only counts the packets that match (see rule:counter()); opts as nft.drop"),
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

// actionFunc is the Lua function nft.<verb>{...}.
func actionFunc(verb string, a nftcore.Action, doc string) luabind.Func {
	op := "nft." + verb
	return luabind.Func{
		Name: verb, Sig: op + "(opts) -> rule", Doc: doc,
		Types: luabind.Types{"opts": "table", "rule": "nft.rule"},
		Fn: func(L *lua.LState) int {
			o := luabind.CheckOptions(L, 1, append([]string{"persist"}, nftbind.MatchOptions...)...)
			m := nftbind.CheckMatch(o)
			nftbind.CheckAction(o, &m, a)
			persist := o.Bool("persist", false)
			r := nftbind.AddRule(L, op, luabind.NetNSOption(o, op), persist, m, a)
			L.Push(object(L, r))
			return 1
		},
	}
}

var ruleType = &luabind.Type{
	Name: "nft.rule",
	Doc:  "a rule netlua put in its table; tostring(rule) writes it as nft does",
	Fields: []luabind.Field{
		{Name: "handle", Type: "integer", Doc: "the kernel's number for the rule in its table (nft -a list ruleset)"},
		{Name: "table", Type: "string", Doc: "its table: \"inet netlua\" (\"inet netlua_2\" beside another netlua)"},
		{Name: "chain", Type: "string", Doc: "its chain, named after the hook: \"input\", \"ingress_veth0\""},
		{Name: "action", Type: "string", Doc: "drop, accept, reject, count or queue"},
		{Name: "match", Type: "string", Doc: "what it matches, as nft writes it: tcp dport 80"},
		{Name: "deleted", Type: "boolean", Doc: "true once deleted, or gone with its table"},
	},
	Get: getRule,
}

func getRule(L *lua.LState, v any, key string) lua.LValue {
	r := v.(*nftcore.Rule)
	switch key {
	case "handle":
		return lua.LNumber(r.Handle)
	case "table":
		return lua.LString(r.Table())
	case "chain":
		return lua.LString(r.Chain)
	case "action":
		return lua.LString(r.Action.Verb)
	case "match":
		return lua.LString(r.Match.String())
	case "deleted":
		return lua.LBool(r.Gone())
	}
	return lua.LNil
}

// objects is the one userdata of each rule of the runtime, by rule.
type objects map[*nftcore.Rule]*lua.LUserData

func objectsOf(L *lua.LState) objects {
	return luabind.RuntimeOf(L).State("nft.rule", func() any { return objects{} }).(objects)
}

// object returns the one userdata that stands for r.
func object(L *lua.LState, r *nftcore.Rule) *lua.LUserData {
	objs := objectsOf(L)
	if ud, ok := objs[r]; ok {
		return ud
	}
	ud := luabind.NewObject(L, ruleType, r)
	objs[r] = ud
	return ud
}

func checkRule(L *lua.LState) *nftcore.Rule {
	return luabind.CheckObject[*nftcore.Rule](L, 1, ruleType)
}

func ruleCounterFn(L *lua.LState) int {
	r := checkRule(L)
	c, err := r.Counter()
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "nft.counter", Object: fmt.Sprintf("rule %d", r.Handle), Err: err, Need: "CAP_NET_ADMIN"})
	}
	t := L.CreateTable(0, 2)
	t.RawSetString("packets", lua.LNumber(c.Packets))
	t.RawSetString("bytes", lua.LNumber(c.Bytes))
	L.Push(t)
	return 1
}

func ruleDelete(L *lua.LState) int {
	r := checkRule(L)
	if err := r.Delete(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "nft.delete", Object: fmt.Sprintf("rule %d", r.Handle), Err: err, Need: "CAP_NET_ADMIN"})
	}
	return 0
}

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
