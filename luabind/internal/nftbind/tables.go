package nftbind

import (
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// state is the runtime's tables, one per namespace (and one more for
// persistent rules), and the rules made in them, by either module.
type state struct {
	tables map[tableKey]*nftcore.Table
	rules  []*nftcore.Rule
}

// tableKey names a table of the runtime: its namespace (nil for netlua's
// own) and whether it persists.
type tableKey struct {
	ns      *netns.NS
	persist bool
}

func stateOf(L *lua.LState) *state {
	return luabind.RuntimeOf(L).State("nft", func() any {
		return &state{tables: map[tableKey]*nftcore.Table{}}
	}).(*state)
}

// AddRule puts a rule of m and a in the runtime's table of namespace ns
// (persistent or not), making the table on first use, and raises a Lua
// error for op when it cannot. m must have passed CheckMatch.
func AddRule(L *lua.LState, op string, ns *netns.NS, persist bool, m nftcore.Match, a nftcore.Action) *nftcore.Rule {
	t := tableOf(L, op, ns, persist)
	r, err := t.Add(m, a)
	var oe *nftcore.OptionError
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

// Rules is the rules AddRule made in the runtime and not deleted since,
// oldest first.
func Rules(L *lua.LState) []*nftcore.Rule {
	st := stateOf(L)
	alive := st.rules[:0]
	for _, r := range st.rules {
		if !r.Gone() {
			alive = append(alive, r)
		}
	}
	st.rules = alive
	return alive
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
func tableOf(L *lua.LState, op string, ns *netns.NS, persist bool) *nftcore.Table {
	st := stateOf(L)
	key := tableKey{ns, persist}
	if t := st.tables[key]; t != nil {
		return t
	}
	c, err := nftcore.Dial(ns)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err, Need: "CAP_NET_ADMIN"})
	}
	t := nftcore.NewTable(c, persist)
	rt := luabind.RuntimeOf(L)
	rt.Ledger.Add("nft table", t.Close)
	where := ""
	if ns != nil {
		where = " inside its network namespace"
	}
	t.Created = func(name string, taken []nftcore.Taken) {
		if others := nftcore.OwnedBy(taken); others != "" {
			fmt.Fprintf(rt.Stderr, "nft: %s; this netlua's rules go in %s\n", others, name)
		}
		if persist {
			fmt.Fprintf(rt.Stderr, "nft: table %s stays after netlua ends (persist = true); remove it with: nft delete table %s%s\n", name, name, where)
		}
	}
	st.tables[key] = t
	return t
}
