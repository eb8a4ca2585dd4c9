package frame

import (
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// The Lua face of list fields (list.go): a list of items is a table of
// tables, {{"MSS", 1460}, {"NOP"}}, read fresh from the layer's bytes each
// time, and a string still gives the raw bytes.

// maxItemDepth bounds the tables inside an item, so that a table that
// holds itself is an error and not an endless walk.
const maxItemDepth = 8

// itemsTable is a list of items as Lua reads it.
func itemsTable(L *lua.LState, items []Item) *lua.LTable {
	t := L.CreateTable(len(items), 0)
	for _, it := range items {
		t.Append(itemTable(L, it))
	}
	return t
}

func itemTable(L *lua.LState, it Item) *lua.LTable {
	t := L.CreateTable(len(it.Values), len(it.Fields))
	for _, v := range it.Values {
		t.Append(luaItemValue(L, v))
	}
	for _, f := range it.Fields {
		t.RawSetString(f.Name, luaItemValue(L, f.Value))
	}
	return t
}

func luaItemValue(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case uint64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case Item:
		return itemTable(L, v)
	}
	return lua.LNil
}

// setList sets list field i from a Lua table of items. An item may also
// be a bare name, as DHCP's "end": "end" is {"end"}.
func setList(l *Layer, i int, t *lua.LTable) error {
	f := &l.Proto.Fields[i]
	if f.Kind != List {
		return &FieldError{Field: f, Got: "table"}
	}
	var items []Item
	for n := 1; n <= t.Len(); n++ {
		v, err := goItemValue(t.RawGetInt(n), 0)
		if err == nil {
			if s, ok := v.(string); ok {
				v = Item{Values: []any{s}}
			}
			if _, ok := v.(Item); !ok {
				err = errors.New("a table expected, got " + t.RawGetInt(n).Type().String())
			}
		}
		if err != nil {
			return &ListError{Field: f, Item: n, Err: err}
		}
		items = append(items, v.(Item))
	}
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		if n, ok := k.(lua.LNumber); !ok || n < 1 || int(n) > len(items) || lua.LNumber(int(n)) != n {
			return &FieldError{Field: f, Got: "a table with a key " + k.String()}
		}
	}
	return l.SetItems(i, items)
}

// goItemValue is a Lua value inside an item, as the codecs take it.
func goItemValue(v lua.LValue, depth int) (any, error) {
	switch v := v.(type) {
	case *lua.LNilType:
		return nil, nil
	case lua.LNumber:
		return float64(v), nil
	case lua.LString:
		return string(v), nil
	case *lua.LTable:
		if depth == maxItemDepth {
			return nil, errors.New("tables nested too deep")
		}
		return goItem(v, depth+1)
	}
	return nil, errors.New("a number, a string or a table expected, got " + v.Type().String())
}

// goItem reads a table: its list part positional, its string keys named.
func goItem(t *lua.LTable, depth int) (Item, error) {
	var it Item
	n := t.Len()
	for k := 1; k <= n; k++ {
		v, err := goItemValue(t.RawGetInt(k), depth)
		if err != nil {
			return it, err
		}
		it.Values = append(it.Values, v)
	}
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		switch key := k.(type) {
		case lua.LNumber:
			if key >= 1 && int(key) <= n && lua.LNumber(int(key)) == key {
				continue
			}
			return it, errors.New("a table's keys are 1..n and names, got [" + key.String() + "]")
		case lua.LString:
			x, err := goItemValue(v, depth)
			if err != nil {
				return it, errors.New(string(key) + ": " + err.Error())
			}
			it.set(string(key), x)
		default:
			return it, errors.New("a table's keys are 1..n and names, got a " + k.Type().String())
		}
	}
	return it, nil
}

// listDocs documents p's list fields for its constructor.
// Fields of one codec (DNS's an, ns and ar) share one entry.
func listDocs(p *Proto) string {
	var s string
	for i, f := range p.Fields {
		if f.Kind != List || i > 0 && p.Fields[i-1].List == f.List {
			continue
		}
		names := f.Name
		for _, g := range p.Fields[i+1:] {
			if g.List == f.List {
				names += ", " + g.Name
			}
		}
		s += fmt.Sprintf("; %s: %s, or a string of raw bytes; parse returns the list", names, f.List.Form())
	}
	return s
}
