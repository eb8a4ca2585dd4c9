package lab

import (
	"errors"
	"fmt"
	"math"

	tc "github.com/florianl/go-tc"
	"github.com/florianl/go-tc/core"
	"golang.org/x/sys/unix"
)

// The handles of a shaped end's qdiscs: netem at the root (1:) with tbf
// as its child (2:), as Mininet stacks them; tbf alone sits at the root.
var (
	netemHandle = core.BuildHandle(1, 0)
	tbfHandle   = core.BuildHandle(2, 0)
)

// frameBytes is the size of a full Ethernet frame on a lab link (MTU
// 1500 and the header), what tbf's byte limit counts a queued packet as.
const frameBytes = 1514

// withTc opens a traffic-control netlink socket in the end's namespace.
func (e *End) withTc(fn func(t *tc.Tc) error) error {
	fd, err := e.Host.ns.NetlinkFD()
	if err != nil {
		return err
	}
	t, err := tc.Open(&tc.Config{NetNS: fd})
	if err != nil {
		return fmt.Errorf("rtnetlink: %w", err)
	}
	defer t.Close()
	return fn(t)
}

// addNetem puts a netem qdisc for s at the root of the end's veth, and
// reports false, adding nothing, when the kernel has no netem (its
// answer for an unknown qdisc kind is ENOENT) or s needs no netem.
func (e *End) addNetem(sh *shaper, s Shape) (bool, error) {
	if s.Delay == 0 && s.Loss == 0 && s.netemOnly() == "" {
		return false, nil
	}
	q := e.qdisc(netemHandle, tc.HandleRoot, tc.Attribute{Kind: "netem", Netem: netemOf(s)})
	err := e.withTc(func(t *tc.Tc) error { return t.Qdisc().Add(q) })
	switch {
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.EOPNOTSUPP):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("netem qdisc: %w", err)
	}
	sh.root = q
	return true, nil
}

// netemOf is s in netem's terms: times in nanoseconds (the 64-bit
// attributes, which override the ticks of the old struct), chances as a
// fraction of 2^32.
func netemOf(s Shape) *tc.Netem {
	latency, jitter := int64(s.Delay), int64(s.Jitter)
	n := &tc.Netem{
		Qopt: tc.NetemQopt{
			Limit:     uint32(queueOf(s)),
			Loss:      chance(s.Loss),
			Duplicate: chance(s.Duplicate),
		},
		Latency64: &latency,
		Jitter64:  &jitter,
	}
	if s.Reorder > 0 {
		// tc's default gap: without one netem never reorders.
		n.Qopt.Gap = 1
		n.Reorder = &tc.NetemReorder{Probability: chance(s.Reorder)}
	}
	if s.Corrupt > 0 {
		n.Corrupt = &tc.NetemCorrupt{Probability: chance(s.Corrupt)}
	}
	return n
}

// chance is a percentage as netem's probabilities: a fraction of 2^32-1.
func chance(percent float64) uint32 {
	return uint32(math.Round(percent / 100 * math.MaxUint32))
}

// addTbf puts a token bucket for s.Rate on the end's veth: under netem
// when there is one, else at the root. The bucket holds 2 ms of the rate
// (at least 16 KiB, so a burst of full frames passes); the queue behind
// it holds s.Queue full frames.
func (e *End) addTbf(sh *shaper, s Shape) error {
	bytesPerSec := s.Rate / 8
	burst := uint32(max(16<<10, bytesPerSec/500))
	parent := uint32(tc.HandleRoot)
	if sh.root != nil {
		parent = core.BuildHandle(1, 1)
	}
	tbf := &tc.Tbf{
		Parms: &tc.TbfQopt{
			Rate:  tc.RateSpec{Rate: uint32(bytesPerSec), Linklayer: unix.ARPHRD_ETHER},
			Limit: uint32(queueOf(s) * frameBytes),
		},
		Burst: &burst,
	}
	// go-tc builds tbf's rate table with the kernel's clock parameters
	// (/proc/net/psched), which it reads into its package state here.
	if err := core.InitializeClock(); err != nil {
		return fmt.Errorf("tbf qdisc: %w", err)
	}
	q := e.qdisc(tbfHandle, parent, tc.Attribute{Kind: "tbf", Tbf: tbf})
	if err := e.withTc(func(t *tc.Tc) error { return t.Qdisc().Add(q) }); err != nil {
		return fmt.Errorf("tbf qdisc: %w", err)
	}
	if sh.root == nil {
		sh.root = q
	}
	return nil
}

// delRootQdisc removes the root qdisc shaping the end, with its child
// (go-tc needs it as it was added: the kernel checks the kind). An end
// whose qdisc is gone already (its namespace closing) is fine.
func (e *End) delRootQdisc(sh *shaper) error {
	if sh.root == nil {
		return nil
	}
	err := e.withTc(func(t *tc.Tc) error { return t.Qdisc().Delete(sh.root) })
	sh.root = nil
	if err != nil && !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.ENODEV) {
		return fmt.Errorf("delete qdisc: %w", err)
	}
	return nil
}

// qdisc is a qdisc message for the end's veth.
func (e *End) qdisc(handle, parent uint32, a tc.Attribute) *tc.Object {
	return &tc.Object{
		Msg:       tc.Msg{Family: unix.AF_UNSPEC, Ifindex: uint32(e.Ifindex), Handle: handle, Parent: parent},
		Attribute: a,
	}
}
