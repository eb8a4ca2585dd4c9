package sockbind

import (
	"context"
	"errors"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/conv"
)

// The Lua side of the sr family (packet's srp and srp1, rawip's sr and
// sr1), shared by both modules: options, the run, and the results.

// SROptions are the options every sr call takes; a module adds its own
// (filter, netns) after them.
var SROptions = []string{"timeout", "retry", "inter", "multi"}

// maxRetry bounds retry, so that a typo cannot resend for hours.
const maxRetry = 1000

// CheckSR reads the options of an sr call from o: timeout (default 1 s),
// retry, inter and multi, as Scapy's.
func CheckSR(o luabind.Options) conv.Options {
	secs := func(name string, def float64) time.Duration {
		s := o.Number(name, def)
		if math.IsNaN(s) || s < 0 || s > 86400 {
			o.Error(name, "must be 0 to 86400 seconds")
		}
		return time.Duration(s * float64(time.Second))
	}
	retry := o.Int("retry", 0)
	if retry < -maxRetry || retry > maxRetry {
		o.Error("retry", "must be -1000 to 1000")
	}
	return conv.Options{Timeout: secs("timeout", 1), Inter: secs("inter", 0), Retry: retry, Multi: o.Bool("multi", false)}
}

// RunSR runs the conversation of the sr call (a method name: "srp") on
// the socket of h, and returns what it got. ^C ends it: in a script with
// the interrupt, at the prompt with what it got so far. Other failures
// raise the call's error.
func RunSR(L *lua.LState, h *Handle, call string, reqs *frame.Requests, send conv.Sender, recv []conv.Receiver, opt conv.Options) conv.Result {
	h.CheckNoCallback(L, call)
	rt := luabind.RuntimeOf(L)
	data := func(i int) []byte { return reqs.Frames[i] }
	res, err := conv.Run(rt.Context(), len(reqs.Frames), data, send, recv, reqs, opt)
	if err != nil && rt.Interrupted() != nil && errors.Is(err, context.Cause(rt.Context())) {
		if rt.TakeInterrupt(L) {
			return res // at the prompt: r = s:srp(...) gets what came
		}
	}
	if err != nil {
		h.Raise(L, call, err)
	}
	return res
}

// PushAnswers pushes ans, the list of { sent, recv, rtt }, and unans,
// the list of the requests with no answer, packets as frame.parse gives
// them.
func PushAnswers(L *lua.LState, reqs *frame.Requests, res conv.Result) int {
	ans := L.CreateTable(len(res.Answers), 0)
	for _, a := range res.Answers {
		t := L.CreateTable(0, 3)
		t.RawSetString("sent", reqs.Sent(L, a.Request))
		t.RawSetString("recv", reqs.Packet(L, a.Reply))
		t.RawSetString("rtt", lua.LNumber(a.RTT.Seconds()))
		ans.Append(t)
	}
	unans := L.CreateTable(len(res.Unanswered), 0)
	for _, i := range res.Unanswered {
		unans.Append(reqs.Sent(L, i))
	}
	L.Push(ans)
	L.Push(unans)
	return 2
}

// PushFirst pushes the first answer's reply and its rtt, or nil.
func PushFirst(L *lua.LState, reqs *frame.Requests, res conv.Result) int {
	if len(res.Answers) == 0 {
		L.Push(lua.LNil)
		return 1
	}
	a := res.Answers[0]
	L.Push(reqs.Packet(L, a.Reply))
	L.Push(lua.LNumber(a.RTT.Seconds()))
	return 2
}

// SRDoc is the part of the sr functions' doc on their options and
// results.
const SRDoc = "opts: timeout (seconds to wait after the last send, default 1), retry (resend the unanswered n more times; negative: " +
	"until -n rounds in a row bring nothing new), inter (seconds between sends), multi (take every answer, not only the first); " +
	"matching as frame.answers (Scapy's hashret and answers), define's answers rules included; the receive side is open before the first send"

// SRTypes are the doc types of an sr function: first says it is sr1 or
// srp1 (-> p, rtt), opts is the type of its options.
func SRTypes(first bool, opts string) luabind.Types {
	t := luabind.Types{"frames": "string|frame.packet|frame.layer|table", "opts": opts}
	if first {
		t["p"], t["rtt"] = "frame.packet", "number"
	} else {
		t["ans"], t["unans"] = "{ sent: frame.packet, recv: frame.packet, rtt: number }[]", "frame.packet[]"
	}
	return t
}

// SROptsType is the type of the options every sr call takes, and of
// more, which a module adds ("filter?: string").
func SROptsType(more string) string {
	return "{ timeout?: number, retry?: integer, inter?: number, multi?: boolean" + more + " }"
}
