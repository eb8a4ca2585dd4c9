package lab

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/netlua/netlua/luabind/internal/nftcore"
)

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
	h.track("lab shaping table of "+h.name, h.nft.Close)
	return h.nft, nil
}

// nftLoss drops percent of the IP packets leaving by ifname, at random,
// and returns how to delete the rule. It hooks postrouting, which sees
// what the host sends and what it forwards.
func (h *Host) nftLoss(ifname string, percent float64) (func() error, error) {
	share := uint32(math.Round(percent / 100 * nftcore.ChanceScale))
	if share == 0 {
		return func() error { return nil }, nil
	}
	return h.nftRule(nftcore.Match{Hook: "postrouting", Oface: ifname, Chance: share}, nftcore.Drop)
}

// nftDelay holds the IP packets leaving by ifname in an NFQUEUE of the
// host for delay ± jitter; it returns the queue and how to delete its
// rule.
func (h *Host) nftDelay(ifname string, delay, jitter time.Duration, limit int) (*delayQueue, func() error, error) {
	d, err := openDelayQueue(h, delay, jitter, limit)
	if err != nil {
		return nil, nil, err
	}
	del, err := h.nftRule(nftcore.Match{Hook: "postrouting", Oface: ifname}, nftcore.QueueTo(d.q.Num()))
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
