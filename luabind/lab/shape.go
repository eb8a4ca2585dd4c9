package lab

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tc "github.com/florianl/go-tc"
	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// A Shape is what a link end does to the frames it sends, as netem and
// tbf would: the zero Shape sends them untouched.
type Shape struct {
	Delay, Jitter time.Duration // added to each frame: Delay ± Jitter, uniform
	Loss          float64       // percent of frames dropped
	Duplicate     float64       // percent of frames sent twice (netem only)
	Reorder       float64       // percent of frames sent at once, ahead of delayed ones (netem only)
	Corrupt       float64       // percent of frames with one bit flipped (netem only)
	Rate          uint64        // bits per second; 0 is the link's own speed
	Queue         int           // packets waiting at most, for the rate (and netem); 0 is 1000
}

// defaultQueue is the queue of a shaped end when Shape.Queue is 0: what
// netem and the kernel's txqueuelen take.
const defaultQueue = 1000

// String describes s as tc would list it: "delay 10ms ±2ms, loss 1.5%,
// rate 10Mbit/s, queue 100"; "" for the zero Shape.
func (s Shape) String() string {
	var parts []string
	if s.Delay != 0 || s.Jitter != 0 {
		d := "delay " + s.Delay.String()
		if s.Jitter != 0 {
			d += " ±" + s.Jitter.String()
		}
		parts = append(parts, d)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", s.Loss}, {"duplicate", s.Duplicate}, {"reorder", s.Reorder}, {"corrupt", s.Corrupt}} {
		if p.v != 0 {
			parts = append(parts, fmt.Sprintf("%s %g%%", p.name, p.v))
		}
	}
	if s.Rate != 0 {
		parts = append(parts, fmt.Sprintf("rate %gMbit/s", float64(s.Rate)/1e6))
	}
	if s.Queue != 0 {
		parts = append(parts, fmt.Sprintf("queue %d", s.Queue))
	}
	return strings.Join(parts, ", ")
}

// IsZero reports whether s leaves frames alone.
func (s Shape) IsZero() bool { return s == Shape{} }

// netemOnly says whether s needs netem, which the fallback cannot
// emulate: duplicate, reorder and corrupt.
func (s Shape) netemOnly() string {
	switch {
	case s.Duplicate > 0:
		return "duplicate"
	case s.Reorder > 0:
		return "reorder"
	case s.Corrupt > 0:
		return "corrupt"
	}
	return ""
}

// Check refuses a shape no mechanism can give.
func (s Shape) Check() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", s.Loss}, {"duplicate", s.Duplicate}, {"reorder", s.Reorder}, {"corrupt", s.Corrupt}} {
		if p.v < 0 || p.v > 100 {
			return fmt.Errorf("%s is a percentage from 0 to 100, got %g", p.name, p.v)
		}
	}
	switch {
	case s.Delay < 0 || s.Jitter < 0:
		return errors.New("delay and jitter cannot be negative")
	case s.Jitter > s.Delay:
		return fmt.Errorf("jitter %v is more than the delay %v", s.Jitter, s.Delay)
	case s.Delay > time.Minute:
		return fmt.Errorf("delay %v is more than a minute", s.Delay)
	case s.Queue < 0:
		return fmt.Errorf("queue is a number of packets, got %d", s.Queue)
	case s.Rate != 0 && s.Rate < 8000:
		return fmt.Errorf("rate %d bit/s is below 8kbit", s.Rate)
	}
	return nil
}

// Mechanisms says which kernel (or netlua) mechanism gives each part of
// a shape: "netem", "nft", "nfqueue", "tbf"; "" for a part not asked for.
type Mechanisms struct {
	Delay, Loss, Rate, Duplicate, Reorder, Corrupt string
}

// A Link is the veth pair between two ends, which it can bring down and
// up and shape in both directions.
type Link struct {
	A, B *End
}

// Link is the link the end belongs to.
func (e *End) Link() *Link { return e.link }

// Shape gives both ends the shape s (each its own egress), as Mininet's
// TCLink does: a delay of 10ms adds 20 ms to a round trip. If B cannot
// have it, A is left unshaped too.
func (k *Link) Shape(s Shape) (Mechanisms, error) {
	m, err := k.A.Shape(s)
	if err != nil {
		return m, err
	}
	if m, err = k.B.Shape(s); err != nil {
		_, undo := k.A.Shape(Shape{})
		return m, errors.Join(err, undo)
	}
	return m, nil
}

// SetUp sets both ends up (or down, with false), as ip link set does.
func (k *Link) SetUp(up bool) error {
	for _, e := range []*End{k.A, k.B} {
		if err := e.setUp(up); err != nil {
			return fmt.Errorf("%s %s: %w", e.Host.name, e.Ifname, err)
		}
	}
	return nil
}

// setUp sets the end's interface up or down.
func (e *End) setUp(up bool) error {
	return onLink(e.Host.ns, e.Ifname, func(c *netlink.Conn, index uint32) error {
		var flags uint32
		if up {
			flags = unix.IFF_UP
		}
		return rtnl.SetLink(c, &rtnetlink.LinkMessage{Index: index, Flags: flags, Change: unix.IFF_UP})
	})
}

// A shaper holds what shapes one end: its qdiscs on the veth, its rules
// in the host's nft table, its delay queue. Its methods are serialized.
type shaper struct {
	mu    sync.Mutex
	shape Shape
	mech  Mechanisms
	root  *tc.Object     // the end's root qdisc as added, nil if none
	rules []func() error // deletes the end's nft rules
	delay *delayQueue
}

// Shape gives the end's egress the shape s, replacing the one it had: the
// zero Shape removes it. It uses netem where the kernel has it; otherwise
// loss becomes an nft rule, delay and jitter an NFQUEUE whose verdicts
// netlua gives on time, and duplicate, reorder and corrupt are refused.
// Rate is a tbf qdisc, under netem when there is one.
func (e *End) Shape(s Shape) (Mechanisms, error) {
	if err := s.Check(); err != nil {
		return Mechanisms{}, err
	}
	sh := e.shaperOf()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := e.unshape(sh); err != nil {
		return Mechanisms{}, err
	}
	m, err := e.applyShape(sh, s)
	if err != nil {
		return m, errors.Join(fmt.Errorf("%s %s: %w", e.Host.name, e.Ifname, err), e.unshape(sh))
	}
	sh.shape, sh.mech = s, m
	return m, nil
}

// Shaping is the end's shape and the mechanisms that give it.
func (e *End) Shaping() (Shape, Mechanisms) {
	sh := e.shaperOf()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.shape, sh.mech
}

// shaperOf is the end's shaper, made on first use (by the one goroutine
// that builds the lab).
func (e *End) shaperOf() *shaper {
	if e.shaper == nil {
		e.shaper = &shaper{}
	}
	return e.shaper
}

// applyShape puts s in place on an end with no shape.
func (e *End) applyShape(sh *shaper, s Shape) (Mechanisms, error) {
	var m Mechanisms
	if s.IsZero() {
		return m, nil
	}
	netem, err := e.addNetem(sh, s)
	if err != nil {
		return m, err
	}
	if netem {
		m = netemMechanisms(s)
	} else if m, err = e.emulate(sh, s); err != nil {
		return m, err
	}
	if s.Rate != 0 {
		if err := e.addTbf(sh, s); err != nil {
			return m, err
		}
		m.Rate = "tbf"
	}
	return m, nil
}

// netemMechanisms says netem for every part of s that netem gives.
func netemMechanisms(s Shape) Mechanisms {
	var m Mechanisms
	mark := func(on bool, field *string) {
		if on {
			*field = "netem"
		}
	}
	mark(s.Delay > 0, &m.Delay)
	mark(s.Loss > 0, &m.Loss)
	mark(s.Duplicate > 0, &m.Duplicate)
	mark(s.Reorder > 0, &m.Reorder)
	mark(s.Corrupt > 0, &m.Corrupt)
	return m
}

// emulate gives loss and delay without netem: loss by an nft rule that
// drops a random share of the end's packets, delay by holding them in an
// NFQUEUE (delay.go); both where egressHook catches them.
func (e *End) emulate(sh *shaper, s Shape) (Mechanisms, error) {
	var m Mechanisms
	if part := s.netemOnly(); part != "" {
		return m, fmt.Errorf("%s needs the kernel's netem qdisc (CONFIG_NET_SCH_NETEM), which this kernel lacks; "+
			"without it netlua emulates delay, jitter, loss and rate only", part)
	}
	if s.Loss == 0 && s.Delay == 0 {
		return m, nil
	}
	h, hook, err := e.egressHook()
	if err != nil {
		return m, err
	}
	if s.Loss > 0 {
		del, err := h.nftLoss(hook, s.Loss)
		if err != nil {
			return m, fmt.Errorf("loss: %w", err)
		}
		sh.rules = append(sh.rules, del)
		m.Loss = "nft"
	}
	if s.Delay > 0 {
		d, del, err := h.nftDelay(hook, s.Delay, s.Jitter, queueOf(s))
		if err != nil {
			return m, fmt.Errorf("delay: %w", err)
		}
		sh.delay = d
		h.track("lab delay queue of "+e.Host.name+" "+e.Ifname, d.Close)
		sh.rules = append(sh.rules, del)
		m.Delay = "nfqueue"
	}
	return m, nil
}

// queueOf is the queue limit of s in packets.
func queueOf(s Shape) int {
	if s.Queue == 0 {
		return defaultQueue
	}
	return s.Queue
}

// unshape removes whatever shapes the end: its root qdisc, its nft rules
// and its delay queue.
func (e *End) unshape(sh *shaper) error {
	errs := []error{e.delRootQdisc(sh)}
	for _, del := range sh.rules {
		errs = append(errs, del())
	}
	sh.rules = nil
	if sh.delay != nil {
		errs = append(errs, sh.delay.Close())
		sh.delay = nil
	}
	sh.shape, sh.mech = Shape{}, Mechanisms{}
	return errors.Join(errs...)
}
