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

// TestAnswersCustomHook checks that a defined protocol answers as
// Scapy's Packet.answers by default (the same protocol, payloads
// answering) and by its Proto.Answers when it has one.
func TestAnswersCustomHook(t *testing.T) {
	reg := NewRegistry()
	ping, err := reg.Define("ping", []FieldSpec{{Name: "id", Bits: 16}, {Name: "kind", Bits: 8}})
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"sport", "dport"} {
		if err := reg.Bind(UDP, field, 7777, ping); err != nil {
			t.Fatal(err)
		}
	}
	frame := func(src, dst string, sport, dport, id, kind int) *Packet {
		ip, udp, pl := NewLayer(IPv4), NewLayer(UDP), NewLayer(ping)
		for _, err := range []error{ip.Set("src", src), ip.Set("dst", dst), udp.Set("sport", sport),
			udp.Set("dport", dport), pl.Set("id", id), pl.Set("kind", kind)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		p := new(Packet)
		reg.Parse(p, Build(NewLayer(Ether), ip, udp, pl), Ether)
		if p.Layer("ping") == nil {
			t.Fatalf("no ping layer in %v", p.Layers)
		}
		return p
	}
	req := frame("198.18.0.1", "198.18.0.2", 40000, 7777, 5, 1)
	same := frame("198.18.0.2", "198.18.0.1", 7777, 40000, 5, 2)
	other := frame("198.18.0.2", "198.18.0.1", 7777, 40000, 6, 2)
	if !Answers(same, req) || !Answers(other, req) {
		t.Errorf("without a rule, a ping should answer a ping: %v %v", Answers(same, req), Answers(other, req))
	}
	idField, _ := ping.Field("id")
	ping.Answers = func(self, other *Layer) bool { return self.Uint(idField) == other.Uint(idField) }
	if !Answers(same, req) || Answers(other, req) {
		t.Errorf("with a rule on id: same id %v (want true), other id %v (want false)", Answers(same, req), Answers(other, req))
	}
}
