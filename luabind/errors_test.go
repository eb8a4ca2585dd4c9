package luabind

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
		not  []string
	}{
		{"plain", &OpError{Op: "packet.open", Object: "eth9", Err: errors.New("no such interface (have: lo, veth0)")},
			[]string{"packet.open: eth9: no such interface (have: lo, veth0)"}, []string{"needs root"}},
		{"permission", &OpError{Op: "packet.open", Object: "veth0", Err: syscall.EPERM, Need: "CAP_NET_RAW"},
			[]string{"packet.open: veth0: operation not permitted: needs root or CAP_NET_RAW", "setcap cap_net_raw,cap_net_admin+ep"}, nil},
		{"access, wrapped", fmt.Errorf("context: %w", &OpError{Op: "lab.pair", Err: syscall.EACCES, Need: "CAP_SYS_ADMIN"}),
			[]string{"lab.pair: permission denied: needs root or CAP_SYS_ADMIN", "setcap cap_net_raw,cap_net_admin,cap_sys_admin+ep"}, nil},
		{"setns names CAP_SYS_ADMIN whatever the module's need", &OpError{Op: "packet.open", Object: "lo",
			Err: fmt.Errorf("netns.do: %w", os.NewSyscallError("setns", syscall.EPERM)), Need: "CAP_NET_RAW"},
			[]string{"setns: operation not permitted: needs root or CAP_SYS_ADMIN", "setcap cap_net_raw,cap_net_admin,cap_sys_admin+ep"}, nil},
		{"a file's permissions are no capability", &OpError{Op: "pcap.writer", Object: "/root/x.pcap",
			Err: &os.PathError{Op: "open", Path: "/root/x.pcap", Err: syscall.EACCES}, Need: "CAP_NET_ADMIN"},
			[]string{"pcap.writer: /root/x.pcap: open /root/x.pcap: permission denied"}, []string{"needs root", "CAP_"}},
		{"no need named", &OpError{Op: "pcap.writer", Err: os.ErrPermission},
			[]string{"pcap.writer: permission denied"}, []string{"needs root", "CAP_"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := Message(tt.err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(msg, w) {
					t.Errorf("%q has %q", msg, w)
				}
			}
		})
	}
}

func TestOpErrorUnwraps(t *testing.T) {
	err := fmt.Errorf("x: %w", &OpError{Op: "a.b", Err: syscall.ENOENT})
	if !errors.Is(err, os.ErrNotExist) {
		t.Error("errors.Is does not reach the cause")
	}
}
