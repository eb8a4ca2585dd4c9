package filter

// The syntax tree of an expression. The parser resolves tcpdump's
// shorthand as it goes: in "port 53 or 80" the 80 is a primNode with the
// qualifiers of "port 53". Nodes that the compiler can refuse keep the
// token, or the byte offset, it names, so that errors found while
// compiling name the column too.

// A node is a boolean part of an expression: *binaryNode, *notNode,
// *abbrevNode, *primNode, *relNode, *lenNode, *byteNode, *castNode,
// *vlanNode, *pppoedNode, *pppoesNode, *mplsNode, *geneveNode or *llcNode.
type node interface{}

// binaryNode is "l and r" or "l or r" (op is tAnd or tOr). In pcap-filter
// both have the same precedence and group to the left.
type binaryNode struct {
	op   tokKind
	l, r node
}

// notNode is "not x".
type notNode struct{ x node }

// abbrevNode is a protocol alone: "tcp", "ip6", "arp".
type abbrevNode struct {
	proto proto
	tok   token
}

// primNode is a value with qualifiers, written or inherited: "dst port 80",
// "host 10.0.0.1", "ether proto \arp".
type primNode struct {
	q   qual
	val value
}

// relNode is a comparison of arithmetic: "ip[9] = 6", "len > 100".
type relNode struct {
	op   tokKind // tEq, tNeq, tLt, tLeq, tGt, tGeq
	l, r arith
	at   int
}

// lenNode is "less n" (len <= n) or "greater n" (len >= n).
type lenNode struct {
	greater bool
	n       uint32
}

// byteNode is "byte idx op val".
type byteNode struct {
	idx, val uint32
	op       token
}

// castNode is "[proto] broadcast" or "[proto] multicast".
type castNode struct {
	proto     proto
	multicast bool
	tok       token // the proto keyword, or broadcast/multicast alone
}

// vlanNode is "vlan [id]".
type vlanNode struct {
	id    uint32
	hasID bool
	at    int
}

// pppoedNode is "pppoed": PPPoE discovery frames.
type pppoedNode struct{}

// pppoesNode is "pppoes [id]": PPPoE session frames.
type pppoesNode struct {
	id    uint32
	hasID bool
	at    int
}

// mplsNode is "mpls [label]".
type mplsNode struct {
	label    uint32
	hasLabel bool
	at       int
}

// geneveNode is "geneve [vni]".
type geneveNode struct {
	vni    uint32
	hasVNI bool
	at     int
}

// llcNode is "llc [type]": an 802.2 header, of a frame format (i, s, u)
// or a command ("rr", "ui", ...) when kind is given.
type llcNode struct {
	kind    token
	hasKind bool
}

// dir is a direction qualifier.
type dir uint8

const (
	dDefault dir = iota
	dSrc
	dDst
	dSrcOrDst
	dSrcAndDst
	dUndef
)

// addr is an address-type qualifier.
type addr uint8

const (
	aDefault addr = iota
	aHost
	aNet
	aPort
	aPortrange
	aProto
	aProtochain
	aUndef
)

// qual is the qualifiers in force for a value.
type qual struct {
	proto proto
	dir   dir
	addr  addr
}

// qualNone is in force where no value may follow: at the start, after
// "tcp" or "ip[9] = 6" ("tcp or 80" is an error, as in tcpdump).
var qualNone = qual{proto: pUndef, dir: dUndef, addr: aUndef}

// value is the token of a primNode, with its mask if it has one.
type value struct {
	tok     token  // tNum, tID, tHID, tHID6 or tEID
	masklen uint32 // after '/', when hasLen
	hasLen  bool
	mask    *token // after "mask"
}

// arith is an arithmetic expression: *numArith, *lenArith, *loadArith,
// *binArith or *negArith.
type arith interface{}

// numArith is a number.
type numArith struct{ tok token }

// lenArith is "len", the frame's length.
type lenArith struct{}

// loadArith is "proto[index]" or "proto[index:size]".
type loadArith struct {
	proto proto
	tok   token // the proto keyword
	index arith
	size  uint32
}

// binArith is "l op r".
type binArith struct {
	op   token
	l, r arith
}

// negArith is "-x".
type negArith struct{ x arith }
