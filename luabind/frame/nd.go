package frame

import "net/netip"

// Neighbour discovery (RFC 4861): the bodies of ICMPv6 types 133 to 137,
// as layers above icmp6 with the fields of Scapy's ICMPv6ND_* classes
// after type, code and cksum. The options that follow are a list field,
// options, in Scapy's form (ndopts.go).
var (
	NDRS = builtinProto("nd_rs", "ND router solicitation (icmp6 type 133): res, options (list)", []Field{
		{Name: "res", Bits: 32}, {Name: "options", Kind: List, List: ndOptionList},
	})
	NDRA = builtinProto("nd_ra", "ND router advertisement (icmp6 type 134): chlim, M, O, H, prf (1), P, res, "+
		"routerlifetime (1800), reachabletime, retranstimer, options (list)", []Field{
		{Name: "chlim", Bits: 8}, {Name: "M", Bits: 1}, {Name: "O", Bits: 1},
		{Name: "H", Bits: 1}, {Name: "prf", Bits: 2}, {Name: "P", Bits: 1},
		{Name: "res", Bits: 2}, {Name: "routerlifetime", Bits: 16},
		{Name: "reachabletime", Bits: 32}, {Name: "retranstimer", Bits: 32},
		{Name: "options", Kind: List, List: ndOptionList},
	}, "prf", 1, "routerlifetime", 1800)
	NDNS = builtinProto("nd_ns", "ND neighbour solicitation (icmp6 type 135): res, tgt, options (list)", []Field{
		{Name: "res", Bits: 32}, {Name: "tgt", Kind: IPv6Addr}, {Name: "options", Kind: List, List: ndOptionList},
	}, "tgt", "::")
	NDNA = builtinProto("nd_na", "ND neighbour advertisement (icmp6 type 136): R (1), S, O (1), res, tgt, options (list)", []Field{
		{Name: "R", Bits: 1}, {Name: "S", Bits: 1}, {Name: "O", Bits: 1},
		{Name: "res", Bits: 29}, {Name: "tgt", Kind: IPv6Addr}, {Name: "options", Kind: List, List: ndOptionList},
	}, "R", 1, "O", 1, "tgt", "::")
	NDRedirect = builtinProto("nd_redirect", "ND redirect (icmp6 type 137): res, tgt, dst, options (list)", []Field{
		{Name: "res", Bits: 32, Hex: true}, {Name: "tgt", Kind: IPv6Addr},
		{Name: "dst", Kind: IPv6Addr}, {Name: "options", Kind: List, List: ndOptionList},
	}, "tgt", "::", "dst", "::")
)

// ndProtos are the ND and MLD layers (mld.go), by their icmp6 type, with
// the IPv6 hop limit and destination (if valid) Scapy gives an IPv6 layer
// under them when none is given. Parse takes the first of a type.
var ndProtos = []struct {
	typ  uint64
	p    *Proto
	dst  netip.Addr
	hlim uint64
}{
	{133, NDRS, allRouters, ndHopLimit}, {134, NDRA, allNodes, ndHopLimit}, {135, NDNS, allNodes, ndHopLimit},
	{136, NDNA, allNodes, ndHopLimit}, {137, NDRedirect, allNodes, ndHopLimit},
	{130, MLDQuery, allNodes, mldHopLimit}, {130, MLDv2Query, allNodes, mldHopLimit},
	{131, MLDReport, netip.Addr{}, mldHopLimit}, {132, MLDDone, allRouters, mldHopLimit},
	{143, MLDv2Report, allMLDv2Routers, mldHopLimit},
}

var (
	allNodes   = netip.MustParseAddr("ff02::1")
	allRouters = netip.MustParseAddr("ff02::2")
)

// ndHopLimit is the hop limit ND messages are sent with (RFC 4861 drops
// the others).
const ndHopLimit = 255

// ndAbove returns the index in ndProtos of the ND layer two above layer i
// (ipv6 / icmp6 / nd_*), or -1. Scapy's ICMPv6ND_* classes overload the
// IPv6 layer under them: hop limit 255 and a multicast destination.
func (b *Builder) ndAbove(i int) int {
	if i+2 >= len(b.layers) || b.layers[i+1].Proto != ICMPv6 {
		return -1
	}
	for k, nd := range ndProtos {
		if b.layers[i+2].Proto == nd.p {
			return k
		}
	}
	return -1
}

// ipv6HopLimit appends the hop limit of IPv6 layer i: as given, else 255
// under an ND message, else the default.
func (b *Builder) ipv6HopLimit(i int) {
	if k := b.ndAbove(i); k >= 0 && !b.given(i, v6Hlim) {
		b.u8(ndProtos[k].hlim)
		return
	}
	b.u8(b.num(i, v6Hlim))
}

// ipv6Sent is IPv6 layer i with the destination ipv6Dst writes, for the
// pseudo-header of the ICMPv6 checksum.
func (b *Builder) ipv6Sent(i int) *Layer {
	k := b.ndAbove(i)
	if k < 0 || b.given(i, v6Dst) || !ndProtos[k].dst.IsValid() {
		return b.layers[i]
	}
	l := *b.layers[i]
	l.setAddr(&l.Proto.Fields[v6Dst], ndProtos[k].dst)
	return &l
}

// ipv6Dst appends the destination of IPv6 layer i: as given, else the
// multicast group of the ND message above it, else the default.
func (b *Builder) ipv6Dst(i int) {
	if k := b.ndAbove(i); k >= 0 && !b.given(i, v6Dst) && ndProtos[k].dst.IsValid() {
		a := ndProtos[k].dst.As16()
		b.buf = append(b.buf, a[:]...)
		return
	}
	b.addr(i, v6Dst)
}

// ndBinds bind the ND layers on icmp6's type, both ways:
// f.icmp6{}/f.nd_ns{} builds type 135.
func ndBinds() []Binding {
	bs := make([]Binding, len(ndProtos))
	for i, nd := range ndProtos {
		bs[i] = Binding{Field: icmpType, Value: nd.typ, Upper: nd.p}
	}
	return bs
}

// Field indexes of the ND layers.
const (
	rsRes, rsOptions = 0, 1

	raChlim, raM, raO, raH, raPrf, raP, raRes = 0, 1, 2, 3, 4, 5, 6
	raLifetime, raReachable, raRetrans, raOpt = 7, 8, 9, 10

	nsRes, nsTgt, nsOptions = 0, 1, 2

	naR, naS, naO, naRes, naTgt, naOptions = 0, 1, 2, 3, 4, 5

	rdRes, rdTgt, rdDst, rdOptions = 0, 1, 2, 3
)

func setNDCodecs() {
	NDRS.encode, NDRS.decode = encodeNDRS, decodeNDRS
	NDRA.encode, NDRA.decode = encodeNDRA, decodeNDRA
	NDNS.encode, NDNS.decode = encodeNDNS, decodeNDNS
	NDNA.encode, NDNA.decode = encodeNDNA, decodeNDNA
	NDRedirect.encode, NDRedirect.decode = encodeNDRedirect, decodeNDRedirect
}

func encodeNDRS(b *Builder, i int) {
	b.u32(b.num(i, rsRes))
	b.buf = append(b.buf, b.layers[i].Bytes(rsOptions)...)
}

func decodeNDRS(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	l.put(rsRes, u32(d))
	l.data = d[4:]
	return decoded{hdr: len(d), end: -1}, nil
}

func encodeNDRA(b *Builder, i int) {
	b.u8(b.num(i, raChlim))
	b.u8(b.num(i, raM)<<7 | b.num(i, raO)<<6 | b.num(i, raH)<<5 |
		b.num(i, raPrf)<<3 | b.num(i, raP)<<2 | b.num(i, raRes))
	b.u16(b.num(i, raLifetime))
	b.u32(b.num(i, raReachable))
	b.u32(b.num(i, raRetrans))
	b.buf = append(b.buf, b.layers[i].Bytes(raOpt)...)
}

func decodeNDRA(l *Layer, d []byte) (decoded, error) {
	if len(d) < 12 {
		return decoded{}, truncated(len(d), 12)
	}
	l.put(raChlim, uint64(d[0]))
	f := uint64(d[1])
	l.put(raM, f>>7)
	l.put(raO, f>>6&1)
	l.put(raH, f>>5&1)
	l.put(raPrf, f>>3&3)
	l.put(raP, f>>2&1)
	l.put(raRes, f&3)
	l.put(raLifetime, u16(d[2:]))
	l.put(raReachable, u32(d[4:]))
	l.put(raRetrans, u32(d[8:]))
	l.data = d[12:]
	return decoded{hdr: len(d), end: -1}, nil
}

func encodeNDNS(b *Builder, i int) {
	b.u32(b.num(i, nsRes))
	b.addr(i, nsTgt)
	b.buf = append(b.buf, b.layers[i].Bytes(nsOptions)...)
}

func decodeNDNS(l *Layer, d []byte) (decoded, error) {
	if len(d) < 20 {
		return decoded{}, truncated(len(d), 20)
	}
	l.put(nsRes, u32(d))
	l.putAddr(nsTgt, d[4:20])
	l.data = d[20:]
	return decoded{hdr: len(d), end: -1}, nil
}

func encodeNDNA(b *Builder, i int) {
	b.u32(b.num(i, naR)<<31 | b.num(i, naS)<<30 | b.num(i, naO)<<29 | b.num(i, naRes))
	b.addr(i, naTgt)
	b.buf = append(b.buf, b.layers[i].Bytes(naOptions)...)
}

func decodeNDNA(l *Layer, d []byte) (decoded, error) {
	if len(d) < 20 {
		return decoded{}, truncated(len(d), 20)
	}
	f := u32(d)
	l.put(naR, f>>31)
	l.put(naS, f>>30&1)
	l.put(naO, f>>29&1)
	l.put(naRes, f&(1<<29-1))
	l.putAddr(naTgt, d[4:20])
	l.data = d[20:]
	return decoded{hdr: len(d), end: -1}, nil
}

func encodeNDRedirect(b *Builder, i int) {
	b.u32(b.num(i, rdRes))
	b.addr(i, rdTgt)
	b.addr(i, rdDst)
	b.buf = append(b.buf, b.layers[i].Bytes(rdOptions)...)
}

func decodeNDRedirect(l *Layer, d []byte) (decoded, error) {
	if len(d) < 36 {
		return decoded{}, truncated(len(d), 36)
	}
	l.put(rdRes, u32(d))
	l.putAddr(rdTgt, d[4:20])
	l.putAddr(rdDst, d[20:36])
	l.data = d[36:]
	return decoded{hdr: len(d), end: -1}, nil
}
