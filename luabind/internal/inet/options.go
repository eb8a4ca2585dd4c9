package inet

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// A Kind is how an option's value reads: a flag, a number, a name or a
// linger setting.
type Kind int

// The kinds of options.
const (
	Bool Kind = iota
	Int
	String
	Linger
)

// An Option is a socket option scripts name: "TCP_NODELAY".
type Option struct {
	Name  string
	Level int
	Opt   int
	Kind  Kind
}

// options are the socket options by name. IP_ options apply to IPv4 (and
// the IPv4-mapped traffic of an IPv6 socket), IPV6_ options to IPv6.
var options = map[string]Option{}

func init() {
	for _, o := range []Option{
		{"SO_RCVBUF", unix.SOL_SOCKET, unix.SO_RCVBUF, Int},
		{"SO_SNDBUF", unix.SOL_SOCKET, unix.SO_SNDBUF, Int},
		{"SO_RCVLOWAT", unix.SOL_SOCKET, unix.SO_RCVLOWAT, Int},
		{"SO_LINGER", unix.SOL_SOCKET, unix.SO_LINGER, Linger},
		{"SO_REUSEADDR", unix.SOL_SOCKET, unix.SO_REUSEADDR, Bool},
		{"SO_REUSEPORT", unix.SOL_SOCKET, unix.SO_REUSEPORT, Bool},
		{"SO_KEEPALIVE", unix.SOL_SOCKET, unix.SO_KEEPALIVE, Bool},
		{"SO_BROADCAST", unix.SOL_SOCKET, unix.SO_BROADCAST, Bool},
		{"SO_OOBINLINE", unix.SOL_SOCKET, unix.SO_OOBINLINE, Bool},
		{"SO_DONTROUTE", unix.SOL_SOCKET, unix.SO_DONTROUTE, Bool},
		{"SO_PRIORITY", unix.SOL_SOCKET, unix.SO_PRIORITY, Int},
		{"SO_MARK", unix.SOL_SOCKET, unix.SO_MARK, Int},
		{"SO_BINDTODEVICE", unix.SOL_SOCKET, unix.SO_BINDTODEVICE, String},
		{"SO_ERROR", unix.SOL_SOCKET, unix.SO_ERROR, Int},
		{"SO_TYPE", unix.SOL_SOCKET, unix.SO_TYPE, Int},
		{"TCP_NODELAY", unix.IPPROTO_TCP, unix.TCP_NODELAY, Bool},
		{"TCP_MAXSEG", unix.IPPROTO_TCP, unix.TCP_MAXSEG, Int},
		{"TCP_CORK", unix.IPPROTO_TCP, unix.TCP_CORK, Bool},
		{"TCP_QUICKACK", unix.IPPROTO_TCP, unix.TCP_QUICKACK, Bool},
		{"TCP_USER_TIMEOUT", unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, Int},
		{"TCP_NOTSENT_LOWAT", unix.IPPROTO_TCP, unix.TCP_NOTSENT_LOWAT, Int},
		{"TCP_KEEPIDLE", unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, Int},
		{"TCP_KEEPINTVL", unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, Int},
		{"TCP_KEEPCNT", unix.IPPROTO_TCP, unix.TCP_KEEPCNT, Int},
		{"TCP_SYNCNT", unix.IPPROTO_TCP, unix.TCP_SYNCNT, Int},
		{"TCP_LINGER2", unix.IPPROTO_TCP, unix.TCP_LINGER2, Int},
		{"TCP_DEFER_ACCEPT", unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT, Int},
		{"TCP_WINDOW_CLAMP", unix.IPPROTO_TCP, unix.TCP_WINDOW_CLAMP, Int},
		{"TCP_FASTOPEN", unix.IPPROTO_TCP, unix.TCP_FASTOPEN, Int},
		{"TCP_FASTOPEN_CONNECT", unix.IPPROTO_TCP, unix.TCP_FASTOPEN_CONNECT, Bool},
		{"TCP_THIN_LINEAR_TIMEOUTS", unix.IPPROTO_TCP, unix.TCP_THIN_LINEAR_TIMEOUTS, Bool},
		{"TCP_INQ", unix.IPPROTO_TCP, unix.TCP_INQ, Bool},
		{"TCP_CONGESTION", unix.IPPROTO_TCP, unix.TCP_CONGESTION, String},
		{"IP_TTL", unix.IPPROTO_IP, unix.IP_TTL, Int},
		{"IP_TOS", unix.IPPROTO_IP, unix.IP_TOS, Int},
		{"IP_MTU_DISCOVER", unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, Int},
		{"IP_MTU", unix.IPPROTO_IP, unix.IP_MTU, Int},
		{"IP_FREEBIND", unix.IPPROTO_IP, unix.IP_FREEBIND, Bool},
		{"IP_RECVERR", unix.IPPROTO_IP, unix.IP_RECVERR, Bool},
		{"IPV6_V6ONLY", unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, Bool},
		{"IPV6_UNICAST_HOPS", unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS, Int},
		{"IPV6_TCLASS", unix.IPPROTO_IPV6, unix.IPV6_TCLASS, Int},
		{"IPV6_MTU_DISCOVER", unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, Int},
		{"IPV6_MTU", unix.IPPROTO_IPV6, unix.IPV6_MTU, Int},
		{"IPV6_RECVERR", unix.IPPROTO_IPV6, unix.IPV6_RECVERR, Bool},
		{"UDP_CORK", unix.IPPROTO_UDP, unix.UDP_CORK, Bool},
		{"UDP_SEGMENT", unix.IPPROTO_UDP, unix.UDP_SEGMENT, Int},
	} {
		options[o.Name] = o
	}
}

// family is the family of socket an option is for: 6 for IPV6_ options.
func (o Option) family() int {
	if o.Level == unix.IPPROTO_IPV6 {
		return 6
	}
	return 4
}

// LookupOption finds the option called name (any case), or says which
// exist.
func LookupOption(name string) (Option, error) {
	if o, ok := options[strings.ToUpper(name)]; ok {
		return o, nil
	}
	return Option{}, fmt.Errorf("unknown option %q (have: %s)", name, strings.Join(OptionNames(), ", "))
}

// OptionNames lists the options' names, sorted.
func OptionNames() []string { return slices.Sorted(maps.Keys(options)) }

// A Value is an option's value, as its Kind reads: Int for Bool (0 or 1)
// and Int, Str for String, On and Int (seconds) for Linger.
type Value struct {
	Int int
	Str string
	On  bool
}

// SetOption sets option o to v. An IPV6_ option opens a socket that waits
// for its first address as IPv6, any other option as IPv4.
func (s *Socket) SetOption(o Option, v Value) error {
	if err := s.ensure(o.family()); err != nil {
		return err
	}
	return s.control(func(fd int) error {
		switch o.Kind {
		case String:
			return unix.SetsockoptString(fd, o.Level, o.Opt, v.Str)
		case Linger:
			l := unix.Linger{Linger: int32(v.Int)}
			if v.On {
				l.Onoff = 1
			}
			return unix.SetsockoptLinger(fd, o.Level, o.Opt, &l)
		}
		return unix.SetsockoptInt(fd, o.Level, o.Opt, v.Int)
	})
}

// Option reads option o, opening the socket as SetOption does.
func (s *Socket) Option(o Option) (Value, error) {
	if err := s.ensure(o.family()); err != nil {
		return Value{}, err
	}
	var v Value
	err := s.control(func(fd int) (err error) {
		switch o.Kind {
		case String:
			v.Str, err = getString(fd, o)
		case Linger:
			var l *unix.Linger
			if l, err = unix.GetsockoptLinger(fd, o.Level, o.Opt); err == nil {
				v.On, v.Int = l.Onoff != 0, int(l.Linger)
			}
		default:
			v.Int, err = unix.GetsockoptInt(fd, o.Level, o.Opt)
		}
		return err
	})
	return v, err
}

// getString reads a string option: a name such as "cubic" or "veth0", cut
// at its first NUL.
func getString(fd int, o Option) (string, error) {
	s, err := unix.GetsockoptString(fd, o.Level, o.Opt)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s, err
}
