package pcap

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/sniff"
)

// sniffFunc is pcap.sniff, Scapy's sniff(offline=file) (see package sniff).
var sniffFunc = luabind.Func{Name: "sniff", Sig: "sniff(file, { [count] [, timeout] [, filter] [, lfilter] [, prn] [, stop] [, store] }) -> packets, infos", Fn: sniffFile,
	Types: luabind.Types{"file": "string"},
	Doc: "Scapy's sniff(offline = file): packet.socket:sniff on the records of a capture file (pcap or pcapng), read in Go, " +
		"to its end unless count, timeout or stop ends it first; info as pcap.read's; filter runs on Ethernet and raw IP captures (the file's link type)"}

func init() {
	for k, v := range sniff.Types {
		sniffFunc.Types[k] = v
	}
}

func sniffFile(L *lua.LState) int {
	file := luabind.CheckString(L, 1)
	opts := sniff.Check(L, 2)
	ctx := luabind.RuntimeOf(L).Context()
	r, err := Open(ctx, file)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.sniff", Err: err})
	}
	defer r.Close() // a Lua error in a callback unwinds through here too
	res, err := sniff.Run(ctx, L, fileSource(L, r), opts)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "pcap.sniff", Object: file, Err: err})
	}
	return sniff.Push(L, res)
}

// fileSource is the sniff source of the records of r.
func fileSource(L *lua.LState, r *Reader) *sniff.Source[Record] {
	obj := &readerObj{Reader: r, linkType: lua.LNumber(r.LinkType())}
	src := &sniff.Source[Record]{
		Recv: func(ctx context.Context, _ time.Duration) ([]byte, Record, error) { return r.Next(ctx) },
		Info: obj.infoTable,
		Len:  func(rec *Record) int { return rec.Len },
		First: func(data []byte, rec *Record) *frame.Proto {
			p, _ := frame.ForLinkType(rec.LinkType, data) // nil, all payload, for a link type frame does not decode
			return p
		},
	}
	switch r.LinkType() {
	case LinkEthernet:
		src.Link = sniff.Ethernet
	case LinkRaw, 12, 14, 228, 229: // raw IP, as frame.ForLinkType names them
		src.Link = sniff.IP
	default:
		src.Link, src.Why = sniff.None, "netlua compiles filters for Ethernet and raw IP captures only"
	}
	return src
}
