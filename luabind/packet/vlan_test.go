package packet

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// vlanSrc is the source MAC of the frames the VLAN tests send, so that
// the sockets and tcpdump take those frames and nothing else the lab's
// stack sends.
const vlanSrc = "02:00:c6:12:99:01"

// vlanFrames are frames to b: tagged 802.1Q (VID 100; VID 200, priority
// 5; a priority tag, VID 0), 802.1ad over 802.1Q, and untagged, each
// with a UDP datagram to port 9999 or 7 in it. Frame i's IPv4 ID is i+1.
func vlanFrames(b *lab.End) [][]byte {
	id := byte(0)
	udp := func(port uint16) []byte {
		id++
		ip := []byte{0x45, 0, 0, 48, 0, id, 0, 0, 64, 17, 0, 0, 198, 18, 9, 1, 198, 18, 9, 2}
		binary.BigEndian.PutUint16(ip[10:], ipChecksum(ip))
		u := make([]byte, 28)
		binary.BigEndian.PutUint16(u[0:], 4000)
		binary.BigEndian.PutUint16(u[2:], port)
		binary.BigEndian.PutUint16(u[4:], 28)
		copy(u[8:], "vlan test payload...")
		return append(ip, u...)
	}
	src, _ := hex.DecodeString(strings.ReplaceAll(vlanSrc, ":", ""))
	frame := func(tags []byte, port uint16) []byte {
		f := append(append(append([]byte{}, b.MAC...), src...), tags...)
		return append(append(f, 0x08, 0x00), udp(port)...)
	}
	return [][]byte{
		frame([]byte{0x81, 0x00, 0x00, 0x64}, 9999),                         // VID 100
		frame([]byte{0x81, 0x00, 0xa0, 0xc8}, 9999),                         // VID 200, PCP 5
		frame([]byte{0x81, 0x00, 0x60, 0x00}, 7),                            // priority tag: VID 0, PCP 3
		frame([]byte{0x88, 0xa8, 0x01, 0x2c, 0x81, 0x00, 0x00, 0x64}, 9999), // S-VID 300, C-VID 100
		frame(nil, 9999),                         // untagged
		frame([]byte{0x81, 0x00, 0x00, 0x64}, 7), // VID 100, another port
	}
}

// ipChecksum is the IPv4 header checksum of h.
func ipChecksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// tcpdumpLive starts tcpdump -i on b's interface, writing the frames
// expr selects to a file in the test's directory until it has count of
// them. wait waits for it to end and returns the frames it wrote.
func tcpdumpLive(t *testing.T, b *lab.End, count int, expr string) (wait func() []record) {
	t.Helper()
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	file := filepath.Join(t.TempDir(), "tcpdump.pcap")
	// -Z root: write where the test can, without dropping to user tcpdump.
	cmd := exec.Command(tcpdump, "-i", b.Ifname, "-U", "-Z", "root", "-c", fmt.Sprint(count), "-w", file, expr)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	labtest.Start(t, b, cmd)
	lines := labtest.Collect(stderr)
	lines.WaitFor(t, "listening on "+b.Ifname, 10*time.Second)
	return func() []record {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("tcpdump: %v\n%s", err, lines)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("tcpdump did not end after %d frames\n%s", count, lines)
		}
		return readPcap(t, file)
	}
}

// readPcap reads every record of a pcap file.
func readPcap(t *testing.T, file string) []record {
	t.Helper()
	r, err := pcap.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []record
	for {
		data, rec, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return recs
		} else if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, record{data: bytes.Clone(data), length: rec.Len})
	}
}

// srcFilter is a filter that takes the frames from vlanSrc.
func srcFilter(t *testing.T) Config {
	prog, err := filter.Compile("ether src " + vlanSrc)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Filter: prog.Raw()}
}

// Frames keep their VLAN tags: recv, on() and capture (from the socket's
// queue and from the ring) hand the frames that tcpdump -i writes, which
// are the frames sent, the kernel having taken the outer tag out of them
// and libpcap having put it back.
func TestReceivedFramesKeepTheirVLANTag(t *testing.T) {
	a, b := pair(t)
	sent := vlanFrames(b)
	wire := tcpdumpLive(t, b, len(sent), "ether src "+vlanSrc)
	recvS, queuedS, ringS := openOn(t, b, srcFilter(t)), openOn(t, b, srcFilter(t)), openOn(t, b, srcFilter(t))
	ring := make(chan []record, 1)
	go func() { // a capture that has its tap before the frames come, so its ring gets them
		w := &memWriter{}
		if _, err := ringS.Capture(context.Background(), w, Limits{Count: len(sent), Duration: 10 * time.Second}); err != nil {
			t.Error(err)
		}
		ring <- w.recs
	}()
	var hexes []string
	for _, f := range sent {
		hexes = append(hexes, fmt.Sprintf("%q", hex.EncodeToString(f)))
	}
	// The Lua script sends the frames from a, once, 50 ms after on()
	// starts (and after the capture above took over), and prints what
	// on() gets.
	onOut := testlab.MustLua(t, fmt.Sprintf(`
		local packet, loop = require "packet", require "loop"
		local frames = { %s }
		local sa = packet.open("%s", { netns = "%s", proto = 0x88b6 })
		local sb = packet.open("%s", { netns = "%s", filter = "ether src %s" })
		local n = 0
		sb:on(function(bytes, info)
			print((bytes:gsub(".", function(c) return ("%%02x"):format(c:byte()) end)), info.len)
			n = n + 1
			if n == #frames then sb:close() end
		end)
		loop.after(0.05, function()
			for _, h in ipairs(frames) do
				sa:send((h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)))
			end
		end)
	`, strings.Join(hexes, ", "), a.Ifname, labtest.NSPath(a), b.Ifname, labtest.NSPath(b), vlanSrc), luaModules()...)

	want := wire()
	checkAsSent(t, "tcpdump -i", want, sent)
	var got []record
	for range sent {
		data, info, err := recvS.Recv(context.Background(), time.Second)
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		got = append(got, record{data: bytes.Clone(data), length: info.Len})
		if want := binary.BigEndian.Uint16(data[12:]); info.Proto != want {
			t.Errorf("recv: info.Proto %#04x, want %#04x as at byte 12", info.Proto, want)
		}
	}
	sameRecords(t, "recv", got, want)
	w := &memWriter{}
	if _, err := queuedS.Capture(context.Background(), w, Limits{Count: len(sent), Duration: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "capture of queued frames", w.recs, want)
	sameRecords(t, "capture from the ring", <-ring, want)
	var on []record
	for _, line := range strings.Split(strings.TrimSpace(onOut), "\n") {
		var h string
		var n int
		fmt.Sscan(line, &h, &n)
		data, _ := hex.DecodeString(h)
		on = append(on, record{data: data, length: n})
	}
	sameRecords(t, "on", on, want)
}

// checkAsSent checks that the frames tcpdump wrote are those sent, the
// first with 0x8100 and VID 100 at byte 12: what the test takes tcpdump's
// word for is what was on the wire.
func checkAsSent(t *testing.T, who string, recs []record, sent [][]byte) {
	t.Helper()
	if len(recs) != len(sent) {
		t.Fatalf("%s: %d frames, want %d", who, len(recs), len(sent))
	}
	for i, r := range recs {
		if !bytes.Equal(r.data, sent[i]) || r.length != len(sent[i]) {
			t.Errorf("%s: frame %d is % x (length %d)\nsent        % x", who, i, r.data, r.length, sent[i])
		}
	}
	if tpid, vid := binary.BigEndian.Uint16(recs[0].data[12:]), binary.BigEndian.Uint16(recs[0].data[14:])&0xfff; tpid != 0x8100 || vid != 100 {
		t.Errorf("%s: frame 0 has %#04x, VID %d at byte 12, want 0x8100, VID 100", who, tpid, vid)
	}
}

// sameRecords checks that got are the frames and lengths of want.
func sameRecords(t *testing.T, who string, got, want []record) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d frames, want %d", who, len(got), len(want))
		return
	}
	for i := range got {
		if !bytes.Equal(got[i].data, want[i].data) || got[i].length != want[i].length {
			t.Errorf("%s: frame %d is % x (length %d)\nwant           % x (length %d)", who, i, got[i].data, got[i].length, want[i].data, want[i].length)
		}
	}
}

// vlanEnd is the source MAC of the frame that ends a round of the filter
// test: untagged, not IP.
const vlanEnd = "02:00:c6:12:99:02"

// On a live socket, vlan filters select the frames that tcpdump -i
// selects with the same filter: the kernel has taken the outer tag out of
// each frame, so the filter must ask the kernel for it, as libpcap does.
func TestLiveVLANFilters(t *testing.T) {
	a, b := pair(t)
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	sent := vlanFrames(b)
	for _, expr := range []string{"vlan", "vlan 100", "vlan and udp port 9999"} {
		t.Run(strings.ReplaceAll(expr, " ", "_"), func(t *testing.T) {
			full := fmt.Sprintf("ether src %s or (ether src %s and %s)", vlanEnd, vlanSrc, expr)
			// -v prints each datagram's IPv4 ID, which names the frame.
			cmd := exec.Command(tcpdump, "-i", b.Ifname, "-l", "-nn", "-e", "-v", full)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = cmd.Stdout
			labtest.Start(t, b, cmd)
			out := labtest.Collect(stdout)
			out.WaitFor(t, "listening on "+b.Ifname, 10*time.Second)
			got := liveFilterRound(t, a, b, sent, full)
			out.WaitFor(t, vlanEnd, 10*time.Second)
			want := vlanIDs(out.String())
			if got != want || got == "" {
				t.Errorf("%q: netlua took frames %q, tcpdump -i %q\ntcpdump:\n%s", expr, got, want, out)
			}
		})
	}
}

// liveFilterRound opens a socket on b with filter expr from Lua, sends
// the frames and the end frame from a, and returns the IPv4 IDs of the
// frames the socket got before the end frame.
func liveFilterRound(t *testing.T, a, b *lab.End, sent [][]byte, expr string) string {
	var hexes []string
	for _, f := range sent {
		hexes = append(hexes, fmt.Sprintf("%q", hex.EncodeToString(f)))
	}
	end, _ := hex.DecodeString(strings.ReplaceAll(vlanEnd, ":", ""))
	endFrame := append(append(append([]byte{}, b.MAC...), end...), 0x88, 0xb5)
	endFrame = append(endFrame, make([]byte, 46)...)
	hexes = append(hexes, fmt.Sprintf("%q", hex.EncodeToString(endFrame)))
	out := testlab.MustLua(t, fmt.Sprintf(`
		local packet = require "packet"
		local frames = { %s }
		local sa = packet.open("%s", { netns = "%s", proto = 0x88b6 })
		local sb = packet.open("%s", { netns = "%s", filter = %q })
		for _, h in ipairs(frames) do
			sa:send((h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)))
		end
		while true do
			local bytes = sb:recv(5)
			if not bytes or bytes:byte(12) == 2 then break end -- the end frame
			-- the IPv4 ID: the last 0x0800 before the IP header says where it is
			local ip = bytes:find("\8\0\69", 13, true)
			print(ip and bytes:byte(ip + 7) or "?")
		end
	`, strings.Join(hexes, ", "), a.Ifname, labtest.NSPath(a), b.Ifname, labtest.NSPath(b), expr), luaModules()...)
	return strings.Join(strings.Fields(out), ",")
}

// vlanIDs are the IPv4 IDs tcpdump -v printed, in order.
func vlanIDs(out string) string {
	var ids []string
	for _, m := range regexp.MustCompile(`, id (\d+),`).FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1])
	}
	return strings.Join(ids, ",")
}
