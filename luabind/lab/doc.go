// Package lab makes throwaway network labs: anonymous network namespaces
// ("hosts") joined by veth pairs ("links"), addressed from 198.18.0.0/15
// (RFC 2544's benchmarking range) with locally administered MACs.
//
// The Go core (Lab, Host, End, in lab.go, host.go, link.go, exec.go,
// sysctl.go) knows nothing of Lua; lua.go (the module and its functions)
// and lua_lab.go, lua_host.go and lua_end.go (the methods and fields of
// each Lua type) are the Lua module "lab" on top of it:
//
//	local a, b = lab.pair()
//	local n = lab.new(); local r1 = n:host("r1"); n:link(a, r1)
//
// Nothing is ever created in the netlua process's own namespace: each
// host is a namespace held by a file descriptor, and each veth is created
// inside the first host with its peer placed straight into the second.
// Every namespace and name registers its undo in the runtime's cleanup
// ledger the moment it exists; closing the descriptors makes the
// namespaces and their veths vanish, and the kernel does the same when
// the process dies, even on SIGKILL.
//
// Commands run by Host.Exec live in a PID namespace of their host (package
// pidns), made on the host's first command: whatever they leave running,
// however they detached, is killed by the kernel when the host is torn
// down or when netlua dies, and inside they see the host's processes only.
// Teardown signals no process by number. Host.Start starts a command the
// same way without waiting for it: the Lua method host:spawn uses it, with
// the process handle the proc module shares (package childbind).
//
// Lab.PingAll (pingall.go) is Mininet's pingall from raw ICMP sockets in
// each host; Lab.Show and Lab.DOT (topology.go) describe the lab as text
// and as Graphviz DOT. With Config.Private each host gets private
// directories (private.go): a detached tmpfs that pidns clones over /run,
// /etc/hosts and the like in each command's mount namespace.
//
// Hosts and ends implement netns.Holder, so other modules take
// `netns = <host or end>` options through luabind.NetNSArg and
// luabind.NetNSOption without importing lab.
package lab
