// Package filter is the Lua module "filter": tcpdump filter expressions
// (pcap-filter(7)) compiled in Go to classic BPF, without libpcap.
//
// Compile parses an expression with libpcap's grammar, generates the
// tests libpcap 1.10 generates for Ethernet, in the same order, and
// optimizes them as libpcap's optimizer does (not at all with
// protochain or geneve, as libpcap), so that a program takes
// exactly the frames tcpdump's takes, short frames included: a load past
// the end of a frame rejects it, and which loads run is what libpcap's
// code and optimizer decide. The result runs in the kernel
// (SO_ATTACH_FILTER, through the packet module) or in Go, with Match, or
// MatchLen for a frame a capture cut short (len, less and greater test
// its original length, as tcpdump -r does). CompileLive compiles for a
// Linux packet socket, where the kernel has moved the outer VLAN tag
// into metadata: its first vlan uses the ancillary loads, as libpcap's
// code for a live capture does (codegen_live.go).
//
// The stages are files: lexer.go (tokens, as libpcap's scanner makes
// them), parser.go and parse_arith.go (the syntax tree of ast.go, with
// tcpdump's repeated qualifiers resolved), codegen*.go (the tree to
// boolean conditions over tests; names.go, netdb.go and hostnames.go
// for the names of protocols, ports, networks, MAC addresses and hosts,
// looked up when the expression is compiled), asm.go (conditions to blocks, blocks to instructions with
// trampolines for far jumps), optimize.go, thread.go, pullup.go and
// optimize_passes.go (libpcap's optimizer), validate.go (the kernel's
// rules), vm.go (the interpreter behind Match), dump.go (tcpdump -d's
// format), explain.go (the program in words), fold.go (when libpcap's
// optimizer knows a folded constant), and lua.go and lua_program.go (the
// binding).
//
// Where netlua differs from tcpdump: constructs it does not compile
// (gateway, 802.11, ATM, MTP and pflog keywords, inbound/outbound,
// the broken "byte N & M", tests after a geneve that may not have
// matched, where libpcap reads memory it never set) are errors
// wrapping ErrUnsupported; protochain follows up to 16 headers, where
// libpcap's loop, which the kernel would refuse, has no bound
// (codegen_protochain.go); "ip broadcast" is compiled with netmask 0,
// as tcpdump -r compiles it (all-zeros or all-ones destination), also
// for sockets, where tcpdump -i would use the interface's netmask;
// names are looked up when the expression is compiled, in the system's
// resolver and files or those CompileWith is given; programs longer
// than the kernel's 4096 instructions are refused; and where libpcap's
// optimizer loses track of the X register and tcpdump's program reads
// the wrong bytes, netlua reads the right ones.
package filter
