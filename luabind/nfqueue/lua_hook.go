package nfqueue

import (
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/gopanic"
	"github.com/netlua/netlua/luabind/internal/nftcore"
	"github.com/netlua/netlua/luabind/ledger"
)

// A hook is one nfq.hook: its queue, its rule, and the Lua function that
// judges the packets. Everything but the poster goroutine runs on the Lua
// thread.
type hook struct {
	rt      *luabind.Runtime
	fn      *lua.LFunction
	match   nftcore.Match
	fix     *fixer // nil when fix = false
	q       *Queue
	rule    *nftcore.Rule
	release func()       // lets the loop end
	undo    *ledger.Undo // the ledger's entry, which closes the hook at exit
	ran     chan struct{}
	batch   []Packet
	judged  int
	closed  bool

	parse lua.LValue  // frame.parse
	first *lua.LTable // its options: { first = "ip" }

	errs *errorReport
}

func newHook(L *lua.LState, fn *lua.LFunction, m nftcore.Match, fix bool) *hook {
	h := &hook{rt: luabind.RuntimeOf(L), fn: fn, match: m, ran: make(chan struct{}, 1)}
	if fix {
		h.fix = newFixer()
	}
	h.errs = newErrorReport(h.rt.Stderr)
	return h
}

// start keeps the loop alive and starts the poster goroutine, which hands
// the loop one job at a time while packets wait.
func (h *hook) start() {
	h.release = h.rt.Loop.Hold()
	lp, ready, done := h.rt.Loop, h.q.Ready(), h.q.Done()
	go func() {
		defer func() {
			// Nothing here should panic; a bug ends the script, not netlua.
			if r := recover(); r != nil {
				lp.Post(func(*lua.LState) error { return gopanic.Error("nfq.hook", r) })
			}
		}()
		for {
			select {
			case <-ready:
			case <-done:
				return
			}
			if !lp.Post(h.run) {
				return
			}
			select {
			case <-h.ran:
			case <-done:
				return
			}
		}
	}()
}

// run is the loop's job: it judges the packets waiting, in order.
func (h *hook) run(L *lua.LState) error {
	defer func() { h.ran <- struct{}{} }()
	h.batch = h.q.Take(h.batch)
	for i := range h.batch {
		if h.closed || h.rt.Interrupted() != nil {
			// Close (or the exit after SIGINT) accepts the rest.
			return nil
		}
		h.judge(L, &h.batch[i])
	}
	if err := h.q.Flush(); err != nil {
		h.errs.report("verdict: " + err.Error())
	}
	h.errs.tick()
	return nil
}

// judge calls the function on one packet and sends its verdict.
func (h *hook) judge(L *lua.LState, p *Packet) {
	h.judged++
	pkt := luabind.NewObject(L, packetType, &packet{Packet: *p, h: h})
	if err := L.CallByParam(lua.P{Fn: h.fn, NRet: 1, Protect: true}, pkt); err != nil {
		if h.rt.Interrupted() == nil {
			h.errs.report(errorText(err))
		}
		h.q.Accept(p.ID)
		return
	}
	ret := L.Get(-1)
	L.Pop(1)
	if h.closed {
		return // fn closed the hook: Close let the packet pass
	}
	if err := h.verdict(p, ret); err != nil {
		h.errs.report(err.Error())
	}
}

// verdict sends what the function returned for packet p.
func (h *hook) verdict(p *Packet, ret lua.LValue) error {
	id := p.ID
	switch v := ret.(type) {
	case *lua.LNilType:
		h.q.Accept(id)
	case lua.LString:
		switch {
		case v == "accept":
			h.q.Accept(id)
		case v == "drop":
			return h.q.Drop(id)
		case len(v) >= 20: // an IP header at least: new bytes
			if err := newBytesError(p.Data, string(v)); err != nil {
				h.q.Accept(id)
				return err
			}
			data := []byte(v)
			if h.fix != nil {
				data = h.fix.fix(data)
			}
			return h.q.AcceptModified(id, data)
		default:
			h.q.Accept(id)
			return fmt.Errorf("the function returned %q: want \"accept\", \"drop\" or the packet's new bytes", string(v))
		}
	default:
		h.q.Accept(id)
		return fmt.Errorf("the function returned a %s: want \"accept\", \"drop\" or the packet's new bytes", ret.Type())
	}
	return nil
}

// newBytesError says why b, new bytes for the packet queued as orig,
// cannot stand for it, or returns nil. More than 65,535 bytes are no IP
// packet and overflow the verdict's netlink attribute; bytes that are
// not an IP packet of the queued version the stack cannot deliver. The
// kernel dropped the packet for either, without a word.
func newBytesError(orig []byte, b string) error {
	if len(orig) == 0 {
		return nil // nothing to check against: the kernel judges
	}
	version := orig[0] >> 4
	rule := fmt.Sprintf("new bytes must be an IP packet of the queued packet's version (IPv%d here), 20 to 65,535 bytes long", version)
	switch {
	case len(b) > 0xffff:
		return fmt.Errorf("the function returned %d bytes: %s", len(b), rule)
	case !isIP(b, version):
		return fmt.Errorf("the function returned %d bytes that are not an IPv%d packet: %s", len(b), version, rule)
	}
	return nil
}

// isIP reports whether b starts with a header of IP version (4 or 6)
// that it holds whole.
func isIP(b string, version byte) bool {
	if len(b) == 0 || b[0]>>4 != version {
		return false
	}
	if version == 6 {
		return len(b) >= 40
	}
	ihl := int(b[0]&0x0f) * 4
	return ihl >= 20 && ihl <= len(b)
}

// errorText is a Lua error's message, without its traceback.
func errorText(err error) string {
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) {
		return apiErr.Object.String()
	}
	return err.Error()
}

// consumerError runs on the consumer goroutine: it hands the error to the
// loop from a goroutine of its own, as the loop may be busy or closing.
func (h *hook) consumerError(err error) {
	go h.rt.Loop.Post(func(*lua.LState) error {
		h.errs.report(err.Error())
		return nil
	})
}

// close deletes the rule, then closes the queue, which lets what is still
// queued pass. It is idempotent.
func (h *hook) close() error {
	if h.closed {
		return nil
	}
	h.closed = true
	var errs []error
	if h.rule != nil {
		errs = append(errs, h.rule.Delete())
	}
	errs = append(errs, h.q.Close())
	if h.release != nil {
		h.release()
	}
	h.errs.flush()
	return errors.Join(errs...)
}

// A packet is a queued packet as Lua sees it: its metadata, and its
// layers, which frame.parse decodes on first use.
type packet struct {
	Packet
	h      *hook
	parsed lua.LValue
}

func (p *packet) get(L *lua.LState, key string) lua.LValue {
	switch key {
	case "id":
		return lua.LNumber(p.ID)
	case "ifname":
		return lua.LString(p.h.q.Ifname(p.ifindex()))
	case "ifindex":
		return lua.LNumber(p.ifindex())
	case "mark":
		return lua.LNumber(p.Mark)
	case "hook":
		return lua.LString(p.h.match.HookName())
	case "bytes":
		return lua.LString(p.Data)
	}
	if p.parsed == nil {
		p.parsed = p.h.parseIP(L, p.Data)
	}
	return L.GetField(p.parsed, key)
}

// ifindex is the interface the packet came in by or, for packets made
// here, leaves by.
func (p *packet) ifindex() uint32 {
	if p.InDev != 0 {
		return p.InDev
	}
	return p.OutDev
}

// parseIP calls frame.parse(data, { first = "ip" }), loading frame once.
func (h *hook) parseIP(L *lua.LState, data []byte) lua.LValue {
	if h.parse == nil {
		L.Push(L.GetGlobal("require"))
		L.Push(lua.LString("frame"))
		L.Call(1, 1)
		h.parse = L.GetField(L.Get(-1), "parse")
		L.Pop(1)
		h.first = L.NewTable()
		h.first.RawSetString("first", lua.LString("ip"))
	}
	L.Push(h.parse)
	L.Push(lua.LString(data))
	L.Push(h.first)
	L.Call(2, 1)
	v := L.Get(-1)
	L.Pop(1)
	return v
}
