package pcap

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/ledger"
)

// The Lua module "pcap": this file registers it and holds its functions
// (writer, read); lua_writer.go and lua_reader.go hold the methods of
// pcap.writer and pcap.reader. They are the thin binding of Writer and
// Reader.

// Module returns the Lua module "pcap", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "pcap",
		Doc:  "capture files that tcpdump and Wireshark read: pcap to write, pcap and pcapng to read",
		Funcs: []luabind.Func{
			{Name: "writer", Sig: "writer(file [, { snaplen, linktype }]) -> writer", Fn: writer,
				Types: luabind.Types{"file": "string", "snaplen": "integer", "linktype": "string|integer", "writer": "pcap.writer"},
				Doc:   "creates a pcap file (nanosecond timestamps); linktype: \"ethernet\" (default), \"raw\", \"ipv4\", \"ipv6\", \"linux_sll\" or a number"},
			{Name: "read", Sig: "read(file) -> iterator", Fn: read,
				Types: luabind.Types{"file": "string", "iterator": "function"},
				Doc:   "for bytes, info in pcap.read(file) do ... end, with info = { ts, len, linktype }; a damaged file is an error naming the offset"},
			sniffFunc,
		},
		Types: []*luabind.Type{writerType, readerType},
	}
}

func writer(L *lua.LState) int {
	file := luabind.CheckString(L, 1)
	o := luabind.CheckOptions(L, 2, "snaplen", "linktype")
	opts := WriterOptions{Snaplen: o.Int("snaplen", 0), LinkType: checkLinkType(o)}
	w, err := Create(file, opts)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.writer", Object: file, Err: err})
	}
	obj := &writerObj{Writer: w}
	obj.undo = luabind.RuntimeOf(L).Ledger.Add("pcap writer "+file, w.Close)
	L.Push(luabind.NewObject(L, writerType, obj))
	return 1
}

// checkLinkType reads the linktype option: a name or a number.
func checkLinkType(o luabind.Options) uint32 {
	switch v := o.Value("linktype").(type) {
	case *lua.LNilType:
		return LinkEthernet
	case lua.LString:
		if t, ok := LinkTypes[strings.ToLower(string(v))]; ok {
			return t
		}
		o.Error("linktype", fmt.Sprintf("is %q: use %s or a LINKTYPE_ number", string(v), strings.Join(slices.Sorted(maps.Keys(LinkTypes)), ", ")))
	case lua.LNumber:
		if v >= 0 && v <= math.MaxUint32 && v == lua.LNumber(int64(v)) {
			return uint32(v)
		}
	}
	o.Error("linktype", "expects a name or a LINKTYPE_ number")
	return 0
}

// read implements pcap.read(file): it returns the reader's next method
// and the reader, which is what a generic for needs. The file closes at
// the end, on an error, when the script ends, or when the reader is
// garbage: a loop left early (break, return, an error) drops it, and as
// Lua's io.lines does, the collector closes what it held. The ledger
// holds the Reader, not the readerObj that Lua holds, so that it is the
// readerObj that becomes garbage; its cleanup runs the ledger's entry.
func read(L *lua.LState) int {
	file := luabind.CheckString(L, 1)
	rt := luabind.RuntimeOf(L)
	r, err := Open(rt.Context(), file)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.read", Err: err})
	}
	obj := &readerObj{Reader: r, rt: rt, linkType: lua.LNumber(r.LinkType())}
	obj.undo = rt.Ledger.Add("pcap reader "+file, r.Close)
	runtime.AddCleanup(obj, func(u *ledger.Undo) { u.Run() }, obj.undo)
	ud := luabind.NewObject(L, readerType, obj)
	L.Push(luabind.Method(L, readerType, "next"))
	L.Push(ud)
	return 2
}
