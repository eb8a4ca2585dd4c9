// Package nftbind is the Lua side that the nft and nfqueue modules share:
// the options that make a match, read as nft.drop takes them, and the
// runtime's tables, one per namespace, where both modules' rules go (so
// that nft.rules() lists the rules of nfqueue hooks too).
package nftbind

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/nftcore"
)

// MatchOptions are the names of the options that make an nftcore.Match,
// plus netns; the nfqueue module takes the same ones.
var MatchOptions = []string{"hook", "family", "proto", "sport", "dport", "src", "dst", "iface", "oface", "contains", "netns"}

// CheckMatch reads the match options of o (netns aside). A wrong value,
// or a combination that cannot work, raises a bad-argument error naming
// the option.
func CheckMatch(o luabind.Options) nftcore.Match {
	m := nftcore.Match{
		Hook:     o.String("hook", ""),
		Family:   checkFamily(o),
		Proto:    checkProto(o),
		Sport:    checkPorts(o, "sport"),
		Dport:    checkPorts(o, "dport"),
		Src:      checkPrefix(o, "src"),
		Dst:      checkPrefix(o, "dst"),
		Iface:    checkIfname(o, "iface"),
		Oface:    checkIfname(o, "oface"),
		Contains: checkContains(o),
	}
	if err := m.Check(); err != nil {
		raiseOption(o, err)
	}
	return m
}

// CheckAction raises a bad-argument error naming the option when the
// action a cannot work with the match m (reject outside input, forward
// and output), before any table is made.
func CheckAction(o luabind.Options, m *nftcore.Match, a nftcore.Action) {
	if err := a.Check(m); err != nil {
		raiseOption(o, err)
	}
}

// raiseOption raises err, an *nftcore.OptionError, as a bad-argument error.
func raiseOption(o luabind.Options, err error) {
	if oe, ok := err.(*nftcore.OptionError); ok {
		o.Error(oe.Option, oe.Msg)
	}
	luabind.ArgError(o.L, 1, err.Error())
}

// checkFamily reads family: 4, 6, "ipv4", "ipv6", "ip" or "ip6".
func checkFamily(o luabind.Options) int {
	switch v := o.Value("family").(type) {
	case *lua.LNilType:
		return 0
	case lua.LNumber:
		if v == 4 || v == 6 {
			return int(v)
		}
	case lua.LString:
		switch v {
		case "ipv4", "ip":
			return 4
		case "ipv6", "ip6":
			return 6
		}
	}
	o.Error("family", fmt.Sprintf("must be 4, 6, \"ipv4\" or \"ipv6\", got %s", luaText(o.Value("family"))))
	return 0
}

// checkProto reads proto: a name such as "tcp", or a number 1..255.
func checkProto(o luabind.Options) uint8 {
	switch v := o.Value("proto").(type) {
	case *lua.LNilType:
		return 0
	case lua.LNumber:
		if v >= 1 && v <= 255 && v == lua.LNumber(int(v)) {
			return uint8(v)
		}
	case lua.LString:
		if p, ok := nftcore.ProtoByName(string(v)); ok {
			return p
		}
	}
	o.Error("proto", fmt.Sprintf("must be a protocol number 1..255 or one of %s, got %s",
		strings.Join(nftcore.ProtoNames(), ", "), luaText(o.Value("proto"))))
	return 0
}

// checkPorts reads a port option: a number, a "from-to" string or a
// {from, to} table, each port in 0..65535.
func checkPorts(o luabind.Options, name string) nftcore.PortRange {
	v := o.Value(name)
	var from, to lua.LValue
	switch x := v.(type) {
	case *lua.LNilType:
		return nftcore.PortRange{}
	case lua.LNumber:
		from, to = x, x
	case lua.LString:
		a, b, ok := strings.Cut(string(x), "-")
		if !ok {
			b = a
		}
		from, to = numberText(a), numberText(b)
	case *lua.LTable:
		from, to = x.RawGetInt(1), x.RawGetInt(2)
	}
	f, fok := port(from)
	t, tok := port(to)
	if !fok || !tok {
		o.Error(name, fmt.Sprintf("must be a port 0..65535, a range \"from-to\" or {from, to}, got %s", luaText(v)))
	}
	return nftcore.Ports(f, t)
}

// numberText is s as a Lua number, or nil when it is not one.
func numberText(s string) lua.LValue {
	n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return lua.LNil
	}
	return lua.LNumber(n)
}

// port is v as a port number.
func port(v lua.LValue) (uint16, bool) {
	n, ok := v.(lua.LNumber)
	if !ok || n < 0 || n > 65535 || n != lua.LNumber(int(n)) {
		return 0, false
	}
	return uint16(n), true
}

// checkPrefix reads an address option: "198.18.0.0/15" or "198.18.0.1".
func checkPrefix(o luabind.Options, name string) netip.Prefix {
	s := o.String(name, "")
	if s == "" {
		return netip.Prefix{}
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
	}
	o.Error(name, fmt.Sprintf("is not an address or prefix: '%s'", s))
	return netip.Prefix{}
}

// checkIfname reads an interface name option.
func checkIfname(o luabind.Options, name string) string {
	s := o.String(name, "")
	if len(s) >= unix.IFNAMSIZ || strings.ContainsAny(s, "/ \x00") {
		o.Error(name, fmt.Sprintf("is not an interface name: '%s' (at most %d characters, no '/' or spaces)", s, unix.IFNAMSIZ-1))
	}
	return s
}

// checkContains reads contains, the bytes a packet must hold.
func checkContains(o luabind.Options) []byte {
	if !o.Has("contains") {
		return nil
	}
	return []byte(o.String("contains", ""))
}

// luaText writes a Lua value for an error message: strings quoted.
func luaText(v lua.LValue) string {
	if s, ok := v.(lua.LString); ok {
		return strconv.Quote(string(s))
	}
	if v.Type() == lua.LTTable {
		return "a table"
	}
	return v.String()
}
