// Package sniff is Scapy's sniff() for the modules that read packets:
// s:sniff{...} of packet and rawip sockets and pcap.sniff. It reads the
// options, runs the loop that takes packets from a Source until count,
// timeout, stop or ^C, and applies the tcpdump filter, all in Go; Lua is
// called only for the script's lfilter, prn and stop functions.
package sniff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// Sig and Types document the call for the modules' method tables, Doc
// what it does; the modules add what is their own to Doc.
const (
	Sig = "sniff{ [count] [, timeout] [, filter] [, lfilter] [, prn] [, stop] [, store] } -> packets, infos"
	Doc = "Scapy's sniff: reads packets until count of them passed filter (a tcpdump expression, run in Go) and lfilter(p, info) " +
		"(truthy keeps p), until timeout seconds (0: takes only the packets queued), until stop(p, info) is truthy for a kept packet, or until ^C, which returns what it got " +
		"(none of them: until ^C); prn(p, info) is called for each kept packet and what it returns, when not nil, is printed; " +
		"returns the kept packets as frame.parse gives them and their infos, in arrival order, in two lists (store = false: keeps none, both empty)"
)

// Types are the types of Sig's names.
var Types = luabind.Types{
	"count": "integer", "timeout": "number", "filter": "string",
	"lfilter": "fun(p: frame.packet, info: table): any", "prn": "fun(p: frame.packet, info: table): any",
	"stop": "fun(p: frame.packet, info: table): any", "store": "boolean",
	"packets": "frame.packet[]", "infos": "table[]",
}

// Options are sniff's options, as Check reads them.
type Options struct {
	Count              int           // packets to keep; 0: no limit
	Timeout            time.Duration // sock.Forever: none
	Filter             string        // tcpdump expression; "": none
	LFilter, Prn, Stop *lua.LFunction
	Store              bool
}

// Check reads the option table at argument n.
func Check(L *lua.LState, n int) Options {
	o := luabind.CheckOptions(L, n, "count", "timeout", "filter", "lfilter", "prn", "stop", "store")
	opts := Options{Count: o.Int("count", 0), Timeout: sock.Forever, Filter: o.String("filter", ""), Store: o.Bool("store", true)}
	if opts.Count < 0 {
		o.Error("count", "must be 0 or more")
	}
	if o.Has("timeout") {
		secs := o.Number("timeout", 0)
		if math.IsNaN(secs) || secs < 0 || secs > 1e9 {
			o.Error("timeout", "must be 0 or more seconds")
		}
		opts.Timeout = time.Duration(secs * float64(time.Second))
	}
	opts.LFilter, opts.Prn, opts.Stop = function(o, "lfilter"), function(o, "prn"), function(o, "stop")
	return opts
}

// function returns option name as a function, nil when absent.
func function(o luabind.Options, name string) *lua.LFunction {
	switch v := o.Value(name).(type) {
	case *lua.LNilType:
		return nil
	case *lua.LFunction:
		return v
	}
	o.Error(name, fmt.Sprintf("expects a function, got %s", o.Value(name).Type()))
	return nil
}

// A Link is what a source's packets start with, for the filter, which
// netlua compiles for Ethernet frames.
type Link uint8

const (
	Ethernet Link = iota // Ethernet frames: the filter runs on them as they are
	IP                   // IPv4 or IPv6 packets: the filter sees them behind an Ethernet header of zero addresses, len their own length
	None                 // packets a tcpdump expression cannot test (a filter is an error naming Why)
)

// A Source is where a sniff reads its packets, of info type I.
type Source[I any] struct {
	// Recv returns the next packet, its bytes valid until the next call,
	// waiting at most timeout (sock.Forever: no limit); a timeout is
	// os.ErrDeadlineExceeded, the end of a file io.EOF.
	Recv func(ctx context.Context, timeout time.Duration) ([]byte, I, error)
	Info func(L *lua.LState, info *I) *lua.LTable // the info table of a kept packet
	Len  func(info *I) int                        // the packet's length on the wire, for the filter's len
	// First is the layer a packet is decoded from (nil: none, all
	// payload).
	First func(data []byte, info *I) *frame.Proto
	Link  Link
	Why   string // why a filter cannot run, with Link None
}

// A Result is what a sniff kept, and why it ended.
type Result struct {
	Packets, Infos *lua.LTable
	Interrupted    bool // ^C ended it
}

// Run sniffs src with opts on the Lua thread L; ctx is the statement's
// (its end, ^C, ends the sniff with what it got). Errors of Recv other
// than its timeout and io.EOF are returned, with what was kept so far.
func Run[I any](ctx context.Context, L *lua.LState, src *Source[I], opts Options) (Result, error) {
	prog, err := compile(src, opts.Filter)
	if err != nil {
		return Result{}, err
	}
	r := &run[I]{L: L, src: src, opts: opts, prog: prog, res: Result{Packets: L.NewTable(), Infos: L.NewTable()}}
	err = r.loop(ctx)
	return r.res, err
}

// Push pushes what a sniff kept, its two lists, and returns 2. When ^C
// ended the sniff, a prompt takes it as the sniff's end (see
// luabind.Runtime.TakeInterrupt): the statement goes on with the lists.
func Push(L *lua.LState, res Result) int {
	if res.Interrupted {
		luabind.RuntimeOf(L).TakeInterrupt(L)
	}
	L.Push(res.Packets)
	L.Push(res.Infos)
	return 2
}

// compile compiles the filter for src's link, nil for none. The program
// runs in Go on each packet, rather than in the kernel for the time of
// the sniff: the socket's own filter (open's, s:filter's) stays in force
// and this one narrows it, with nothing to put back afterwards (an error
// or ^C cannot leave the socket filtered), no queued packet is dropped
// (replacing a socket's filter drops them), and the same code serves raw
// IP sockets and files. Packets the filter rejects cross into user space
// for nothing, which at sniffing rates costs nothing that matters.
// The program is compiled as for a file (tcpdump -r): packet sockets put
// a VLAN tag the kernel took out back into the frame before Recv returns.
func compile[I any](src *Source[I], expr string) (*filter.Program, error) {
	if expr == "" {
		return nil, nil
	}
	if src.Link == None {
		return nil, fmt.Errorf("filter: %s; use lfilter", src.Why)
	}
	return filter.Compile(expr)
}

// run is one sniff in progress.
type run[I any] struct {
	L    *lua.LState
	src  *Source[I]
	opts Options
	prog *filter.Program
	res  Result
	kept int
	eth  []byte // the Ethernet header and IP packet the filter sees, for Link IP
}

// loop reads packets until one of the ends.
func (r *run[I]) loop(ctx context.Context) error {
	deadline := time.Now().Add(r.opts.Timeout)
	for {
		wait := r.opts.Timeout // Forever, or 0: only what is queued, until the queue is empty
		if wait > 0 {
			if wait = time.Until(deadline); wait <= 0 {
				return nil
			}
		}
		data, info, err := r.src.Recv(ctx, wait)
		if err != nil {
			return r.ended(ctx, err)
		}
		if !r.match(data, &info) {
			continue
		}
		if done := r.keep(data, &info); done {
			return nil
		}
	}
}

// ended sorts out a receive's error: the end of the time, the file or
// the statement ends the sniff well; others are errors.
func (r *run[I]) ended(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		r.res.Interrupted = true
		return nil
	}
	if timedOut, _ := sock.Timeout(err); timedOut || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// match runs the filter on a packet.
func (r *run[I]) match(data []byte, info *I) bool {
	if r.prog == nil {
		return true
	}
	length := len(data)
	if r.src.Len != nil {
		length = r.src.Len(info)
	}
	if r.src.Link == IP {
		r.eth = behindEthernet(r.eth[:0], data)
		return r.prog.MatchBehind(r.eth, ethHeader, length)
	}
	return r.prog.MatchLen(data, length)
}

// ethHeader is an Ethernet header's length.
const ethHeader = 14

// behindEthernet appends to buf an Ethernet header of zero addresses and
// the EtherType of the IP version of packet, then packet.
func behindEthernet(buf, packet []byte) []byte {
	etherType := []byte{0x08, 0x00}
	if len(packet) > 0 && packet[0]>>4 == 6 {
		etherType = []byte{0x86, 0xdd}
	}
	buf = append(buf, make([]byte, 12)...)
	buf = append(buf, etherType...)
	return append(buf, packet...)
}

// keep gives a packet that passed the filter to the script's functions
// and the lists; it reports whether the sniff is done.
func (r *run[I]) keep(data []byte, info *I) bool {
	o := &r.opts
	if o.LFilter == nil && o.Prn == nil && o.Stop == nil && !o.Store {
		r.kept++ // counting alone: nothing made for Lua
		return o.Count > 0 && r.kept >= o.Count
	}
	p := frame.NewPacket(r.L, data, r.src.First(data, info))
	t := r.src.Info(r.L, info)
	if o.LFilter != nil && !lua.LVAsBool(r.call(o.LFilter, p, t)) {
		return false
	}
	r.kept++
	if o.Store {
		r.res.Packets.Append(p)
		r.res.Infos.Append(t)
	}
	if o.Prn != nil {
		if v := r.call(o.Prn, p, t); v != lua.LNil {
			fmt.Fprintln(luabind.RuntimeOf(r.L).Stdout, lua.LVAsString(r.L.ToStringMeta(v)))
		}
	}
	if o.Stop != nil && lua.LVAsBool(r.call(o.Stop, p, t)) {
		return true
	}
	return o.Count > 0 && r.kept >= o.Count
}

// call calls fn(p, info) and returns its first result; its error is the
// sniff's, raised in the script.
func (r *run[I]) call(fn *lua.LFunction, p, info lua.LValue) lua.LValue {
	r.L.Push(fn)
	r.L.Push(p)
	r.L.Push(info)
	r.L.Call(2, 1)
	v := r.L.Get(-1)
	r.L.Pop(1)
	return v
}

// FromIP is Source.First for packets that start at their IP header.
func FromIP[I any](data []byte, _ *I) *frame.Proto { return frame.ForIP(data) }
