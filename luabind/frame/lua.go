package frame

import (
	"fmt"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The Lua module "frame". This file (the module, its state and its
// functions), lua_layer.go and lua_packet.go (its two Lua types) are its
// binding: they check arguments, convert values and call the core.

// Module returns the Lua module "frame", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	funcs := []luabind.Func{
		{Name: "build", Sig: "build{layer|packet|bytes, ...} -> bytes", Fn: build,
			Types: luabind.Types{"layer": "frame.layer", "packet": "frame.packet", "bytes": "string"},
			Doc:   "the frame made of the layers, parsed packets and raw byte strings, in order, with auto fields computed as Scapy does; addresses left unset keep fixed defaults (ipv4.src 127.0.0.1), where a packet or rawip socket's send of the same layers fills them from the interface and routes"},
		{Name: "parse", Sig: "parse(bytes [, {first = name|\"ip\", linktype = n}]) -> packet", Fn: parse,
			Types: luabind.Types{"bytes": "string", "first": "string", "linktype": "integer", "n": "integer", "name": "string", "packet": "frame.packet"},
			Doc:   "decodes a frame into { <layer> = layer, layers = {...}, payload, padding?, error? }; never fails; linktype (pcap's info.linktype) picks the first layer: 1 ether, 113 sll, 276 sll2, 0/108 loopback, 101/228/229 ip"},
		{Name: "show", Sig: "show(packet|bytes|{layer, ...}) -> text", Fn: show,
			Types: luabind.Types{"packet": "frame.packet", "bytes": "string", "layer": "frame.layer", "text": "string"},
			Doc:   "prints and returns a Scapy-like tree of the packet, frame or layers"},
		{Name: "hexdump", Sig: "hexdump(bytes) -> text", Fn: hexdump,
			Types: luabind.Types{"bytes": "string", "text": "string"},
			Doc:   "prints and returns the bytes as tcpdump -X does: offset, hex, ASCII"},
		{Name: "define", Sig: "define(name, {{field, bits [, \"bits\"|\"mac\"|\"ipv4\"|\"ipv6\"] [, default = v] [, auto = \"length\"]}, ...} [, {answers = fn}]) -> constructor", Fn: define,
			Types: luabind.Types{"name": "string", "field": "string", "bits": "integer", "default": "integer|string", "v": "integer|string", "auto": "string", "answers": "fun(request: frame.layer, reply: frame.layer): boolean", "fn": "fun(request: frame.layer, reply: frame.layer): boolean", "constructor": "function"},
			Doc:   "declares a protocol; numbers are 8/16/32/64 bits in network order, \"bits\" fields are packed MSB first; options.answers, fn(request, reply) -> boolean, given the two layers, says whether reply answers request for frame.answers (as Scapy's answers(); without it, a layer of the protocol answers another when what follows does)"},
		{Name: "bind", Sig: "bind(lower, {field = value}, name)", Fn: bind,
			Types: luabind.Types{"lower": "string", "name": "string"},
			Doc:   "decodes layer name above lower when lower's field has value (dport, sport, type, proto), and sets it when building"},
		fragmentFunc, defragmentFunc, fragment6Func, defragment6Func, answersFunc, fuzzFunc, expandFunc,
	}
	for _, p := range Builtins {
		funcs = append(funcs, constructorFunc(p))
	}
	return &luabind.Module{
		Name:  "frame",
		Doc:   "builds and dissects frames with Scapy's layer and field names",
		Funcs: funcs,
		Types: []*luabind.Type{layerType, packetType},
		Open:  func(L *lua.LState, mod *lua.LTable) { stateOf(L).mod = mod },
	}
}

// state is the frame module's state in one runtime: the protocols the
// script defined, and buffers reused from one call to the next.
type state struct {
	reg     *Registry
	mod     *lua.LTable            // the module table, where define adds constructors
	protoMT map[*Proto]*lua.LTable // the metatables that mark tables as layers
	mtProto map[*lua.LTable]*Proto // and back
	check   Layer                  // where constructors check fields
	builder Builder
	list    []*Layer // the layers of the build in progress
	temps   []*Layer // layers for the strings and plain tables of a build list
	ntemps  int      // how many of them the build in progress uses
	arena   []byte   // the bytes of the strings of a build list
	pkt     Packet
	texts   map[textKey]lua.LValue // address texts, so that parse does not format them each time
	caller  *lua.LState            // the state running frame.answers, for define's answers functions
	gens    map[*lua.LTable]*Proto // the metatables that mark generator layers (lua_expand.go)
}

// textKey names the text of an address: its kind and its slots.
type textKey struct {
	kind   Kind
	hi, lo uint64
}

// maxTexts bounds the address texts a runtime keeps.
const maxTexts = 4096

// stateKey is where a Lua state keeps its frame state, in the Lua
// registry: finding it there is cheaper than through the Runtime, and
// every frame call needs it.
const stateKey = "netlua.frame"

func stateOf(L *lua.LState) *state {
	if ud, ok := L.G.Registry.RawGetString(stateKey).(*lua.LUserData); ok {
		return ud.Value.(*state)
	}
	st := luabind.RuntimeOf(L).State("frame", func() any { return newState() }).(*state)
	ud := L.NewUserData()
	ud.Value = st
	L.G.Registry.RawSetString(stateKey, ud)
	return st
}

func newState() *state {
	st := &state{
		reg:     NewRegistry(),
		texts:   map[textKey]lua.LValue{},
		protoMT: map[*Proto]*lua.LTable{},
		mtProto: map[*lua.LTable]*Proto{},
	}
	st.builder.Registry = st.reg
	return st
}

// constructorFunc is the Lua function making layers of p: f.ipv4{...}.
func constructorFunc(p *Proto) luabind.Func {
	names := make([]string, len(p.Fields))
	types := luabind.Types{"layer": "frame.layer"}
	for i, f := range p.Fields {
		names[i] = f.Name
		types[f.Name] = luaType(f.Kind)
	}
	return luabind.Func{
		Name:  p.Name,
		Sig:   fmt.Sprintf("%s{%s} -> layer", p.Name, strings.Join(names, ", ")),
		Types: types,
		Doc:   p.Doc + defaultsDoc(p) + listDocs(p) + aliasDocs(p),
		Fn:    func(L *lua.LState) int { return construct(L, p) },
	}
}

// defaultsDoc says what p's fields left out are: Scapy's defaults (those
// not zero are listed) or computed ("; defaults: ttl=64, ..., others 0;
// computed unless given: len, chksum").
func defaultsDoc(p *Proto) string {
	var defaults, auto []string
	for i, f := range p.Fields {
		if f.Auto {
			auto = append(auto, f.Name)
			continue
		}
		l := &p.defaults
		if f.Kind.bytes() && strings.Trim(string(l.Bytes(i)), "\x00") == "" || // empty, or fixed-size zeros
			!f.Kind.bytes() && l.num[f.slot] == 0 && (f.Kind.slots() < 2 || l.num[f.slot+1] == 0) {
			continue
		}
		defaults = append(defaults, f.Name+"="+showValue(l, i))
	}
	doc := "; fields left out take Scapy's defaults: all 0"
	if len(defaults) > 0 {
		doc = "; fields left out take Scapy's defaults: " + strings.Join(defaults, ", ") + ", others 0"
	}
	if len(auto) > 0 {
		doc += "; computed unless given: " + strings.Join(auto, ", ")
	}
	return doc
}

// aliasDocs lists the other names p's fields answer to ("; Scapy's
// names too: prio for pcp, vlan for vid").
func aliasDocs(p *Proto) string {
	var pairs []string
	for _, f := range p.Fields {
		for _, a := range f.Aliases {
			pairs = append(pairs, a+" for "+f.Name)
		}
	}
	if len(pairs) == 0 {
		return ""
	}
	return "; Scapy's names too: " + strings.Join(pairs, ", ")
}

// luaType is the LuaLS type of the values a field of kind k takes: flags
// are numbers or text, addresses and byte strings are text.
func luaType(k Kind) string {
	switch {
	case k == Uint:
		return "integer"
	case k.numeric():
		return "string|integer"
	case k == List:
		return "table|string"
	}
	return "string"
}

// construct makes a layer of p from argument 1: a table of fields, which
// it checks and marks as a layer of p (and returns, no copy made), a
// layer to copy, or nothing for the defaults.
func construct(L *lua.LState, p *Proto) int {
	st := stateOf(L)
	var t *lua.LTable
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
		t = L.NewTable()
	case *lua.LTable:
		if g := st.generatorLayer(L, p, v); g != nil {
			L.Push(g)
			return 1
		}
		st.check = p.defaults
		fillLayer(L, &st.check, v)
		t = v
		if mt, ok := v.Metatable.(*lua.LTable); ok && st.mtProto[mt] != p {
			t = copyTable(L, v) // the table has a metatable of its own, or is another layer
		}
		renameAliases(L, p, t)
	case *lua.LUserData:
		t = layerTable(L, p, checkLayer(L, 1))
	default:
		luabind.TypeError(L, 1, "table")
	}
	t.Metatable = st.metatable(L, p)
	L.Push(t)
	return 1
}

func build(L *lua.LState) int {
	st := stateOf(L)
	layers := st.layerList(L, 1, buildList(L, 1))
	data := st.builder.Build(layers)
	clear(layers)
	L.Push(lua.LString(data))
	return 1
}

func parse(L *lua.LState) int {
	s := luabind.CheckString(L, 1)
	st := stateOf(L)
	data := []byte(s) // the layers' options point into it
	first := Ether
	if L.Get(2) != lua.LNil {
		first = st.firstProto(data, luabind.CheckOptions(L, 2, "first", "linktype"))
	}
	st.reg.Parse(&st.pkt, data, first)
	L.Push(st.newPacket(L, s))
	return 1
}

// firstProto is the protocol parse starts with: option first names it,
// or is "ip" for IPv4 or IPv6 by the version nibble.
func (st *state) firstProto(data []byte, opts luabind.Options) *Proto {
	if opts.Has("linktype") {
		lt := opts.Int("linktype", 1)
		if lt < 0 || lt > math.MaxUint32 {
			opts.Error("linktype", fmt.Sprintf("is link type %d, which frame does not decode", lt))
		}
		p, err := ForLinkType(uint32(lt), data)
		if err != nil {
			opts.Error("linktype", err.Error())
		}
		return p
	}
	name := opts.String("first", Ether.Name)
	if name == "ip" {
		return ForIP(data)
	}
	p := st.reg.Proto(name)
	if p == nil {
		opts.Error("first", fmt.Sprintf("names no layer: '%s' (have: ip, %s)", name, strings.Join(st.reg.Names(), ", ")))
	}
	return p
}

func show(L *lua.LState) int {
	st := stateOf(L)
	var pkt *Packet
	switch v := L.Get(1).(type) {
	case lua.LString:
		pkt = new(Packet)
		st.reg.Parse(pkt, []byte(v), Ether)
	case *lua.LTable:
		if st.tableProto(v) == nil {
			pkt = st.builtPacket(L, st.layerList(L, 1, v))
		} else {
			pkt = st.builtPacket(L, st.layerList(L, 1, listOf(L, v)))
		}
	case *lua.LUserData:
		if p, ok := v.Value.(*packet); ok {
			pkt = &p.Packet
		} else {
			checkLayer(L, 1)
			pkt = st.builtPacket(L, st.layerList(L, 1, listOf(L, v)))
		}
	default:
		luabind.TypeError(L, 1, "packet, string or table of layers")
	}
	return printText(L, pkt.Show())
}

// buildList is argument n as a list to build: a list, or a packet or a
// layer alone.
func buildList(L *lua.LState, n int) *lua.LTable {
	switch v := L.Get(n).(type) {
	case *lua.LTable:
		if stateOf(L).tableProto(v) != nil {
			return listOf(L, v)
		}
		return v
	case *lua.LUserData:
		return listOf(L, v)
	}
	luabind.TypeError(L, n, "table")
	return nil
}

// listOf is the list of one layer.
func listOf(L *lua.LState, layer lua.LValue) *lua.LTable {
	t := L.CreateTable(1, 0)
	t.Append(layer)
	return t
}

func hexdump(L *lua.LState) int {
	return printText(L, Hexdump([]byte(luabind.CheckString(L, 1))))
}

// printText writes text to the script's output and returns it to Lua.
func printText(L *lua.LState, text string) int {
	luabind.RuntimeOf(L).Stdout.Write([]byte(text))
	L.Push(lua.LString(text))
	return 1
}

func define(L *lua.LState) int {
	name := luabind.CheckString(L, 1)
	list := luabind.CheckTable(L, 2)
	st := stateOf(L)
	if st.mod.RawGetString(name) != lua.LNil {
		luabind.ArgError(L, 1, fmt.Sprintf("'%s' is taken: frame.%s exists", name, name))
	}
	var specs []FieldSpec
	for i := 1; i <= list.Len(); i++ {
		specs = append(specs, fieldSpec(L, i, list.RawGetInt(i)))
	}
	p, err := st.reg.Define(name, specs)
	if err != nil {
		luabind.ArgError(L, 2, err.Error())
	}
	if L.Get(3) != lua.LNil {
		defineAnswers(L, st, p, luabind.CheckOptions(L, 3, "answers"))
	}
	fn := L.NewFunction(func(L *lua.LState) int { return construct(L, p) })
	st.mod.RawSetString(name, fn)
	L.Push(fn)
	return 1
}

// fieldSpec reads field n of define's list: {"seq", 32}, {"flags", 4,
// "bits"}, {"len", 16, auto = "length"}, {"addr", 32, "ipv4", default = v}.
func fieldSpec(L *lua.LState, n int, v lua.LValue) FieldSpec {
	t, ok := v.(*lua.LTable)
	if !ok {
		luabind.ArgError(L, 2, fmt.Sprintf("field %d: {name, bits [, kind]} expected, got %s", n, v.Type()))
	}
	name, nok := t.RawGetInt(1).(lua.LString)
	bits, bok := t.RawGetInt(2).(lua.LNumber)
	if !nok || !bok {
		luabind.ArgError(L, 2, fmt.Sprintf("field %d: {name, bits [, kind]} expected", n))
	}
	if bits != lua.LNumber(int(bits)) {
		luabind.ArgError(L, 2, fmt.Sprintf("field %d: width %v is no whole number of bits", n, bits))
	}
	s := FieldSpec{Name: string(name), Bits: int(bits)}
	switch kind := t.RawGetInt(3).String(); kind {
	case "nil":
	case "bits":
		s.BitField = true
	case "mac":
		s.Kind = MAC
	case "ipv4":
		s.Kind = IPv4Addr
	case "ipv6":
		s.Kind = IPv6Addr
	default:
		luabind.ArgError(L, 2, fmt.Sprintf("field %d: kind '%s': want \"bits\", \"mac\", \"ipv4\" or \"ipv6\"", n, kind))
	}
	switch auto := t.RawGetString("auto"); auto {
	case lua.LNil:
	case lua.LString("length"):
		s.Length = true
	default:
		luabind.ArgError(L, 2, fmt.Sprintf("field %d: auto = %s: only \"length\" is known", n, auto))
	}
	switch d := t.RawGetString("default").(type) {
	case lua.LNumber:
		s.Default = float64(d)
	case lua.LString:
		s.Default = string(d)
	}
	return s
}

func bind(L *lua.LState) int {
	st := stateOf(L)
	lower := st.checkProto(L, 1)
	match := luabind.CheckTable(L, 2)
	upper := st.checkProto(L, 3)
	key, value := match.Next(lua.LNil)
	field, fok := key.(lua.LString)
	num, nok := value.(lua.LNumber)
	if next, _ := match.Next(key); !fok || !nok || next != lua.LNil || num < 0 || num != lua.LNumber(uint64(num)) {
		luabind.ArgError(L, 2, "one field and its number expected: { dport = 9999 }")
	}
	if lower == IPv6 && field == "proto" {
		field = "nh" // IPv6 calls its protocol field the next header
	}
	if err := st.reg.Bind(lower, string(field), uint64(num), upper); err != nil {
		luabind.Errorf(L, "frame.bind", "%s: %v", lower.Name, err)
	}
	return 0
}
