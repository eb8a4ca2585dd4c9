package nftcore

import (
	"fmt"

	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

// An Action is what a rule does with the packets it matches, after
// counting them.
type Action struct {
	Verb  string // "drop", "accept", "reject", "count" or "queue"
	Queue uint16 // the queue number, for "queue"
}

// The actions of nft.drop, nft.accept, nft.reject and nft.count.
var (
	Drop   = Action{Verb: "drop"}
	Accept = Action{Verb: "accept"}
	Reject = Action{Verb: "reject"}
	Count  = Action{Verb: "count"}
)

// QueueTo sends the packets to the userspace queue num (nfnetlink_queue),
// or lets them pass while nothing listens there.
func QueueTo(num uint16) Action { return Action{Verb: "queue", Queue: num} }

// exprs are the action's expressions for a rule of match m. A queue uses
// the native expression when native is true, the xt target otherwise.
func (a Action) exprs(m *Match, native bool) []expr.Any {
	switch a.Verb {
	case "drop":
		return []expr.Any{&expr.Verdict{Kind: expr.VerdictDrop}}
	case "accept":
		return []expr.Any{&expr.Verdict{Kind: expr.VerdictAccept}}
	case "reject":
		return []expr.Any{rejectExpr(m)}
	case "queue":
		if native {
			return []expr.Any{queueExpr(a.Queue)}
		}
		return []expr.Any{queueTarget(a.Queue)}
	}
	return nil
}

// rejectExpr rejects as nft does: a TCP reset for TCP, else port
// unreachable in ICMP for IPv4, ICMPv6 for IPv6, or ICMPx (either) when
// the rule matches both.
func rejectExpr(m *Match) expr.Any {
	const portUnreach, port6Unreach = 3, 4 // ICMP_PORT_UNREACH, ICMPV6_PORT_UNREACH
	switch {
	case m.Proto == unix.IPPROTO_TCP:
		return &expr.Reject{Type: unix.NFT_REJECT_TCP_RST}
	case m.family() == 4:
		return &expr.Reject{Type: unix.NFT_REJECT_ICMP_UNREACH, Code: portUnreach}
	case m.family() == 6:
		return &expr.Reject{Type: unix.NFT_REJECT_ICMP_UNREACH, Code: port6Unreach}
	}
	return &expr.Reject{Type: unix.NFT_REJECT_ICMPX_UNREACH, Code: unix.NFT_REJECT_ICMPX_PORT_UNREACH}
}

// text is the action as nft writes it.
func (a Action) text(m *Match) string {
	switch a.Verb {
	case "count":
		return ""
	case "queue":
		return fmt.Sprintf("queue num %d bypass", a.Queue)
	case "reject":
		if m.Proto == unix.IPPROTO_TCP {
			return "reject with tcp reset"
		}
	}
	return a.Verb
}

// Check refuses an action that cannot work with the match.
func (a Action) Check(m *Match) error {
	if a.Verb == "reject" {
		switch m.HookName() {
		case "input", "forward", "output":
		default:
			return &OptionError{"hook", fmt.Sprintf("'%s' cannot reject: reject works in input, forward and output", m.HookName())}
		}
	}
	return nil
}
