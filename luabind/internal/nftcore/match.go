package nftcore

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

// A Match selects packets: every field set must match. The zero value
// matches every packet that reaches the input hook.
type Match struct {
	Hook     string       // input (""), output, forward, prerouting, postrouting, or ingress with Iface
	Family   int          // 4 or 6; 0 is both
	Proto    uint8        // transport protocol number (l4proto); 0 is any
	Sport    PortRange    // source port, with a Proto that has ports
	Dport    PortRange    // destination port, likewise
	Src, Dst netip.Prefix // addresses; the zero Prefix is any
	Iface    string       // the interface a packet came in by
	Oface    string       // the interface a packet leaves by
	Contains []byte       // bytes anywhere in the packet, from the network header on
	Chance   uint32       // a random share of the packets, in millionths (numgen random); 0 is every one
}

// ChanceScale is what a Chance counts in: a million is every packet.
const ChanceScale = 1_000_000

// A PortRange is the ports From to To; its zero value matches any port.
type PortRange struct {
	From, To uint16
	set      bool
}

// Port is the range of the one port p.
func Port(p uint16) PortRange { return PortRange{From: p, To: p, set: true} }

// Ports is the range from to to, both included.
func Ports(from, to uint16) PortRange { return PortRange{From: from, To: to, set: true} }

// String writes the range as nft does: 80, or 8000-8080.
func (r PortRange) String() string {
	if r.From == r.To {
		return strconv.Itoa(int(r.From))
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// MaxContains is the longest pattern the xt string match takes
// (XT_STRING_MAX_PATTERN_SIZE).
const MaxContains = 128

// hookInetIngress is NF_INET_INGRESS, the ingress hook of inet tables
// (Linux 5.10), which x/sys/unix lacks.
const hookInetIngress = 5

// hooks are the hook numbers by name.
var hooks = map[string]uint32{
	"prerouting":  unix.NF_INET_PRE_ROUTING,
	"input":       unix.NF_INET_LOCAL_IN,
	"forward":     unix.NF_INET_FORWARD,
	"output":      unix.NF_INET_LOCAL_OUT,
	"postrouting": unix.NF_INET_POST_ROUTING,
	"ingress":     hookInetIngress,
}

// HookNames lists the hooks a Match may name, sorted.
func HookNames() []string { return sortedKeys(hooks) }

// ProtoNames lists the names of the transport protocols known by name,
// sorted.
func ProtoNames() []string { return sortedKeys(protos) }

// ProtoByName is the number of the transport protocol called name.
func ProtoByName(name string) (uint8, bool) {
	p, ok := protos[name]
	return p, ok
}

// protos are the transport protocols known by name; read-only.
var protos = map[string]uint8{
	"tcp": unix.IPPROTO_TCP, "udp": unix.IPPROTO_UDP, "udplite": unix.IPPROTO_UDPLITE,
	"sctp": unix.IPPROTO_SCTP, "dccp": unix.IPPROTO_DCCP, "icmp": unix.IPPROTO_ICMP,
	"icmpv6": unix.IPPROTO_ICMPV6, "gre": unix.IPPROTO_GRE, "esp": unix.IPPROTO_ESP,
	"ah": unix.IPPROTO_AH,
}

// ProtoName is proto's name, or its number.
func ProtoName(proto uint8) string {
	for name, p := range protos {
		if p == proto {
			return name
		}
	}
	return strconv.Itoa(int(proto))
}

// hasPorts reports whether the protocol's header starts with the source and
// destination ports, as the port matches read them.
func hasPorts(proto uint8) bool {
	switch proto {
	case unix.IPPROTO_TCP, unix.IPPROTO_UDP, unix.IPPROTO_UDPLITE, unix.IPPROTO_SCTP, unix.IPPROTO_DCCP:
		return true
	}
	return false
}

// An OptionError says which field of a Match (by its option name) is
// wrong, and why.
type OptionError struct {
	Option string // "dport"
	Msg    string // "needs proto = \"tcp\" or another protocol with ports"
}

// Error reads as the end of a bad-argument message: option 'dport' ....
func (e *OptionError) Error() string { return fmt.Sprintf("option '%s' %s", e.Option, e.Msg) }

// Check reports the first field that cannot work as given.
func (m *Match) Check() error {
	if m.Chance > ChanceScale {
		return &OptionError{"chance", fmt.Sprintf("is more than %d millionths", ChanceScale)}
	}
	for _, check := range []func() error{m.checkHook, m.checkPorts, m.checkAddrs, m.checkContains} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (m *Match) checkHook() error {
	hook := m.HookName()
	if _, ok := hooks[hook]; !ok {
		return &OptionError{"hook", fmt.Sprintf("names no hook: '%s' (have: %s)", hook, strings.Join(HookNames(), ", "))}
	}
	switch {
	case hook == "ingress" && m.Iface == "":
		return &OptionError{"hook", "'ingress' needs iface: the interface whose ingress it is"}
	case m.Iface != "" && (hook == "output" || hook == "postrouting"):
		return &OptionError{"iface", fmt.Sprintf("cannot match in hook '%s': packets there have no input interface (use oface)", hook)}
	case m.Oface != "" && (hook == "input" || hook == "prerouting" || hook == "ingress"):
		return &OptionError{"oface", fmt.Sprintf("cannot match in hook '%s': packets there have no output interface yet (use iface)", hook)}
	}
	return nil
}

func (m *Match) checkPorts() error {
	for _, p := range []struct {
		name string
		r    PortRange
	}{{"sport", m.Sport}, {"dport", m.Dport}} {
		switch {
		case !p.r.set:
		case !hasPorts(m.Proto):
			return &OptionError{p.name, "needs proto = \"tcp\", \"udp\", \"sctp\", \"udplite\" or \"dccp\""}
		case p.r.From > p.r.To:
			return &OptionError{p.name, fmt.Sprintf("range %d-%d is empty: the first port is past the last", p.r.From, p.r.To)}
		}
	}
	return nil
}

func (m *Match) checkAddrs() error {
	if m.Family != 0 && m.Family != 4 && m.Family != 6 {
		return &OptionError{"family", fmt.Sprintf("must be 4 or 6, got %d", m.Family)}
	}
	fam := m.Family
	for _, a := range []struct {
		name string
		p    netip.Prefix
	}{{"src", m.Src}, {"dst", m.Dst}} {
		if !a.p.IsValid() {
			continue
		}
		f := addrFamily(a.p)
		if fam != 0 && f != fam {
			return &OptionError{a.name, fmt.Sprintf("is an IPv%d address where the rule matches IPv%d", f, fam)}
		}
		fam = f
	}
	return nil
}

func (m *Match) checkContains() error {
	switch {
	case m.Contains == nil:
	case len(m.Contains) == 0:
		return &OptionError{"contains", "is empty: it matches nothing"}
	case len(m.Contains) > MaxContains:
		return &OptionError{"contains", fmt.Sprintf("is %d bytes long; the kernel's string match takes at most %d", len(m.Contains), MaxContains)}
	}
	return nil
}

// HookName is the hook, input when unset.
func (m *Match) HookName() string {
	if m.Hook == "" {
		return "input"
	}
	return m.Hook
}

// family is the IP version the rule is limited to: Family, or that of its
// addresses; 0 for both.
func (m *Match) family() int {
	switch {
	case m.Family != 0:
		return m.Family
	case m.Src.IsValid():
		return addrFamily(m.Src)
	case m.Dst.IsValid():
		return addrFamily(m.Dst)
	}
	return 0
}

func addrFamily(p netip.Prefix) int {
	if p.Addr().Is4() {
		return 4
	}
	return 6
}

// Exprs are the match as nftables expressions, cheap tests first and the
// payload search last, in the order nft itself writes them. It assumes
// Check passed.
func (m *Match) Exprs() []expr.Any {
	var es []expr.Any
	if fam := m.family(); fam != 0 {
		nfproto := byte(unix.NFPROTO_IPV4)
		if fam == 6 {
			nfproto = unix.NFPROTO_IPV6
		}
		es = append(es, loadMeta(expr.MetaKeyNFPROTO), equal([]byte{nfproto}))
	}
	if m.Iface != "" && m.HookName() != "ingress" {
		es = append(es, loadMeta(expr.MetaKeyIIFNAME), equal(ifname(m.Iface)))
	}
	if m.Oface != "" {
		es = append(es, loadMeta(expr.MetaKeyOIFNAME), equal(ifname(m.Oface)))
	}
	es = append(es, addrExprs(m.Src, true)...)
	es = append(es, addrExprs(m.Dst, false)...)
	if m.Proto != 0 {
		es = append(es, loadMeta(expr.MetaKeyL4PROTO), equal([]byte{m.Proto}))
	}
	es = append(es, portExprs(m.Sport, 0)...)
	es = append(es, portExprs(m.Dport, 2)...)
	if m.Contains != nil {
		es = append(es, stringMatch(m.Contains))
	}
	if m.Chance != 0 {
		es = append(es, chanceExprs(m.Chance)...)
	}
	return es
}

// chanceExprs match a random share of packets, as nft's "numgen random
// mod 1000000 < n": the number is in host order, and cmp compares bytes,
// so it goes to network order first, as nft does for ranges.
func chanceExprs(n uint32) []expr.Any {
	return []expr.Any{
		&expr.Numgen{Register: 1, Modulus: ChanceScale, Type: unix.NFT_NG_RANDOM},
		&expr.Byteorder{SourceRegister: 1, DestRegister: 1, Op: expr.ByteorderHton, Len: 4, Size: 4},
		&expr.Cmp{Op: expr.CmpOpLt, Register: 1, Data: binary.BigEndian.AppendUint32(nil, n)},
	}
}

// loadMeta loads a meta key into register 1.
func loadMeta(key expr.MetaKey) expr.Any { return &expr.Meta{Key: key, Register: 1} }

// equal compares register 1 with data.
func equal(data []byte) expr.Any {
	return &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: data}
}

// ifname is an interface name as the kernel compares it: IFNAMSIZ bytes,
// zero padded.
func ifname(name string) []byte {
	b := make([]byte, unix.IFNAMSIZ)
	copy(b, name)
	return b
}

// addrExprs compare the source (or destination) address with p, as nft
// does: a prefix of whole bytes compares only those bytes, any other
// loads the whole address and masks it.
func addrExprs(p netip.Prefix, src bool) []expr.Any {
	if !p.IsValid() {
		return nil
	}
	addr := p.Masked().Addr().AsSlice()
	offset := map[bool]uint32{true: 12, false: 16}[src] // IPv4 saddr, daddr
	if len(addr) == 16 {
		offset = map[bool]uint32{true: 8, false: 24}[src] // IPv6 saddr, daddr
	}
	bits := p.Bits()
	if bits > 0 && bits%8 == 0 {
		n := uint32(bits / 8)
		return []expr.Any{load(expr.PayloadBaseNetworkHeader, offset, n), equal(addr[:n])}
	}
	n := uint32(len(addr))
	mask := netip.PrefixFrom(allOnes(len(addr)), bits).Masked().Addr().AsSlice()
	return []expr.Any{
		load(expr.PayloadBaseNetworkHeader, offset, n),
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: n, Mask: mask, Xor: make([]byte, n)},
		equal(addr),
	}
}

// load loads n bytes at offset of a header into register 1.
func load(base expr.PayloadBase, offset, n uint32) expr.Any {
	return &expr.Payload{DestRegister: 1, Base: base, Offset: offset, Len: n}
}

// allOnes is the address of n bytes of 0xff.
func allOnes(n int) netip.Addr {
	b := make([]byte, n)
	for i := range b {
		b[i] = 0xff
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// portExprs compare the 16-bit port at offset of the transport header
// with r: equal for one port, at least and at most for a range, as nft does.
func portExprs(r PortRange, offset uint32) []expr.Any {
	if !r.set {
		return nil
	}
	from, to := []byte{byte(r.From >> 8), byte(r.From)}, []byte{byte(r.To >> 8), byte(r.To)}
	es := []expr.Any{load(expr.PayloadBaseTransportHeader, offset, 2)}
	if r.From == r.To {
		return append(es, equal(from))
	}
	return append(es,
		&expr.Cmp{Op: expr.CmpOpGte, Register: 1, Data: from},
		&expr.Cmp{Op: expr.CmpOpLte, Register: 1, Data: to})
}

// String writes the match as nft would, with contains "..." for the
// payload search: tcp dport 80 iifname "veth0" contains "HTTP".
func (m *Match) String() string {
	var w []string
	if m.Family != 0 && !m.Src.IsValid() && !m.Dst.IsValid() {
		w = append(w, fmt.Sprintf("meta nfproto ipv%d", m.Family))
	}
	if m.Iface != "" && m.HookName() != "ingress" {
		w = append(w, fmt.Sprintf("iifname %q", m.Iface))
	}
	if m.Oface != "" {
		w = append(w, fmt.Sprintf("oifname %q", m.Oface))
	}
	w = append(w, addrText(m.Src, "saddr")...)
	w = append(w, addrText(m.Dst, "daddr")...)
	w = append(w, m.protoText()...)
	if m.Contains != nil {
		w = append(w, "contains "+strconv.Quote(string(m.Contains)))
	}
	if m.Chance != 0 {
		w = append(w, fmt.Sprintf("numgen random mod %d < %d", ChanceScale, m.Chance))
	}
	return strings.Join(w, " ")
}

func addrText(p netip.Prefix, field string) []string {
	if !p.IsValid() {
		return nil
	}
	ip := "ip"
	if addrFamily(p) == 6 {
		ip = "ip6"
	}
	text := p.Masked().String()
	if p.IsSingleIP() {
		text = p.Addr().String()
	}
	return []string{fmt.Sprintf("%s %s %s", ip, field, text)}
}

func (m *Match) protoText() []string {
	if m.Proto == 0 {
		return nil
	}
	name := ProtoName(m.Proto)
	var w []string
	if m.Sport.set {
		w = append(w, fmt.Sprintf("%s sport %s", name, m.Sport))
	}
	if m.Dport.set {
		w = append(w, fmt.Sprintf("%s dport %s", name, m.Dport))
	}
	if len(w) == 0 {
		w = append(w, "meta l4proto "+name)
	}
	return w
}

// sortedKeys lists a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
