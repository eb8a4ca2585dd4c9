package frame

import (
	"testing"
)

// echoPair is an ICMP echo request of seq and its reply, Ether/IPv4/ICMP.
func echoPair(b *testing.B, seq int) (req, rep []byte) {
	ether := mustLayer(b, Ether, "src", "02:00:c6:12:00:01", "dst", "02:00:c6:12:00:02")
	ip := mustLayer(b, IPv4, "src", "198.18.0.1", "dst", "198.18.0.2")
	icmp := mustLayer(b, ICMPv4, "type", 8, "id", 7, "seq", seq)
	req = Build(ether, ip, icmp)
	ether = mustLayer(b, Ether, "src", "02:00:c6:12:00:02", "dst", "02:00:c6:12:00:01")
	ip = mustLayer(b, IPv4, "src", "198.18.0.2", "dst", "198.18.0.1")
	icmp = mustLayer(b, ICMPv4, "type", 0, "id", 7, "seq", seq)
	return req, Build(ether, ip, icmp)
}

// BenchmarkRequestsMatch is the work of sr per reply: parse it, hash it,
// look its bucket up among 1000 requests and match it with Answers. It
// must not allocate.
func BenchmarkRequestsMatch(b *testing.B) {
	r := &Requests{st: newState(), first: Ether}
	buckets := map[uint64][]int{}
	var replies [][]byte
	for seq := range 1000 {
		req, rep := echoPair(b, seq)
		r.Frames = append(r.Frames, req)
		replies = append(replies, rep)
	}
	r.pkts = make([]Packet, len(r.Frames))
	for i, f := range r.Frames {
		r.st.reg.Parse(&r.pkts[i], f, Ether)
		buckets[r.Request(i)] = append(buckets[r.Request(i)], i)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		h, _ := r.Reply(replies[n%len(replies)])
		found := false
		for _, i := range buckets[h] {
			if r.Answers(i) {
				found = true
				break
			}
		}
		if !found {
			b.Fatalf("reply %d matched no request", n%len(replies))
		}
		n++
	}
}
