package frame

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// jumboVectors are jumbograms and BIG TCP packets Scapy built
// (gen_mcast.py jumbo).
const jumboVectors = "testdata/scapy_jumbo.json"

// TestJumboVectors builds Scapy's jumbograms and BIG TCP packets byte for
// byte and parses them to the fields Scapy read: a jumbogram's TCP layer
// (Scapy, whose jumbo length is read in x86's byte order, takes these
// frames to their end, as the RFC's length does), a BIG TCP packet's
// empty payload.
func TestJumboVectors(t *testing.T) {
	checkListVectors(t, jumboVectors, "ipv6")
}

// TestJumboTcpdump writes the jumbo vectors to a capture and reads it with
// tcpdump: where tcpdump decodes TCP (a valid jumbogram), parse has the
// same ports; where it says the TCP header is cut ([|tcp], BIG TCP),
// parse has no tcp layer.
func TestJumboTcpdump(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Skip("tcpdump not installed")
	}
	vs := readVectors(t, jumboVectors)
	var frames [][]byte
	for _, v := range vs {
		if v.Layers[0]["layer"] != "ether" {
			continue
		}
		data, _ := hex.DecodeString(v.Hex)
		frames = append(frames, data)
	}
	lines := tcpdumpLines(t, tcpdump, 1, frames)
	decoded, cut, invalid := 0, 0, 0
	for i, line := range lines {
		p := Parse(frames[i])
		tcp := p.Layer("tcp")
		switch {
		case strings.Contains(line, "[|tcp]"):
			cut++
			if tcp != nil {
				t.Errorf("frame %d: tcpdump %q, parse has %s", i, line, layerNames(p))
			}
		case strings.Contains(line, "Flags ["):
			decoded++
			if tcp == nil {
				t.Errorf("frame %d: tcpdump %q, parse has %s (%v)", i, line, layerNames(p), p.Err)
				continue
			}
			if ports := tcp.Text(tcpSport) + " > " + tcp.Text(tcpDport) + ":"; !strings.Contains(line, ports) {
				t.Errorf("frame %d: tcpdump %q, parse's ports %s", i, line, ports)
			}
			// A whole jumbogram: the TCP payload tcpdump counts is parse's.
			if n := fmt.Sprintf("length %d", len(p.Payload)); !strings.Contains(line, "missing") && !strings.Contains(line, n) {
				t.Errorf("frame %d: tcpdump %q, parse's payload %s", i, line, n)
			}
		case strings.Contains(line, "No valid Jumbo Payload"): // the hop-by-hop header, no further
			invalid++
			if p.Layer("ipv6_hbh") == nil || tcp != nil {
				t.Errorf("frame %d: tcpdump %q, parse has %s", i, line, layerNames(p))
			}
		default:
			t.Errorf("frame %d: tcpdump %q: neither TCP nor [|tcp]", i, line)
		}
	}
	if decoded < 10 || cut < 5 || invalid < 5 {
		t.Errorf("tcpdump decoded %d jumbograms, cut %d BIG TCP packets, found %d without a jumbo option, want 10, 5 and 5 or more",
			decoded, cut, invalid)
	}
}

// tcpdumpLines writes frames of link type lt to a capture and returns
// the line tcpdump -nn prints for each.
func tcpdumpLines(t *testing.T, tcpdump string, lt uint32, frames [][]byte) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "frames.pcap")
	if err := os.WriteFile(file, pcapFileOf(lt, frames), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tcpdump, "-nn", "-r", file).Output()
	if err != nil {
		t.Fatalf("tcpdump: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(frames) {
		t.Fatalf("link type %d: tcpdump printed %d lines for %d frames:\n%s", lt, len(lines), len(frames), out)
	}
	return lines
}

// pcapFileOf is a classic pcap capture of frames of link type lt.
func pcapFileOf(lt uint32, frames [][]byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = le.AppendUint32(le.AppendUint32(b, 0), 0)
	b = le.AppendUint32(le.AppendUint32(b, 1<<18), lt) // snaplen, link type
	for i, f := range frames {
		b = le.AppendUint32(le.AppendUint32(b, uint32(i)), 0)
		b = le.AppendUint32(le.AppendUint32(b, uint32(len(f))), uint32(len(f)))
		b = append(b, f...)
	}
	return b
}
