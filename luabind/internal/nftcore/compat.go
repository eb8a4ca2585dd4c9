package nftcore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/google/nftables/expr"
	"github.com/google/nftables/xt"
	"golang.org/x/sys/unix"
)

// An xtExt is an iptables extension that rules use through nft_compat, and
// what the kernel needs for it.
type xtExt struct {
	Name   string // "string"
	Rev    uint32 // the revision whose info layout this file writes
	Target bool   // a target (NFQUEUE) rather than a match (string)
	What   string // what users call it: "the xt string match"
	Config string // the kernel option: CONFIG_NETFILTER_XT_MATCH_STRING
	Module string // its module: xt_string
}

var (
	xtString = xtExt{Name: "string", Rev: 1, What: "the xt string match (for contains)",
		Config: "CONFIG_NETFILTER_XT_MATCH_STRING", Module: "xt_string"}
	xtNFQueue = xtExt{Name: "NFQUEUE", Rev: 3, Target: true, What: "the xt NFQUEUE target (for queues)",
		Config: "CONFIG_NETFILTER_XT_TARGET_NFQUEUE", Module: "xt_NFQUEUE"}
)

// The layout of struct xt_string_info (uapi/linux/netfilter/xt_string.h):
// from and to offsets, the algorithm's name, the pattern, its length and
// flags, then the kernel's private pointer, aligned to 8 bytes.
const (
	stringAlgoSize  = 16
	stringInfoSize  = 160 // XT_ALIGN(sizeof(struct xt_string_info)) on 64-bit
	stringPattern   = 4 + stringAlgoSize
	stringPatlen    = stringPattern + MaxContains
	stringAlgorithm = "bm" // Boyer-Moore, iptables' usual choice
)

// stringMatch is the xt string match (revision 1) looking for pattern
// anywhere from the network header (offset 0) to the end (65535). The
// info is in host byte order, as xtables structures are.
func stringMatch(pattern []byte) expr.Any {
	info := make([]byte, stringInfoSize)
	binary.NativeEndian.PutUint16(info[2:], 0xffff) // to_offset
	copy(info[4:], stringAlgorithm)
	copy(info[stringPattern:], pattern)
	info[stringPatlen] = byte(len(pattern))
	data := xt.Unknown(info)
	return &expr.Match{Name: xtString.Name, Rev: xtString.Rev, Info: &data}
}

// queueTarget is the xt NFQUEUE target (revision 3, struct xt_NFQ_info_v3)
// sending packets to queue num, with the bypass flag: while no program
// listens on the queue, packets pass instead of being dropped.
func queueTarget(num uint16) expr.Any {
	const bypass = 0x1 // NFQ_FLAG_BYPASS
	info := make([]byte, 8)
	binary.NativeEndian.PutUint16(info[0:], num)
	binary.NativeEndian.PutUint16(info[2:], 1) // queues_total
	binary.NativeEndian.PutUint16(info[4:], bypass)
	data := xt.Unknown(info)
	return &expr.Target{Name: xtNFQueue.Name, Rev: xtNFQueue.Rev, Info: &data}
}

// queueExpr is the native nft queue expression, for kernels with
// CONFIG_NFT_QUEUE, with the same bypass flag.
func queueExpr(num uint16) expr.Any {
	return &expr.Queue{Num: num, Total: 1, Flag: expr.QueueFlagBypass}
}

// A KernelError says what the running kernel lacks for a rule, with the
// kernel option (and module) that would provide it.
type KernelError struct {
	What   string // "the xt string match (for contains)"
	Config string // CONFIG_NETFILTER_XT_MATCH_STRING
	Module string // xt_string
	Err    error  // the kernel's answer
}

// Error names what is missing and the kernel option that provides it.
func (e *KernelError) Error() string {
	return fmt.Sprintf("the kernel lacks %s: it needs %s (module %s): %v", e.What, e.Config, e.Module, e.Err)
}

// Unwrap returns the kernel's answer.
func (e *KernelError) Unwrap() error { return e.Err }

// checkCompat asks the kernel whether it has ext through nft_compat. When
// it does not, it loads the modules (where the kernel has modules) and
// asks again; it returns a KernelError naming what is missing.
func checkCompat(c *Conn, ext xtExt) error {
	err := queryCompat(c, ext)
	if err != nil && !errors.Is(err, os.ErrPermission) && LoadModules("nft_compat", ext.Module) {
		err = queryCompat(c, ext)
	}
	if err == nil || errors.Is(err, os.ErrPermission) || errors.Is(err, ErrClosed) {
		return err
	}
	switch {
	case errors.Is(err, unix.ENOENT):
		return &KernelError{What: ext.What, Config: ext.Config, Module: ext.Module, Err: err}
	case errors.Is(err, unix.EPROTONOSUPPORT):
		return &KernelError{What: fmt.Sprintf("%s at revision %d", ext.What, ext.Rev), Config: ext.Config, Module: ext.Module, Err: err}
	}
	// No nft_compat subsystem: nfnetlink answers EINVAL (or EOPNOTSUPP).
	return &KernelError{What: "nft_compat, the bridge to iptables extensions, for " + ext.What,
		Config: "CONFIG_NFT_COMPAT", Module: "nft_compat", Err: err}
}

// queryCompat asks nft_compat about ext once.
func queryCompat(c *Conn, ext xtExt) error {
	m, err := compatGetMsg(ext.Name, ext.Rev, ext.Target)
	if err != nil {
		return err
	}
	return c.queryRaw(m)
}

// LoadModules runs modprobe for the modules when the kernel has loadable
// modules and modprobe exists, and reports whether it ran. The kernel
// usually loads them by itself; this helps where autoloading is off.
func LoadModules(modules ...string) bool {
	if _, err := os.Stat("/proc/modules"); err != nil {
		return false
	}
	path, err := exec.LookPath("modprobe")
	if err != nil {
		return false
	}
	for _, m := range modules {
		_ = exec.Command(path, "-q", m).Run() // the second query says what is still missing
	}
	return true
}
