package pcap

import (
	"errors"
	"fmt"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/ledger"
)

// pcap.writer: its type, its fields and its methods (see lua.go for the
// module).

func init() {
	writerType.Methods = []luabind.Func{
		{Name: "write", Sig: "writer:write(bytes [, ts | info [, len]])", Fn: writerWrite,
			Types: luabind.Types{"bytes": "string", "ts": "number", "info": "table", "len": "integer"},
			Doc:   "writes one record: ts in seconds (default now) or a recv info table (its ts and len); len is the original length"},
		{Name: "flush", Sig: "writer:flush()", Fn: writerFlush,
			Doc: "writes buffered records to the file now"},
		{Name: "close", Sig: "writer:close()", Fn: writerClose,
			Doc: "flushes and closes the file (done at exit otherwise); safe to call twice"},
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

func writerWrite(L *lua.LState) int {
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

func writerFlush(L *lua.LState) int {
	w := luabind.CheckObject[*writerObj](L, 1, writerType)
	if err := w.Flush(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.flush", Object: w.Name(), Err: closedError(err)})
	}
	return 0
}

func writerClose(L *lua.LState) int {
	w := luabind.CheckObject[*writerObj](L, 1, writerType)
	if err := w.undo.Run(); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.close", Object: w.Name(), Err: err})
	}
	return 0
}
