package filter

import (
	"errors"
	"fmt"
	"math"

	"golang.org/x/net/bpf"
)

// A Program is a compiled filter expression: classic BPF for Ethernet
// frames, ready for the kernel (SO_ATTACH_FILTER) or for Match.
type Program struct {
	expr string
	tree node
	raw  []bpf.RawInstruction
	live bool // compiled for a packet socket (see CompileLive)
}

// Compile compiles a tcpdump filter expression (pcap-filter(7)) for
// Ethernet frames. The empty expression matches every frame. Errors are
// *Error, naming the column; constructs netlua does not compile wrap
// ErrUnsupported.
func Compile(expr string) (*Program, error) { return CompileWith(expr, Options{}) }

// CompileLive is Compile for a Linux packet socket (SO_ATTACH_FILTER),
// where the kernel has taken the outer VLAN tag of a received frame out
// of its bytes into metadata: the first "vlan" tests that metadata,
// or a tag still in the frame, and what follows it reads the frame
// where it is then, as libpcap compiles for a live capture on Linux
// (see codegen_live.go). Match runs such a program on a frame as the
// bytes hold it, with no tag in metadata.
func CompileLive(expr string) (*Program, error) { return CompileWith(expr, Options{Live: true}) }

// CompileWith is Compile or CompileLive (opts.Live) with host names
// resolved by opts.Resolve, or by the system's resolver when it is nil,
// and other names looked up in opts.Names, or in the system's files.
func CompileWith(expr string, opts Options) (*Program, error) {
	live := opts.Live
	tree, err := parse(expr)
	if err == nil {
		var c cond
		var opt bool
		if c, opt, err = generate(tree, opts); err == nil {
			var raw []bpf.RawInstruction
			if raw, err = build(c, opt); err == nil {
				p, err := program(expr, tree, raw)
				if p != nil {
					p.live = live
				}
				return p, err
			}
		}
	}
	var e *Error
	if errors.As(err, &e) {
		e.Expr = expr
	}
	return nil, err
}

// generate compiles the tree to conditions; nil (the empty expression)
// is true. opt says whether libpcap would optimize the program.
func generate(tree node, opts Options) (c cond, opt bool, err error) {
	if tree == nil {
		return constCond(true), true, nil
	}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			err = b.err
		}
	}()
	g := newGen(opts.Live)
	g.resolve = opts.Resolve
	if g.resolve == nil {
		g.resolve = SystemResolver
	}
	g.names = opts.Names
	if g.names == nil {
		g.names = SystemNameDB()
	}
	c = g.prologue(g.node(tree))
	return c, !g.noOptimize, nil
}

// maxTests bounds the tests an expression may have before optimizing:
// beyond it no program fits the kernel's 4096 instructions, and
// optimizing would take seconds (tcpdump takes minutes).
const maxTests = 16384

// build assembles, optimizes (when opt) and lays out conditions.
// Without the optimizer, which folds no constant, a folding error still
// stands: netlua has folded the constant already.
func build(c cond, opt bool) ([]bpf.RawInstruction, error) {
	blocks := assemble(c)
	if len(blocks) > maxTests {
		return nil, &Error{Msg: fmt.Sprintf("the expression is too long: %d tests, where netlua takes up to %d", len(blocks), maxTests)}
	}
	if !opt {
		for _, b := range blocks {
			if b.err.err != nil {
				return nil, b.err.err
			}
		}
		return layout(blocks), nil
	}
	blocks, err := optimize(blocks)
	if err != nil {
		return nil, err
	}
	return layout(blocks), nil
}

// program checks the instructions and makes the Program.
func program(expr string, tree node, raw []bpf.RawInstruction) (*Program, error) {
	if err := validate(raw); err != nil {
		if at, ok := geneveAt(tree); ok && errors.Is(err, errUnsetWord) {
			// libpcap's program reads memory it never wrote there.
			e := unsupportedAt(at, "tests after 'geneve' where it may not have matched (after 'or' or 'not') are not supported: libpcap reads offsets it never set there; write geneve ... and (...) with the alternatives inside")
			e.Expr = expr
			return nil, e
		}
		return nil, &Error{Expr: expr, Msg: err.Error()}
	}
	if len(raw) == 1 && raw[0].K == 0 {
		// As libpcap: a filter that takes nothing is a mistake.
		return nil, &Error{Expr: expr, Msg: "expression rejects all packets"}
	}
	return &Program{expr: expr, tree: tree, raw: raw}, nil
}

// geneveAt finds the first geneve of an expression.
func geneveAt(n node) (int, bool) {
	switch n := n.(type) {
	case *geneveNode:
		return n.at, true
	case *binaryNode:
		if at, ok := geneveAt(n.l); ok {
			return at, true
		}
		return geneveAt(n.r)
	case *notNode:
		return geneveAt(n.x)
	}
	return 0, false
}

// MustCompile is Compile for expressions known to be right; it panics
// on an error.
func MustCompile(expr string) *Program {
	p, err := Compile(expr)
	if err != nil {
		panic(err)
	}
	return p
}

// Expr returns the expression the program was compiled from.
func (p *Program) Expr() string { return p.expr }

// Len returns the number of instructions.
func (p *Program) Len() int { return len(p.raw) }

// Raw returns the program as the kernel takes it (a copy).
func (p *Program) Raw() []bpf.RawInstruction {
	return append([]bpf.RawInstruction(nil), p.raw...)
}

// Match reports whether frame, an Ethernet frame from its destination
// MAC address on, passes the filter. It does not allocate.
func (p *Program) Match(frame []byte) bool { return p.MatchLen(frame, len(frame)) }

// MatchLen is Match for a frame that a capture cut short: length is the
// frame's original length, which "len", "less" and "greater" test, as
// tcpdump -r does on a capture taken with a snapshot length. A length
// under len(frame) counts as len(frame), one past 32 bits as 2^32-1.
func (p *Program) MatchLen(frame []byte, length int) bool {
	in := input{data: frame, len: uint32(min(max(length, len(frame)), math.MaxUint32))}
	if p.live {
		in.aux = &untagged
	}
	ret, _ := run(p.raw, &in)
	return ret != 0
}

// untagged is the metadata Match gives a live program: no VLAN tag out
// of the frame, so that a tag in place is tested where it is, as in a
// frame that a socket received (see the packet module).
var untagged = aux{}

// Dump returns the instructions as tcpdump -d prints them.
func (p *Program) Dump() string { return dump(p.raw) }

// String describes the program for Lua's tostring.
func (p *Program) String() string {
	return fmt.Sprintf("filter %q (%d instructions)", p.expr, len(p.raw))
}
