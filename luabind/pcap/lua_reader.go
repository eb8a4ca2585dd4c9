package pcap

import (
	"errors"
	"io"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/ledger"
)

// pcap.reader: its type, its fields and its methods (see lua.go for the
// module and pcap.read, which makes a reader).

func init() {
	readerType.Methods = []luabind.Func{
		{Name: "next", Sig: "reader:next() -> bytes, info | nil", Fn: readerNext,
			Types: luabind.Types{"bytes": "string", "info": "{ ts: number, len: integer, linktype: integer, bad: string? }"},
			Doc:   "the next record and info = { ts, len, linktype (the record's own in a pcapng of several), bad? }, nil at the end (which closes the file); bad = \"caplen > len\" marks a record that stores more bytes than its original length, read as tcpdump does"},
		{Name: "close", Sig: "reader:close()", Fn: readerClose,
			Doc: "closes the file before its end; safe to call twice"},
	}
}

var readerType = &luabind.Type{
	Name: "pcap.reader",
	Doc:  "a capture file being read, as pcap.read returns it",
	Fields: []luabind.Field{
		{Name: "file", Type: "string", Doc: "the file's name"},
		{Name: "linktype", Type: "integer", Doc: "what its records hold: 1 Ethernet, 101 raw IP, ..."},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		r := v.(*readerObj)
		switch key {
		case "file":
			return lua.LString(r.Name())
		case "linktype":
			return lua.LNumber(r.LinkType())
		}
		return lua.LNil
	},
}

// readerObj is a Reader as Lua holds it.
type readerObj struct {
	*Reader
	rt       *luabind.Runtime
	undo     *ledger.Undo
	linkType lua.LValue // boxed once: the same in every record's info
}

// String describes the reader for tostring.
func (r *readerObj) String() string { return "pcap reader " + r.Name() }

func readerNext(L *lua.LState) int {
	r := luabind.CheckObject[*readerObj](L, 1, readerType)
	data, rec, err := r.Next(r.rt.Context())
	if err != nil {
		r.undo.Run()
		if err == io.EOF || errors.Is(err, errClosed) {
			L.Push(lua.LNil)
			return 1
		}
		luabind.Raise(L, &luabind.OpError{Op: "pcap.read", Err: err})
	}
	L.Push(lua.LString(data))
	L.Push(r.infoTable(L, &rec))
	return 2
}

// infoTable is the info of a record as scripts see it.
func (r *readerObj) infoTable(L *lua.LState, rec *Record) *lua.LTable {
	info := L.CreateTable(0, 3)
	info.RawSetString("ts", lua.LNumber(float64(rec.TS.UnixNano())/1e9))
	info.RawSetString("len", lua.LNumber(rec.Len))
	linkType := lua.LValue(lua.LNumber(rec.LinkType))
	if linkType == r.linkType {
		linkType = r.linkType // the boxed one: no allocation
	}
	info.RawSetString("linktype", linkType)
	if rec.Bad != "" {
		info.RawSetString("bad", lua.LString(rec.Bad))
	}
	return info
}

func readerClose(L *lua.LState) int {
	r := luabind.CheckObject[*readerObj](L, 1, readerType)
	if err := r.undo.Run(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.close", Object: r.Name(), Err: err})
	}
	return 0
}
