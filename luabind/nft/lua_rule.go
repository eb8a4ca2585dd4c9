package nft

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// The Lua type nft.rule: a rule's fields, its methods, and the one
// userdata each rule has in a runtime.

func init() {
	ruleType.Methods = []luabind.Func{
		{Name: "counter", Sig: "rule:counter() -> { packets, bytes }", Fn: ruleCounter,
			Types: luabind.Types{"packets": "integer", "bytes": "integer"},
			Doc:   "what the rule's counter has seen, read from the kernel"},
		{Name: "delete", Sig: "rule:delete()", Fn: ruleDelete,
			Doc: "removes the rule now; safe to call twice"},
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

// ruleCounter implements rule:counter().
func ruleCounter(L *lua.LState) int {
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

// ruleDelete implements rule:delete().
func ruleDelete(L *lua.LState) int {
	r := checkRule(L)
	if err := r.Delete(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "nft.delete", Object: fmt.Sprintf("rule %d", r.Handle), Err: err, Need: "CAP_NET_ADMIN"})
	}
	return 0
}
