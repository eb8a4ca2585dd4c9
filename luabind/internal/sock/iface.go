package sock

import (
	"errors"
	"net"
	"strings"

	"github.com/netlua/netlua/luabind/internal/netns"
)

// Lookup finds the interface called name in the namespace of the calling
// thread; run it inside InNS to look in another namespace.
func Lookup(name string) (*net.Interface, error) {
	if name == "" {
		return nil, errors.New("empty interface name")
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil && isNoSuchInterface(err) {
		return nil, &netns.NoInterfaceError{Name: name, Have: Names()}
	}
	return ifi, err
}

// isNoSuchInterface tells a missing interface from a failing netlink query.
func isNoSuchInterface(err error) bool {
	return strings.Contains(err.Error(), "no such network interface")
}

// Names lists the interfaces of the calling thread's namespace.
func Names() []string {
	ifs, err := net.Interfaces()
	if err != nil {
		return []string{"?"}
	}
	names := make([]string, len(ifs))
	for i, ifi := range ifs {
		names[i] = ifi.Name
	}
	return names
}

// InNS runs fn inside ns, or on the calling goroutine when ns is nil (the
// current namespace). Sockets made by fn belong to ns for good.
func InNS(ns *netns.NS, fn func() error) error {
	if ns == nil {
		return fn()
	}
	return ns.Do(fn)
}
