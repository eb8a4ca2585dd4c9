package lab

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// shapeTable is the name of the hosts' shaping tables, "inet netlua_shape",
// apart from the nft module's "inet netlua" in the same namespace.
const shapeTable = "netlua_shape"

// nftTable is the host's own nft table for shaping, made on first use: an
// owned table in the host's namespace, gone with its socket (the host's
// close) or with the namespace, however netlua ends.
func (h *Host) nftTable() (*nftcore.Table, error) {
	if h.nft != nil {
		return h.nft, nil
	}
	c, err := nftcore.Dial(h.ns)
	if err != nil {
		return nil, err
	}
	h.nft = nftcore.NewTable(c, false)
	h.nft.Base = shapeTable
	h.track("lab shaping table of "+h.name, h.nft.Close)
	return h.nft, nil
}

// egressHook is where the fallback catches the IP packets the end sends:
// the postrouting hook of its host, by its interface, which sees what
// the host sends and what it forwards. A switch's port bridges frames,
// which no IP hook of the switch sees (and this kernel's nftables queue
// no bridged frames), so its egress is caught as it comes in to the one
// host behind it, by that host's prerouting hook. The catch there: the
// kernel timestamps a frame as it arrives, before the delay, so a
// program of that host reading receive timestamps (ping, unless -U)
// does not count the delay of that direction.
//
// The egress side is preferred even though its delay comes before the
// end's tbf (netem's comes after): catching packets at the peer's
// ingress would hide the delay from the peer's timestamps in the same
// way.
func (e *End) egressHook() (*Host, nftcore.Match, error) {
	switch {
	case e.Addr.IsValid():
		return e.Host, nftcore.Match{Hook: "postrouting", Oface: e.Ifname}, nil
	case e.Peer != nil && e.Peer.Addr.IsValid():
		return e.Peer.Host, nftcore.Match{Hook: "prerouting", Iface: e.Peer.Ifname}, nil
	}
	return nil, nftcore.Match{}, errors.New("without netem netlua shapes IP packets at a host, and neither end of this link has an address")
}

// nftLoss drops percent of the IP packets m matches, at random, and
// returns how to delete the rule.
func (h *Host) nftLoss(m nftcore.Match, percent float64) (func() error, error) {
	m.Chance = uint32(math.Round(percent / 100 * nftcore.ChanceScale))
	if m.Chance == 0 {
		return func() error { return nil }, nil
	}
	return h.nftRule(m, nftcore.Drop)
}

// nftDelay holds the IP packets m matches in an NFQUEUE of the host for
// delay ± jitter; it returns the queue and how to delete its rule.
func (h *Host) nftDelay(m nftcore.Match, delay, jitter time.Duration, limit int) (*delayQueue, func() error, error) {
	d, err := openDelayQueue(h, delay, jitter, limit)
	if err != nil {
		return nil, nil, err
	}
	del, err := h.nftRule(m, nftcore.QueueTo(d.q.Num()))
	if err != nil {
		return nil, nil, errors.Join(err, d.Close())
	}
	return d, del, nil
}

// nftRule adds a rule to the host's shaping table.
func (h *Host) nftRule(m nftcore.Match, a nftcore.Action) (func() error, error) {
	t, err := h.nftTable()
	if err != nil {
		return nil, err
	}
	r, err := t.Add(m, a)
	if err != nil {
		return nil, fmt.Errorf("nft rule %s: %w", m.String(), err)
	}
	return r.Delete, nil
}
