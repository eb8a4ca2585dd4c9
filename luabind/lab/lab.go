package lab

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/netlua/netlua/luabind/internal/caps"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/ledger"
)

// Config says how a Lab makes its hosts.
type Config struct {
	// Ledger records the undo of every namespace and name the lab makes,
	// as soon as it exists. A nil Ledger gets a private one.
	Ledger *ledger.Ledger
	// Subnets hands out link addresses; the labs of one runtime share it.
	// A nil Subnets gets a private one.
	Subnets *Subnets
	// Pin also names each host under /run/netns as PinPrefix+name.
	Pin       bool
	PinPrefix string
	// NoIPv6 leaves out the IPv6 addresses of link ends.
	NoIPv6 bool
	// Private gives each host private directories: its own /etc/hosts
	// (the lab's names), /etc/resolv.conf, /run, /var/lib/misc and
	// /var/log, as its commands see them (see Host.Dir).
	Private bool
}

// A Lab is a set of hosts made together, torn down together.
type Lab struct {
	cfg     Config
	hosts   []*Host
	subnets []netip.Prefix // of its links, given back by Close
	closed  bool
	ports   int // switch-to-switch ports made, for their MACs
}

// New makes an empty lab. It creates nothing in the kernel yet.
func New(cfg Config) *Lab {
	if cfg.Ledger == nil {
		cfg.Ledger = &ledger.Ledger{}
	}
	if cfg.Subnets == nil {
		cfg.Subnets = &Subnets{}
	}
	return &Lab{cfg: cfg}
}

// Pinned reports whether the lab names its hosts under /run/netns.
func (l *Lab) Pinned() bool { return l.cfg.Pin }

// Hosts returns the lab's hosts in the order they were made.
func (l *Lab) Hosts() []*Host { return append([]*Host(nil), l.hosts...) }

// Named returns the lab's host called name, or nil.
func (l *Lab) Named(name string) *Host {
	for _, h := range l.hosts {
		if h.name == name {
			return h
		}
	}
	return nil
}

// validName reports whether name may name a host: 1 to 32 letters,
// digits and "_.-", short and safe in a path.
func validName(name string) bool {
	if len(name) < 1 || len(name) > 32 {
		return false
	}
	for _, c := range []byte(name) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// Host makes a host: a new anonymous network namespace with lo up, pinned
// under /run/netns if the lab is. An empty name means h1, h2, ...
func (l *Lab) Host(name string) (*Host, error) {
	if name == "" {
		name = fmt.Sprintf("h%d", len(l.hosts)+1)
	}
	if err := l.checkNewHost(name); err != nil {
		return nil, err
	}
	h, err := l.makeHost(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l.hosts = append(l.hosts, h)
	return h, nil
}

// checkNewHost refuses a host the lab cannot make.
func (l *Lab) checkNewHost(name string) error {
	if l.closed {
		return errors.New("the lab is closed")
	}
	if !validName(name) || name == "." || name == ".." {
		return fmt.Errorf("%q is not a host name (up to 32 letters, digits, '_', '.', '-')", name)
	}
	for _, h := range l.hosts {
		if h.name == name {
			return fmt.Errorf("%s: the lab has a host of that name", name)
		}
	}
	return nil
}

// makeHost creates the namespace, registers its undo, and sets it up. On
// failure it undoes what it made.
func (l *Lab) makeHost(name string) (*Host, error) {
	ns, err := netns.New()
	if err != nil {
		return nil, err
	}
	h := &Host{name: name, ns: ns, ledger: l.cfg.Ledger}
	h.track("lab host "+name, ns.Close)
	err = setLinkUp(ns, "lo")
	if err == nil && !l.cfg.NoIPv6 {
		err = h.noDAD()
	}
	if err == nil && l.cfg.Pin {
		err = h.pin(l.cfg.PinPrefix + name)
	}
	if err == nil && l.cfg.Private {
		err = l.makePrivate(h)
	}
	if err != nil {
		return nil, errors.Join(err, h.close())
	}
	return h, nil
}

// Pair makes hosts a and b and links them, as lab.pair does: a gets .1
// and b .2 of a fresh /24. On failure the caller closes the lab.
func (l *Lab) Pair() (*End, *End, error) {
	a, err := l.Host("a")
	if err != nil {
		return nil, nil, err
	}
	b, err := l.Host("b")
	if err != nil {
		return nil, nil, err
	}
	return l.Link(a, b)
}

// Close tears the lab down now: it ends the processes its hosts run,
// unpins and closes the hosts, which makes their namespaces and veths
// vanish, and gives its subnets back for other labs' links. It is
// idempotent.
func (l *Lab) Close() error {
	l.closed = true
	var errs []error
	for i := len(l.hosts) - 1; i >= 0; i-- {
		errs = append(errs, l.hosts[i].close())
	}
	for _, p := range l.subnets {
		l.cfg.Subnets.Release(p)
	}
	l.subnets = nil
	return errors.Join(errs...)
}

// CheckPrivilege reports, before anything is made, whether this process
// may make network namespaces: an error that names CAP_SYS_ADMIN and
// matches os.ErrPermission if not.
func CheckPrivilege() error { return caps.Check(caps.SysAdmin, "network namespaces") }
