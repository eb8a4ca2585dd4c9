package rawip

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// replyLine is a line of ping's output for a reply.
var replyLine = regexp.MustCompile(`(?m)^64 bytes from (\S+): icmp_seq=(\d) ttl=64 time=\d+\.\d{3} ms$`)

var rttLine = regexp.MustCompile(`(?m)^rtt min/avg/max/mdev = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms$`)

func TestPingScript(t *testing.T) {
	a, b := labtest.Pair(t)
	tests := []struct {
		name, host, from, head string
	}{
		{"IPv4", b.Addr.Addr().String(), b.Addr.Addr().String(), "PING 198.18.0.2 (198.18.0.2) 56(84) bytes of data.\n"},
		{"IPv6", "::1", "::1", "PING ::1(::1) 56 data bytes\n"},
		{"name", "localhost", "127.0.0.1", "PING localhost (127.0.0.1) 56(84) bytes of data.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := labtest.RunNetlua(t, a, labtest.Script("ping.lua"), tt.host, "3", "0.2")
			replies := replyLine.FindAllStringSubmatch(out, -1)
			if code != 0 || !strings.HasPrefix(out, tt.head) || len(replies) != 3 || !rttLine.MatchString(out) ||
				!strings.Contains(out, "\n--- "+tt.host+" ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time ") {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
			for i, r := range replies {
				if r[1] != tt.from || r[2] != fmt.Sprint(i+1) {
					t.Errorf("reply %d: %q", i+1, r[0])
				}
			}
		})
	}
}

// Pings nobody answers are lost; ping's exit status is then 1.
func TestPingScriptLoss(t *testing.T) {
	a, _ := labtest.Pair(t)
	out, code := labtest.RunNetlua(t, a, labtest.Script("ping.lua"), "198.18.0.99", "2", "0.2")
	if code != 1 || !strings.Contains(out, "2 packets transmitted, 0 received, 100% packet loss") || strings.Contains(out, "rtt") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

// raw_send.lua's hand-built packet reaches a UDP socket on the peer, from
// the address of the route, to port 5500 or the one given.
func TestRawSendScript(t *testing.T) {
	a, b := labtest.Pair(t)
	for _, port := range []string{"", "6000"} {
		t.Run("port "+port, func(t *testing.T) {
			want := 5500
			args := []string{labtest.Script("raw_send.lua"), b.Addr.Addr().String()}
			if port != "" {
				want = 6000
				args = append(args, port)
			}
			conn := listenUDP(t, b.NetNS().Do, want)
			out, code := labtest.RunNetlua(t, a, args...)
			line := fmt.Sprintf("Sent 58 bytes: IPv4 %s > %s, ttl 64, id 1, UDP 40000 > %d, 30 bytes of payload: \"Hello from netlua's raw socket\"\n", a.Addr.Addr(), b.Addr.Addr(), want)
			if code != 0 || out != line {
				t.Errorf("exit %d, output %q, want %q", code, out, line)
			}
			buf := make([]byte, 100)
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			n, from, err := conn.ReadFrom(buf)
			if err != nil || string(buf[:n]) != "Hello from netlua's raw socket" || from.String() != a.Addr.Addr().String()+":40000" {
				t.Errorf("b received %q from %v: %v", buf[:n], from, err)
			}
		})
	}
}

// listenUDP opens a UDP socket on port inside a namespace (do runs a
// function there), closed when the test ends.
func listenUDP(t *testing.T, do func(func() error) error, port int) net.PacketConn {
	t.Helper()
	var conn net.PacketConn
	err := do(func() (err error) {
		conn, err = net.ListenPacket("udp4", fmt.Sprintf(":%d", port))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// icmp_recv.lua prints the pings it sees, until ^C.
func TestICMPRecvScript(t *testing.T) {
	a, b := labtest.Pair(t)
	for _, device := range []string{"", b.Ifname} {
		t.Run("device "+device, func(t *testing.T) {
			args := []string{labtest.Script("icmp_recv.lua")}
			head := "Listening for ICMP..."
			if device != "" {
				args, head = append(args, device), "Listening for ICMP on "+device+"..."
			}
			n := labtest.StartNetlua(t, b, args...)
			n.Out.WaitFor(t, head, 10*time.Second)
			labtest.Run(t, a, "", "ping", "-c", "2", "-i", "0.2", b.Addr.Addr().String())
			for seq := 1; seq <= 2; seq++ {
				n.Out.WaitFor(t, fmt.Sprintf("ICMP echo request from %s to %s: type 8 code 0, id ", a.Addr.Addr(), b.Addr.Addr()), 5*time.Second)
				n.Out.WaitFor(t, fmt.Sprintf(" seq %d, ttl 64, 84 bytes", seq), 5*time.Second)
			}
			n.Interrupt(t)
		})
	}
}

func TestScriptsNeedArguments(t *testing.T) {
	for _, name := range []string{"ping.lua", "raw_send.lua"} {
		res := testlab.Run(t, "", "scripts/"+name)
		if res.Code != 2 || !strings.Contains(res.Stderr, "usage: netlua scripts/"+name) {
			t.Errorf("%s without arguments: exit %d\n%s", name, res.Code, res.Stderr)
		}
	}
}

// Without CAP_NET_RAW, rawip.open says what it needs and how to get it.
func TestOpenNeedsPrivilege(t *testing.T) {
	testlab.Privileged(t) // root is needed to switch to nobody
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, testlab.Binary(t), "-e", `require("rawip").open{ proto = "icmp" }`)
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	want := "rawip.open: icmp: operation not permitted: needs root or CAP_NET_RAW (sudo netlua ..., or sudo setcap cap_net_raw,cap_net_admin+ep "
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), want) {
		t.Errorf("got %v\n%s\nwant exit 1 and %q", err, out, want)
	}
}
