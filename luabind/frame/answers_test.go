package frame

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"sort"
	"testing"
)

// An answerPair is a request and a candidate reply that Scapy labelled
// with reply.answers(request) (testdata/gen_answers.py).
type answerPair struct {
	Layer   string `json:"layer"`
	Request string `json:"request"`
	Reply   string `json:"reply"`
	Answers bool   `json:"answers"`
	// SameHash says whether Scapy's hashret() of the two is equal.
	SameHash bool `json:"same_hash"`
}

func loadAnswerPairs(tb testing.TB) []answerPair {
	tb.Helper()
	data, err := os.ReadFile("testdata/scapy_answers.json")
	if err != nil {
		tb.Fatal(err)
	}
	var pairs []answerPair
	if err := json.Unmarshal(data, &pairs); err != nil {
		tb.Fatalf("scapy_answers.json: %v", err)
	}
	return pairs
}

// parseHex parses a frame given in hex.
func parseHex(tb testing.TB, s string) *Packet {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return Parse(b)
}

// TestAnswersScapy checks that Answers agrees with Scapy's answers(), and
// Hashret with Scapy's hashret(), on every labelled pair, of which there
// are at least 300, a third negative.
func TestAnswersScapy(t *testing.T) {
	pairs := loadAnswerPairs(t)
	type count struct{ yes, no, wrong, hash int }
	per := map[string]*count{}
	negative := 0
	for i, p := range pairs {
		c := per[p.Layer]
		if c == nil {
			c = new(count)
			per[p.Layer] = c
		}
		if p.Answers {
			c.yes++
		} else {
			c.no++
			negative++
		}
		req, rep := parseHex(t, p.Request), parseHex(t, p.Reply)
		if got := Answers(rep, req); got != p.Answers {
			c.wrong++
			t.Errorf("pair %d (%s): Answers = %v, Scapy says %v\n  request %v\n  reply   %v",
				i, p.Layer, got, p.Answers, req.Layers, rep.Layers)
		}
		if got := Hashret(rep) == Hashret(req); got != p.SameHash {
			c.hash++
			t.Errorf("pair %d (%s): equal Hashret = %v, Scapy's hashret() equal = %v", i, p.Layer, got, p.SameHash)
		}
	}
	names := make([]string, 0, len(per))
	for name := range per {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := per[name]
		t.Logf("%-16s %3d answers, %3d not, %d disagree, %d hashret disagree", name, c.yes, c.no, c.wrong, c.hash)
	}
	t.Logf("%d pairs, %d negative", len(pairs), negative)
	if len(pairs) < 300 || 3*negative < len(pairs) {
		t.Fatalf("%d pairs with %d negative: want at least 300, a third negative", len(pairs), negative)
	}
}

// BenchmarkAnswers matches Scapy's first answering ICMP echo pair and
// first SYN/SYN-ACK pair, and hashes both of each (two Hashret calls).
func BenchmarkAnswers(b *testing.B) {
	pairs := loadAnswerPairs(b)
	for _, c := range []struct {
		name, layer string
		want        func(rep *Packet) bool
	}{
		{"icmp-echo", "icmp4", func(*Packet) bool { return true }},
		{"tcp-syn-synack", "tcp", func(rep *Packet) bool {
			l := rep.Layer("tcp")
			return l != nil && l.Uint(tcpFlags) == tcpSYN|tcpACK
		}},
	} {
		var req, rep *Packet
		for _, p := range pairs {
			if p.Layer == c.layer && p.Answers {
				if req, rep = parseHex(b, p.Request), parseHex(b, p.Reply); c.want(rep) {
					break
				}
				req = nil
			}
		}
		if req == nil {
			b.Fatalf("no answering %s pair in the vectors", c.name)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !Answers(rep, req) {
					b.Fatal("no answer")
				}
			}
		})
		b.Run(c.name+"-hashret", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if Hashret(rep) != Hashret(req) {
					b.Fatal("hashes differ")
				}
			}
		})
	}
}
