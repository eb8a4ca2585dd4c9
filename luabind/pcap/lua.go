package pcap

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/ledger"
)

// The Lua module "pcap": the thin binding of Writer and Reader.

func init() {
	writerType.Methods = []luabind.Func{
		{Name: "write", Sig: "writer:write(bytes [, ts | info [, len]])", Fn: write,
			Types: luabind.Types{"bytes": "string", "ts": "number", "info": "table", "len": "integer"},
			Doc:   "writes one record: ts in seconds (default now) or a recv info table (its ts and len); len is the original length"},
		{Name: "flush", Sig: "writer:flush()", Fn: flush,
			Doc: "writes buffered records to the file now"},
		{Name: "close", Sig: "writer:close()", Fn: closeWriter,
			Doc: "flushes and closes the file (done at exit otherwise); safe to call twice"},
	}
	readerType.Methods = []luabind.Func{
		{Name: "next", Sig: "reader:next() -> bytes, info | nil", Fn: next,
			Types: luabind.Types{"bytes": "string", "info": "{ ts: number, len: integer, linktype: integer }"},
			Doc:   "the next record and info = { ts, len, linktype }, nil at the end (which closes the file)"},
		{Name: "close", Sig: "reader:close()", Fn: closeReader,
			Doc: "closes the file before its end; safe to call twice"},
	}
}

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
		},
		Types: []*luabind.Type{writerType, readerType},
	}
}

var writerType = &luabind.Type{
	Name: "pcap.writer",
	Doc:  "a pcap file being written; closed when the script ends",
	Fields: []luabind.Field{
		{Name: "file", Type: "string", Doc: "the file's name"},
		{Name: "count", Type: "integer", Doc: "records written so far"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		w := v.(*writerObj)
		switch key {
		case "file":
			return lua.LString(w.Name())
		case "count":
			return lua.LNumber(w.Count())
		}
		return lua.LNil
	},
}

// writerObj is a Writer as Lua holds it.
type writerObj struct {
	*Writer
	undo *ledger.Undo
}

// String describes the writer for tostring.
func (w *writerObj) String() string { return "pcap writer " + w.Name() }

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

func write(L *lua.LState) int {
	w := luabind.CheckObject[*writerObj](L, 1, writerType)
	data := luabind.CheckString(L, 2)
	ts, length := checkStamp(L, len(data))
	if err := w.WriteFrame(sock.Bytes(data), ts, length); err != nil { // copied into the file's buffer
		luabind.Raise(L, &luabind.OpError{Op: "pcap.write", Object: w.Name(), Err: closedError(err)})
	}
	return 0
}

// checkStamp reads write's arguments 3 and 4: a time in seconds or an
// info table, and the original length.
func checkStamp(L *lua.LState, n int) (time.Time, int) {
	ts, length := time.Now(), luabind.OptInt(L, 4, n)
	switch v := L.Get(3).(type) {
	case *lua.LNilType:
	case lua.LNumber:
		ts = fromSeconds(float64(v))
	case *lua.LTable:
		if s, ok := v.RawGetString("ts").(lua.LNumber); ok {
			ts = fromSeconds(float64(s))
		}
		if l, ok := v.RawGetString("len").(lua.LNumber); ok && L.Get(4) == lua.LNil {
			length = int(l)
		}
	default:
		luabind.TypeError(L, 3, "number or table")
	}
	if length < n {
		luabind.ArgError(L, 4, fmt.Sprintf("the original length %d is less than the %d bytes given", length, n))
	}
	return ts, length
}

// fromSeconds is a float of seconds since the epoch as a time.
func fromSeconds(s float64) time.Time {
	sec := math.Floor(s)
	return time.Unix(int64(sec), int64(math.Round((s-sec)*1e9)))
}

// closedError says "the writer is closed" rather than "file already closed".
func closedError(err error) error {
	if errors.Is(err, errClosed) {
		return errors.New("the writer is closed")
	}
	return err
}

func flush(L *lua.LState) int {
	w := luabind.CheckObject[*writerObj](L, 1, writerType)
	if err := w.Flush(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.flush", Object: w.Name(), Err: closedError(err)})
	}
	return 0
}

func closeWriter(L *lua.LState) int {
	w := luabind.CheckObject[*writerObj](L, 1, writerType)
	if err := w.undo.Run(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.close", Object: w.Name(), Err: err})
	}
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

func next(L *lua.LState) int {
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
	info := L.CreateTable(0, 3)
	info.RawSetString("ts", lua.LNumber(float64(rec.TS.UnixNano())/1e9))
	info.RawSetString("len", lua.LNumber(rec.Len))
	info.RawSetString("linktype", r.linkType)
	L.Push(lua.LString(data))
	L.Push(info)
	return 2
}

func closeReader(L *lua.LState) int {
	r := luabind.CheckObject[*readerObj](L, 1, readerType)
	if err := r.undo.Run(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.close", Object: r.Name(), Err: err})
	}
	return 0
}
