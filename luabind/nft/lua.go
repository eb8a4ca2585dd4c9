package nft

import (
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/lab"
)

// The Lua module "nft". This file is its binding: it reads options, calls
// the Table and Rule above and pushes the results.

func init() {
	ruleType.Methods = []luabind.Func{
		{Name: "counter", Sig: "rule:counter() -> { packets, bytes }", Fn: ruleCounterFn,
			Doc: "what the rule's counter has seen, read from the kernel"},
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
			actionFunc("drop", Drop, "drops the packets that match; "+matchDoc),
			actionFunc("accept", Accept, "accepts the packets that match, ending the chain for them; opts as nft.drop"),
			actionFunc("reject", Reject, "rejects the packets that match (TCP reset for proto \"tcp\", else ICMP port unreachable); opts as nft.drop"),
			actionFunc("count", Count, "only counts the packets that match (see rule:counter()); opts as nft.drop"),
			{Name: "rules", Sig: "rules() -> { rule, ... }", Fn: rules,
				Doc: "the rules this netlua created and has not deleted, oldest first"},
		},
		Types: []*luabind.Type{ruleType},
	}
}

// matchDoc lists the options every rule function takes.
const matchDoc = "opts (all optional): hook (input|output|forward|prerouting|postrouting|ingress), family, proto, " +
	"sport, dport (port, \"from-to\" or {from, to}), src, dst (CIDR), iface, oface, contains (bytes), netns, persist"

// actionFunc is the Lua function nft.<verb>{...}.
func actionFunc(verb string, a Action, doc string) luabind.Func {
	op := "nft." + verb
	return luabind.Func{
		Name: verb, Sig: op + "(opts) -> rule", Doc: doc,
		Fn: func(L *lua.LState) int {
			o := luabind.CheckOptions(L, 1, append([]string{"persist"}, MatchOptions...)...)
			m := CheckMatch(o)
			if err := a.check(&m); err != nil {
				raiseOption(o, err)
			}
			persist := o.Bool("persist", false)
			r := AddRule(L, op, lab.NetNSOption(o, op), persist, m, a)
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
	r := v.(*Rule)
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

// state is the nft module's state in one runtime: its tables, one per
// namespace (and one more for persistent rules), and the rules made.
type state struct {
	tables  map[tableKey]*Table
	rules   []*Rule
	objects map[*Rule]*lua.LUserData
}

// tableKey names a table of the runtime: its namespace (nil for netlua's
// own) and whether it persists.
type tableKey struct {
	ns      *netns.NS
	persist bool
}

func stateOf(L *lua.LState) *state {
	return luabind.RuntimeOf(L).State("nft", func() any {
		return &state{tables: map[tableKey]*Table{}, objects: map[*Rule]*lua.LUserData{}}
	}).(*state)
}

// AddRule puts a rule of m and a in the runtime's table of namespace ns
// (persistent or not), making the table on first use, and raises a Lua
// error for op when it cannot. m must have passed CheckMatch.
func AddRule(L *lua.LState, op string, ns *netns.NS, persist bool, m Match, a Action) *Rule {
	t := tableOf(L, op, ns, persist)
	r, err := t.Add(m, a)
	var oe *OptionError
	switch {
	case errors.As(err, &oe):
		luabind.ArgError(L, 1, oe.Error())
	case err != nil:
		luabind.Raise(L, &luabind.OpError{Op: op, Object: t.Name(), Err: err, Need: "CAP_NET_ADMIN"})
	}
	st := stateOf(L)
	st.rules = append(st.rules, r)
	return r
}

// Prepare opens the socket of the runtime's owned table in ns, if it is
// not open yet, and so records its ledger entry. What the caller records
// in the ledger afterwards is undone before the table goes: the nfqueue
// module prepares the table before its queue, whose packets the kernel
// would drop if the table (and its chain) went first.
func Prepare(L *lua.LState, op string, ns *netns.NS) {
	tableOf(L, op, ns, false)
}

// tableOf returns the runtime's table in ns, opening its socket on first
// use; the ledger closes it at exit, which deletes an owned table.
func tableOf(L *lua.LState, op string, ns *netns.NS, persist bool) *Table {
	st := stateOf(L)
	key := tableKey{ns, persist}
	if t := st.tables[key]; t != nil {
		return t
	}
	c, err := Dial(ns)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: "CAP_NET_ADMIN"})
	}
	t := NewTable(c, persist)
	rt := luabind.RuntimeOf(L)
	rt.Ledger.Add("nft table", t.Close)
	where := ""
	if ns != nil {
		where = " inside its network namespace"
	}
	t.Created = func(name string, taken []Taken) {
		if others := OwnedBy(taken); others != "" {
			fmt.Fprintf(rt.Stderr, "nft: %s; this netlua's rules go in %s\n", others, name)
		}
		if persist {
			fmt.Fprintf(rt.Stderr, "nft: table %s stays after netlua ends (persist = true); remove it with: nft delete table %s%s\n", name, name, where)
		}
	}
	st.tables[key] = t
	return t
}

// object returns the one userdata that stands for r.
func object(L *lua.LState, r *Rule) *lua.LUserData {
	st := stateOf(L)
	if ud, ok := st.objects[r]; ok {
		return ud
	}
	ud := luabind.NewObject(L, ruleType, r)
	st.objects[r] = ud
	return ud
}

func checkRule(L *lua.LState) *Rule {
	return luabind.CheckObject[*Rule](L, 1, ruleType)
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
	st := stateOf(L)
	t := L.NewTable()
	alive := st.rules[:0]
	for _, r := range st.rules {
		if r.Gone() {
			delete(st.objects, r)
			continue
		}
		alive = append(alive, r)
		t.Append(object(L, r))
	}
	st.rules = alive
	L.Push(t)
	return 1
}
