package lab

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/nftcore"
	"github.com/netlua/netlua/luabind/lab/internal/pidns"
	"github.com/netlua/netlua/luabind/ledger"
)

// A Host is one network namespace of a lab.
type Host struct {
	name   string
	pinned string // name under /run/netns, "" if not pinned
	ns     *netns.NS
	// starting serializes Start: its first call makes procs, and each
	// writes the private /etc/hosts, and Go callers start commands from
	// several goroutines at once.
	starting sync.Mutex
	procs    *pidns.NS // the PID namespace of its commands, nil before the first
	ends     []*End
	sw       *Switch        // the bridge of a switch host, nil on others
	router   bool           // forwards IPv4 and IPv6; Route sends traffic through it
	nft      *nftcore.Table // the table of its shaped ends' rules, nil before the first
	ledger   *ledger.Ledger
	undos    []*ledger.Undo
	// private is the host's private directories (Config.Private), or nil;
	// lab is its lab, whose hosts its /etc/hosts names.
	private *privateTree
	lab     *Lab
}

// Name is the host's name in its lab: "a", "r1".
func (h *Host) Name() string { return h.name }

// NetNS returns the host's namespace; it implements netns.Holder.
func (h *Host) NetNS() *netns.NS { return h.ns }

// Pinned is the host's name under /run/netns ("netlua-4242-a"), or "".
func (h *Host) Pinned() string { return h.pinned }

// Ends returns the host's link ends, in link order (veth0, veth1, ...).
func (h *Host) Ends() []*End { return append([]*End(nil), h.ends...) }

// String describes the host: lab host r1 (net:[4026532301]).
func (h *Host) String() string { return fmt.Sprintf("lab host %s (%s)", h.name, h.ns) }

// track registers undo in the ledger and remembers its entry, so close
// can run it early.
func (h *Host) track(what string, undo func() error) {
	h.undos = append(h.undos, h.ledger.Add(what, undo))
}

// close runs the host's undo entries, newest first. It is idempotent.
func (h *Host) close() error {
	var errs []error
	for i := len(h.undos) - 1; i >= 0; i-- {
		errs = append(errs, h.undos[i].Run())
	}
	return errors.Join(errs...)
}

// pin names the namespace base under /run/netns, or base-2, base-3, ...
// when that name is taken (another lab of this process pinned it). The
// search ends: /run/netns holds finitely many names.
func (h *Host) pin(base string) error {
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		path, err := h.ns.Pin(name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		h.pinned = filepath.Base(path)
		h.track("lab pin "+path, h.ns.Unpin)
		return nil
	}
}
