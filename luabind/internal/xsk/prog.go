package xsk

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/caps"
)

// A Redirect is the receive side's XDP program on an interface: it sends
// each frame of a queue that has a socket in its XSKMAP to that socket,
// and passes the others on to the kernel's stack. It is attached with a
// bpf_link, so the kernel detaches it when its last file descriptor
// closes: at Close, or when the process ends however it ends.
type Redirect struct {
	xsks *ebpf.Map
	prog *ebpf.Program
	link link.Link
}

// xdpPass is XDP_PASS, the action bpf_redirect_map takes for a queue
// with no socket, given in its flags' low bits.
const xdpPass = 2

// instructions are the program, in the kernel's instruction set (no C
// compiler at build time):
//
//	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
func instructions(xsks *ebpf.Map) asm.Instructions {
	return asm.Instructions{
		asm.LoadMem(asm.R2, asm.R1, 16, asm.Word), // struct xdp_md's rx_queue_index
		asm.LoadMapPtr(asm.R1, xsks.FD()),
		asm.Mov.Imm(asm.R3, xdpPass),
		asm.FnRedirectMap.Call(),
		asm.Return(),
	}
}

// NewRedirect loads the program with an XSKMAP of queues entries and
// attaches it to the interface ifindex (of the calling thread's network
// namespace), in the driver's mode where it has one, else the generic one.
func NewRedirect(ifindex, queues int) (*Redirect, error) {
	// Checked first: the kernel's EPERM comes back from cilium/ebpf with
	// a guess about RLIMIT_MEMLOCK, which kernels since 5.11 do not use.
	if !caps.Have(caps.BPF) && !caps.Have(caps.SysAdmin) {
		return nil, privileged("load an XDP program", unix.EPERM)
	}
	xsks, err := ebpf.NewMap(&ebpf.MapSpec{Name: "netlua_xsks", Type: ebpf.XSKMap, KeySize: 4, ValueSize: 4, MaxEntries: uint32(queues)})
	if err != nil {
		return nil, privileged("create the XSKMAP", err)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Name: "netlua_xsk", Type: ebpf.XDP, License: "GPL", Instructions: instructions(xsks)})
	if err != nil {
		xsks.Close()
		return nil, privileged("load the XDP program", err)
	}
	r := &Redirect{xsks: xsks, prog: prog}
	r.link, err = link.AttachXDP(link.XDPOptions{Program: prog, Interface: ifindex})
	if err != nil {
		r.Close()
		return nil, attachError(err)
	}
	return r, nil
}

// Add sends the frames of queue to the socket s.
func (r *Redirect) Add(queue int, s *Socket) error {
	if err := r.xsks.Put(uint32(queue), uint32(s.fd)); err != nil {
		return fmt.Errorf("xskmap: queue %d: %w", queue, err)
	}
	return nil
}

// Close detaches the program and frees it and its map.
func (r *Redirect) Close() error {
	var errs []error
	if r.link != nil {
		errs = append(errs, r.link.Close())
	}
	errs = append(errs, r.prog.Close(), r.xsks.Close())
	return errors.Join(errs...)
}

// privileged names the capabilities a refusal to load calls for:
// CAP_BPF, which CAP_SYS_ADMIN includes (and netlua's setcap line has).
func privileged(what string, err error) error {
	if errors.Is(err, unix.EPERM) {
		return &caps.Error{Need: caps.SysAdmin, Err: fmt.Errorf("%s (needs CAP_BPF or CAP_SYS_ADMIN): %w", what, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// attachError says why the kernel refused to attach the program.
func attachError(err error) error {
	switch {
	case errors.Is(err, unix.EPERM):
		return fmt.Errorf("attach XDP program: %w (needs CAP_NET_ADMIN)", err)
	case errors.Is(err, unix.EBUSY) || errors.Is(err, unix.EEXIST):
		return fmt.Errorf("attach XDP program: %w (the interface has another XDP program)", err)
	case errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EINVAL):
		return fmt.Errorf("attach XDP program: %w (the driver has no XDP support)", err)
	}
	return fmt.Errorf("attach XDP program: %w", err)
}
