package lab

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/netlua/netlua/luabind/internal/caps"
)

// Sysctl reads the sysctl name in the host's namespace: a net.* name
// such as net.ipv4.ip_forward (or net/ipv4/ip_forward, for names whose
// parts hold dots, like net/ipv4/conf/veth0.100/rp_filter). The value
// comes without its trailing newline.
func (h *Host) Sysctl(name string) (string, error) {
	path, err := sysctlPath(name)
	if err != nil {
		return "", err
	}
	var b []byte
	err = h.ns.Do(func() (err error) {
		b, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		return "", sysctlError(err)
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}

// SetSysctl writes value to the sysctl name in the host's namespace,
// as `sysctl -w` would inside it, with no program run: it works under
// setcap, where the children of exec have no capabilities.
func (h *Host) SetSysctl(name, value string) error {
	path, err := sysctlPath(name)
	if err != nil {
		return err
	}
	err = h.ns.Do(func() error {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteString(value)
		return errors.Join(err, f.Close())
	})
	return sysctlError(err)
}

// Forward turns IPv4 and IPv6 forwarding in the host on or off; IPv6
// only where the kernel has it (ipv6.disable=1 removes its sysctls).
func (h *Host) Forward(on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	if err := h.SetSysctl("net.ipv4.ip_forward", v); err != nil {
		return err
	}
	err := h.SetSysctl("net.ipv6.conf.all.forwarding", v)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// sysctlPath is the /proc/sys file of a sysctl name. Only net.* names
// belong to a network namespace: any other would reach the whole
// machine, so they are refused.
func sysctlPath(name string) (string, error) {
	rel := name
	if !strings.Contains(name, "/") {
		rel = strings.ReplaceAll(name, ".", "/")
	}
	parts := strings.Split(rel, "/")
	if len(parts) < 2 || parts[0] != "net" {
		return "", fmt.Errorf("%q is not a net.* sysctl: only those belong to a host", name)
	}
	for _, p := range parts {
		if p == "" || p == "." || p == ".." {
			return "", fmt.Errorf("%q is not a sysctl name", name)
		}
	}
	return "/proc/sys/" + rel, nil
}

// sysctlError is err, said plainly when the sysctl does not exist, and
// naming CAP_NET_ADMIN when the kernel refused: a /proc/sys/net file
// obeys whoever holds that capability in the namespace, not its mode.
func sysctlError(err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist) && errors.As(err, &pe):
		return noSysctl{pe.Path}
	case errors.Is(err, fs.ErrPermission) && errors.As(err, &pe):
		return &caps.Error{Need: caps.NetAdmin, Err: err}
	}
	return err
}

// A noSysctl is the error for a sysctl the kernel does not have, at
// path. It matches fs.ErrNotExist.
type noSysctl struct{ path string }

func (e noSysctl) Error() string        { return "no such sysctl (" + e.path + ")" }
func (e noSysctl) Is(target error) bool { return target == fs.ErrNotExist }
