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

// The Lua type nfqueue.hook: its fields and methods, and the queueHook
// behind it, which calls the script's function for each packet.

func init() {
	hookType.Methods = []luabind.Func{
		{Name: "close", Sig: "hook:close()", Fn: hookClose,
			Doc: "removes the queue rule and lets every packet still queued pass; safe to call twice"},
	}
}

var hookType = &luabind.Type{
	Name: "nfqueue.hook",
	Doc:  "a queue and its rule; the loop stays alive while it is open",
	Fields: []luabind.Field{
		{Name: "queue", Type: "integer", Doc: "the queue number (nfnetlink_queue)"},
		{Name: "rule", Type: "string", Doc: "the rule that queues the packets, as nft writes it"},
		{Name: "packets", Type: "integer", Doc: "how many packets fn has judged"},
		{Name: "closed", Type: "boolean", Doc: "true once closed"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		h := v.(*queueHook)
		switch key {
		case "queue":
			return lua.LNumber(h.q.Num())
		case "rule":
			return lua.LString(h.rule.String())
		case "packets":
			return lua.LNumber(h.judged)
		case "closed":
			return lua.LBool(h.closed)
		}
		return lua.LNil
	},
}

// hookClose implements hook:close().
func hookClose(L *lua.LState) int {
	h := luabind.CheckObject[*queueHook](L, 1, hookType)
	err := h.close()
	h.undo.Run() // drops the ledger's entry: the hook is closed already
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "nfqueue.close", Object: fmt.Sprintf("queue %d", h.q.Num()), Err: err, Need: "CAP_NET_ADMIN"})
	}
	return 0
}

// A queueHook is what an nfqueue.hook stands for: its queue, its rule,
// and the Lua function that judges the packets. Everything but the poster
// goroutine runs on the Lua thread.
type queueHook struct {
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

func newHook(L *lua.LState, fn *lua.LFunction, m nftcore.Match, fix bool) *queueHook {
	h := &queueHook{rt: luabind.RuntimeOf(L), fn: fn, match: m, ran: make(chan struct{}, 1)}
	if fix {
		h.fix = newFixer()
	}
	h.errs = newErrorReport(h.rt.Stderr)
	return h
}

// start keeps the loop alive and starts the poster goroutine, which hands
// the loop one job at a time while packets wait.
func (h *queueHook) start() {
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
func (h *queueHook) run(L *lua.LState) error {
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
func (h *queueHook) judge(L *lua.LState, p *Packet) {
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
func (h *queueHook) verdict(p *Packet, ret lua.LValue) error {
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
func (h *queueHook) consumerError(err error) {
	go h.rt.Loop.Post(func(*lua.LState) error {
		h.errs.report(err.Error())
		return nil
	})
}

// close deletes the rule, then closes the queue, which lets what is still
// queued pass. It is idempotent.
func (h *queueHook) close() error {
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
