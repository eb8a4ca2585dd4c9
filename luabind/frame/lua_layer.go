package frame

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// layerType is the userdata of a parsed layer. It reads and writes like a
// table of its fields (l.ttl, l.ttl = 3, l.chksum = nil for auto), plus
// l.name. Layers made by f.ipv4{...} are the tables themselves, marked by
// a metatable (see metatable), so that making one allocates nothing; they
// read and write the same way, and pairs lists the fields given.
var layerType = &luabind.Type{
	Name: "frame.layer",
	Doc:  "a protocol header: l.ttl reads a field, l.ttl = 3 sets it, l.chksum = nil makes it default or auto again, a name it has no field of raises an error (f.ipv4{...} returns its table so marked)",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "the layer's protocol: \"ipv4\""},
		{Name: "<field>", Type: "number|string|table", Doc: "a field by its Scapy name: l.ttl, l.src, l.flags; options are a list of tables (see frame.tcp)"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		l := v.(*Layer)
		if key == "name" {
			return lua.LString(l.Proto.Name)
		}
		i := fieldIndex(L, l.Proto, key)
		if !l.present(i) {
			return lua.LNil // not on the wire for this type (an ICMP echo's gw)
		}
		return fieldValue(L, l, i)
	},
	Set: func(L *lua.LState, v any, key string, val lua.LValue) {
		l := v.(*Layer)
		setField(L, l, fieldIndex(L, l.Proto, key), val)
	},
	Keys: func(v any) []string { return v.(*Layer).Proto.fieldNames() },
}

func checkLayer(L *lua.LState, n int) *Layer {
	return luabind.CheckObject[*Layer](L, n, layerType)
}

// checkProto returns the protocol argument n names.
func (st *state) checkProto(L *lua.LState, n int) *Proto {
	name := luabind.CheckString(L, n)
	p := st.reg.Proto(name)
	if p == nil {
		luabind.ArgError(L, n, fmt.Sprintf("unknown layer '%s' (have: %s)", name, strings.Join(st.reg.Names(), ", ")))
	}
	return p
}

// fillLayer sets l's fields from table t: { ttl = 3, src = "198.18.0.1" }.
// A name key, as { name = "udp", dport = 53 } has, must name l's protocol.
func fillLayer(L *lua.LState, l *Layer, t *lua.LTable) {
	// Next, unlike ForEach, boxes no key and needs no closure.
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		key, ok := k.(lua.LString)
		if !ok {
			luabind.Errorf(L, "frame."+l.Proto.Name, "fields are named: got a value at [%s]", k)
		}
		if key == "name" {
			checkName(L, l.Proto, v)
			continue
		}
		setField(L, l, fieldIndex(L, l.Proto, string(key)), v)
	}
}

// fieldIndex returns the index of field key of p, or raises an error.
func fieldIndex(L *lua.LState, p *Proto, key string) int {
	i, ok := p.Field(key)
	if !ok {
		luabind.Errorf(L, "frame."+p.Name, "%v", &UnknownFieldError{Proto: p, Name: key})
	}
	return i
}

// checkName checks the name key of a table of p's fields.
func checkName(L *lua.LState, p *Proto, v lua.LValue) {
	if v != lua.LString(p.Name) {
		luabind.Errorf(L, "frame."+p.Name, "a table named '%s' is no %s layer", v, p.Name)
	}
}

// setField sets field i from a Lua value; nil puts it back to its default.
func setField(L *lua.LState, l *Layer, i int, v lua.LValue) {
	var err error
	switch v := v.(type) {
	case lua.LNumber:
		err = l.SetNumber(i, float64(v))
	case lua.LString:
		err = l.SetText(i, string(v))
	case *lua.LNilType:
		l.Clear(i)
	case *lua.LTable:
		err = setList(l, i, v)
	default:
		err = &FieldError{Field: &l.Proto.Fields[i], Got: v.Type().String()}
	}
	if err != nil {
		luabind.Errorf(L, "frame."+l.Proto.Name, "%v", err)
	}
}

// fieldValue is field i as Lua reads it: a number, flag letters, an
// address or a byte string.
func fieldValue(L *lua.LState, l *Layer, i int) lua.LValue {
	if b, _, ok := l.rawAddr(i); ok {
		return lua.LString(b)
	}
	f := &l.Proto.Fields[i]
	v := l.num[f.slot]
	switch f.Kind {
	case IPFlags:
		return ipFlagValues[v&7]
	case TCPFlags:
		return tcpFlagValues[v&0x1ff]
	case MAC, IPv4Addr:
		return stateOf(L).text(l, i, textKey{f.Kind, 0, v})
	case IPv6Addr, IPAddr:
		return stateOf(L).text(l, i, textKey{f.Kind, v, l.num[f.slot+1]})
	case Bytes:
		return lua.LString(l.Bytes(i))
	case List:
		return itemsTable(L, l.Items(i))
	}
	return lua.LNumber(v)
}

// text returns the text of address field i, formatting it once per runtime.
func (st *state) text(l *Layer, i int, k textKey) lua.LValue {
	if s, ok := st.texts[k]; ok {
		return s
	}
	if len(st.texts) >= maxTexts {
		clear(st.texts)
	}
	s := lua.LString(l.Text(i))
	st.texts[k] = s
	return s
}

// The flag texts, made once: parse returns them without formatting.
var ipFlagValues, tcpFlagValues = flagValues(8, ipFlagsText), flagValues(512, tcpFlagsText)

func flagValues(n int, text func(uint64) string) []lua.LValue {
	vs := make([]lua.LValue, n)
	for i := range vs {
		vs[i] = lua.LString(text(uint64(i)))
	}
	return vs
}

// layerList reads a build list (argument n): layers, parse results (their
// layers, payload and padding), byte strings for raw payload, and plain
// tables with a name, as { name = "udp", dport = 53 }.
func (st *state) layerList(L *lua.LState, n int, t *lua.LTable) []*Layer {
	st.list, st.arena, st.ntemps = st.list[:0], st.arena[:0], 0
	for k := 1; k <= t.Len(); k++ {
		switch v := t.RawGetInt(k).(type) {
		case *lua.LUserData:
			switch x := v.Value.(type) {
			case *Layer:
				st.list = append(st.list, x)
			case *packet:
				st.list = x.appendLayers(st, st.list)
			default:
				luabind.ArgError(L, n, fmt.Sprintf("element %d: layer or string expected, got userdata", k))
			}
		case lua.LString:
			// Slices of an arena that grows stay valid: they keep the old array.
			start := len(st.arena)
			st.arena = append(st.arena, v...)
			st.list = append(st.list, st.rawLayer(st.arena[start:len(st.arena):len(st.arena)]))
		case *lua.LTable:
			st.refuseGenerator(L, v)
			l := st.temp()
			*l = st.protoOf(L, n, k, v).defaults
			fillLayer(L, l, v)
			st.list = append(st.list, l)
		default:
			luabind.ArgError(L, n, fmt.Sprintf("element %d: layer or string expected, got %s", k, v.Type()))
		}
	}
	return st.list
}

// rawLayer is a scratch layer of payload bytes for the build in progress.
func (st *state) rawLayer(data []byte) *Layer {
	l := st.temp()
	*l = rawProto.defaults
	l.data = data
	return l
}

// temp returns a scratch layer for the build in progress. They are kept
// from one build to the next, one by one, so that pointers to them stay
// valid as more are made.
func (st *state) temp() *Layer {
	if st.ntemps == len(st.temps) {
		st.temps = append(st.temps, new(Layer))
	}
	st.ntemps++
	return st.temps[st.ntemps-1]
}

// protoOf returns the protocol of element k of a build list: the one
// whose metatable marks it, or the one its name field names.
func (st *state) protoOf(L *lua.LState, n, k int, t *lua.LTable) *Proto {
	if p := st.tableProto(t); p != nil {
		return p
	}
	name, ok := t.RawGetString("name").(lua.LString)
	if !ok {
		luabind.ArgError(L, n, fmt.Sprintf("element %d: a table of fields needs a name, as { name = \"udp\", dport = 53 }", k))
	}
	p := st.reg.Proto(string(name))
	if p == nil {
		luabind.Errorf(L, "frame.build", "unknown layer '%s' (have: %s)", name, strings.Join(st.reg.Names(), ", "))
	}
	return p
}

// tableProto returns the protocol of a table a constructor marked, or nil.
func (st *state) tableProto(t *lua.LTable) *Proto {
	if mt, ok := t.Metatable.(*lua.LTable); ok {
		return st.mtProto[mt]
	}
	return nil
}

// metatable returns the metatable that marks tables as layers of p: it
// reads fields left out as their defaults (nil for auto fields), checks
// fields added, and prints the layer.
func (st *state) metatable(L *lua.LState, p *Proto) *lua.LTable {
	if mt, ok := st.protoMT[p]; ok {
		return mt
	}
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		key, ok := L.Get(2).(lua.LString)
		if !ok {
			L.Push(lua.LNil) // t[1], as ipairs and pp read: a layer has no items
			return 1
		}
		if p.present != nil { // nil for a field not on the wire for this type (an ICMP echo's gw)
			l := p.defaults
			fillLayer(L, &l, L.CheckTable(1))
			if !l.present(fieldIndex(L, p, string(key))) {
				L.Push(lua.LNil)
				return 1
			}
		}
		if i, ok := p.Field(string(key)); ok && p.Fields[i].Name != string(key) {
			if v := L.CheckTable(1).RawGetString(p.Fields[i].Name); v != lua.LNil {
				L.Push(v) // an alias (vlan's prio) reads the field as given
				return 1
			}
		}
		L.Push(defaultValue(L, p, string(key)))
		return 1
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		t, key, v := L.CheckTable(1), L.CheckString(2), L.Get(3)
		if key == "name" {
			checkName(L, p, v)
		} else {
			st.check = p.defaults
			i := fieldIndex(L, p, key)
			setField(L, &st.check, i, v)
			key = p.Fields[i].Name // an alias sets the field under its name
		}
		t.RawSetString(key, v)
		return 0
	}))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		l := p.defaults
		fillLayer(L, &l, L.CheckTable(1))
		L.Push(lua.LString(l.String()))
		return 1
	}))
	st.protoMT[p], st.mtProto[mt] = mt, p
	return mt
}

// defaultValue is what a layer table of p reads for a key it lacks: the
// field's default, nil for an auto field (computed when built), and an
// error for a name p has no field of (rawget still probes without one).
func defaultValue(L *lua.LState, p *Proto, key string) lua.LValue {
	if key == "name" {
		return lua.LString(p.Name)
	}
	i := fieldIndex(L, p, key)
	if p.Fields[i].Auto {
		return lua.LNil
	}
	return fieldValue(L, &p.defaults, i)
}

// layerTable is a table of l's given fields, marked as a layer of p.
func layerTable(L *lua.LState, p *Proto, l *Layer) *lua.LTable {
	if !l.Proto.sameFields(p) {
		luabind.TypeError(L, 1, "table or "+p.Name+" layer")
	}
	t := L.CreateTable(0, len(p.Fields))
	for i := range p.Fields {
		if l.Given(i) {
			t.RawSetString(p.Fields[i].Name, fieldValue(L, l, i))
		}
	}
	return t
}

// renameAliases moves the fields t gives by an alias (vlan's prio) to
// their names (pcp), so that the layer table reads them by either; a
// field given by both is an error.
func renameAliases(L *lua.LState, p *Proto, t *lua.LTable) {
	for i := range p.Fields {
		name := p.Fields[i].Name
		for _, a := range p.Fields[i].Aliases {
			v := t.RawGetString(a)
			if v == lua.LNil {
				continue
			}
			if t.RawGetString(name) != lua.LNil {
				luabind.Errorf(L, "frame."+p.Name, "field '%s' given twice, as '%s' and '%s'", name, name, a)
			}
			t.RawSetString(a, lua.LNil)
			t.RawSetString(name, v)
		}
	}
}

// copyTable is a shallow copy of t without its metatable.
func copyTable(L *lua.LState, t *lua.LTable) *lua.LTable {
	c := L.NewTable()
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		c.RawSetH(k, v)
	}
	return c
}

// builtPacket builds layers and parses the frame back, starting with the
// first layer's protocol, so that show prints every field's value.
func (st *state) builtPacket(L *lua.LState, layers []*Layer) *Packet {
	first := Ether
	if len(layers) > 0 && layers[0].Proto != rawProto {
		first = layers[0].Proto
	}
	data := append([]byte(nil), st.builder.Build(layers)...)
	clear(layers)
	pkt := new(Packet)
	st.reg.Parse(pkt, data, first)
	return pkt
}
