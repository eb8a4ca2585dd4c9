package packet

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// recv.lua in b prints what send.lua in a sends, what b sends itself,
// and a UDP datagram's payload length; it ends on ^C.
func TestSendRecvScripts(t *testing.T) {
	a, b := pair(t)
	bin := testlab.Binary(t)
	recv := labtest.StartNetlua(t, b, labtest.Script("recv.lua"), b.Ifname)
	lines := recv.Out
	lines.WaitFor(t, "Waiting to recvfrom...", 10*time.Second)

	out := labtest.Run(t, a, "", bin, labtest.Script("send.lua"), a.Ifname, b.MAC.String(), b.Addr.Addr().String())
	for _, want := range []string{
		fmt.Sprintf("( veth0 )  MAC address = %s\n", a.MAC),
		fmt.Sprintf("Sent 66 bytes: %s > %s, IPv4 %s > %s, 32 bytes of payload\n", a.MAC, b.MAC, a.Addr.Addr(), b.Addr.Addr()),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("send.lua output lacks %q:\n%s", want, out)
		}
	}
	hex := fmt.Sprintf("%s %s 08 00 45 00 00 34 00 01 00 00 40 fd", spaced(b.MAC), spaced(a.MAC))
	for _, want := range []string{"  Got packet 66 bytes", "Destination  MAC address = " + b.MAC.String(),
		"Source IP: " + a.Addr.Addr().String(), " My IP: " + b.Addr.Addr().String(), hex,
		" 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f "} {
		lines.WaitFor(t, want, 5*time.Second)
	}

	labtest.Run(t, b, "", bin, labtest.Script("send.lua"), b.Ifname)
	lines.WaitFor(t, "Destination  MAC address = 52:54:00:cf:ab:76\nSource IP: "+b.Addr.Addr().String()+"\n My IP: "+b.Addr.Addr().String()+"\nbut I sent it :(", 5*time.Second)

	udp := `local packet, f = require "packet", require "frame"
		local s = packet.open(arg[1])
		s:send(f.build{ f.ether{ src = s.mac, dst = arg[2] }, f.ipv4{ src = s.ip, dst = arg[3] }, f.udp{ sport = 4000, dport = 5000 }, "hello" })`
	labtest.Run(t, a, "", bin, "-e", udp, a.Ifname, b.MAC.String(), b.Addr.Addr().String())
	lines.WaitFor(t, "UDP payload length: 5", 5*time.Second)
	recv.Interrupt(t)
}

// spaced is a MAC as the seed prints bytes: "02 00 c6 12 00 01".
func spaced(mac fmt.Stringer) string { return strings.ReplaceAll(mac.String(), ":", " ") }

// on() callbacks run through the loop, and ^C ends the script cleanly:
// deferred functions run and the exit status is 130.
func TestOnEndsWithSIGINT(t *testing.T) {
	a, b := pair(t)
	code := `local packet, loop = require "packet", require "loop"
		local s = packet.open(arg[1], { proto = 0x88b5 })
		local n = 0
		s:on(function(bytes, info) n = n + 1; print("frame", n, #bytes, info.pkttype) end)
		loop.defer(function() print("deferred after", n, "frames") end)
		print("ready")`
	n := labtest.StartNetlua(t, b, "-e", code, b.Ifname)
	lines := n.Out
	lines.WaitFor(t, "ready", 10*time.Second)
	sa := openOn(t, a, Config{Proto: 0x88b6})
	for i := range 3 {
		sa.Send(context.Background(), labtest.Frame(a, b, byte(i)))
	}
	lines.WaitFor(t, "frame\t3\t64\thost", 5*time.Second)
	n.Interrupt(t)
	lines.WaitFor(t, "deferred after\t3\tframes", 5*time.Second)
}

// Without CAP_NET_RAW, packet.open says what it needs and how to get it.
func TestOpenNeedsPrivilege(t *testing.T) {
	testlab.Privileged(t) // root is needed to switch to nobody
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, testlab.Binary(t), "-e", `require("packet").open("lo")`)
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	want := "packet.open: lo: operation not permitted: needs root or CAP_NET_RAW (sudo netlua ..., or sudo setcap cap_net_raw,cap_net_admin+ep "
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), want) {
		t.Errorf("got %v\n%s\nwant exit 1 and %q", err, out, want)
	}
}
