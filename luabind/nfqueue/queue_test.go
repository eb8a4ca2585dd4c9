package nfqueue

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/nftcore"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// These tests need root; each works inside lab namespaces of its own.

// queueIn opens a queue in b and a rule in b's table that queues UDP to
// port, both closed after the test.
func queueIn(t *testing.T, b *lab.End, port uint16) *Queue {
	t.Helper()
	q, err := Open(b.NetNS(), func(err error) { t.Errorf("consumer: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	rule(t, b, port, nftcore.QueueTo(q.Num()))
	return q
}

// rule adds a rule for UDP to port in b, with action a.
func rule(t *testing.T, b *lab.End, port uint16, a nftcore.Action) *nftcore.Rule {
	t.Helper()
	c, err := nftcore.Dial(b.NetNS())
	if err != nil {
		t.Fatal(err)
	}
	tb := nftcore.NewTable(c, false)
	t.Cleanup(func() { tb.Close() })
	r, err := tb.Add(nftcore.Match{Proto: unix.IPPROTO_UDP, Dport: nftcore.Port(port)}, a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// take waits until n packets have come, for at most 5 s.
func take(t *testing.T, q *Queue, n int) []Packet {
	t.Helper()
	var got []Packet
	deadline := time.After(5 * time.Second)
	for len(got) < n {
		select {
		case <-q.Ready():
			got = append(got, q.Take(nil)...)
		case <-deadline:
			t.Fatalf("%d packets of %d came", len(got), n)
		}
	}
	return got
}

// waitCounted waits until rule r has seen n packets, for at most 5 s.
func waitCounted(t *testing.T, r *nftcore.Rule, n uint64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		c, err := r.Counter()
		if err != nil {
			t.Fatal(err)
		}
		if c.Packets >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the queue rule counted %d packets of %d", c.Packets, n)
		}
	}
}

func payloads(n int) []string {
	var ps []string
	for i := 1; i <= n; i++ {
		ps = append(ps, fmt.Sprintf("packet %d", i))
	}
	return ps
}

// Packets come in order with their metadata; accepted ones pass, dropped
// ones do not, modified ones arrive modified.
func TestVerdicts(t *testing.T) {
	a, b := labtest.Pair(t)
	q := queueIn(t, b, 9999)
	in := labtest.Listen(t, b, 9999)
	labtest.SendUDP(t, a, 9999, payloads(5)...)
	got := take(t, q, 5)
	for i, p := range got {
		if p.ID != uint32(i+1) || p.Hook != unix.NF_INET_LOCAL_IN || q.Ifname(p.InDev) != "veth0" ||
			string(p.Data[28:]) != fmt.Sprintf("packet %d", i+1) {
			t.Errorf("packet %d: id %d hook %d in %q data %q", i+1, p.ID, p.Hook, q.Ifname(p.InDev), p.Data[28:])
		}
	}
	q.Accept(1)
	q.Accept(2)
	if err := q.Drop(3); err != nil {
		t.Fatal(err)
	}
	modified := newFixer().fix(append(append([]byte(nil), got[3].Data[:28]...), "changed!"...))
	if err := q.AcceptModified(4, modified); err != nil {
		t.Fatal(err)
	}
	q.Accept(5)
	if err := q.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []string{"packet 1", "packet 2", "changed!", "packet 5"}
	if got := labtest.Received(in, 300*time.Millisecond); !reflect.DeepEqual(got, want) {
		t.Errorf("received %q, want %q", got, want)
	}
}

// Closing lets every packet still queued pass, judged or not, and never
// waits long.
func TestCloseLetsQueuedPacketsPass(t *testing.T) {
	a, b := labtest.Pair(t)
	q, err := Open(b.NetNS(), func(err error) { t.Errorf("consumer: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	r := rule(t, b, 9999, nftcore.QueueTo(q.Num()))
	in := labtest.Listen(t, b, 9999)
	labtest.SendUDP(t, a, 9999, payloads(3)...)
	take(t, q, 3) // handed out, never judged
	labtest.SendUDP(t, a, 9999, payloads(2)...)
	waitCounted(t, r, 5) // queued, never taken
	start := time.Now()
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
	if got := labtest.Received(in, 300*time.Millisecond); len(got) != 5 {
		t.Errorf("received %q, want the 5 packets", got)
	}
	if err := q.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// With no program on the queue, its packets pass: the rule's bypass flag.
func TestNoConsumerMeansBypass(t *testing.T) {
	a, b := labtest.Pair(t)
	r := rule(t, b, 9999, nftcore.QueueTo(FirstNum+100))
	in := labtest.Listen(t, b, 9999)
	labtest.SendUDP(t, a, 9999, payloads(3)...)
	if got := labtest.Received(in, 300*time.Millisecond); len(got) != 3 {
		t.Errorf("received %q, want the 3 packets", got)
	}
	if c, err := r.Counter(); err != nil || c.Packets != 3 {
		t.Errorf("the queue rule counted %+v, %v", c, err)
	}
}

// Closing while packets stream in returns at once, and the consumer
// goroutine ends.
func TestCloseUnderLoad(t *testing.T) {
	a, b := labtest.Pair(t)
	q := queueIn(t, b, 9999)
	c, to := labtest.Sender(t, a, 9999)
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				c.WriteTo([]byte("load"), to)
			}
		}
	}()
	defer close(stop)
	take(t, q, 100)
	start := time.Now()
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close under load took %v", d)
	}
}

// Two queues of one namespace get two numbers.
func TestQueueNumbers(t *testing.T) {
	_, b := labtest.Pair(t)
	q1, err := Open(b.NetNS(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer q1.Close()
	q2, err := Open(b.NetNS(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	if q1.Num() != FirstNum || q2.Num() != FirstNum+1 {
		t.Errorf("queues %d and %d, want %d and %d", q1.Num(), q2.Num(), FirstNum, FirstNum+1)
	}
}

// Sockets that choose a queue number at the same moment, as two netlua
// processes may, all get one, each its own: the kernel refuses a number
// bound by another socket, and the loser takes the next free one.
func TestQueueNumbersAtOnce(t *testing.T) {
	_, b := labtest.Pair(t)
	const n = 8
	start := make(chan struct{})
	type result struct {
		q   *Queue
		err error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			<-start
			q, err := Open(b.NetNS(), nil)
			results <- result{q, err}
		}()
	}
	close(start)
	nums := map[uint16]bool{}
	for range n {
		r := <-results
		if r.err != nil {
			t.Errorf("Open: %v", r.err)
			continue
		}
		defer r.q.Close()
		if nums[r.q.Num()] {
			t.Errorf("queue %d twice", r.q.Num())
		}
		nums[r.q.Num()] = true
	}
	for num := FirstNum; num < FirstNum+len(nums); num++ {
		if !nums[uint16(num)] {
			t.Errorf("queues %v: %d is missing", nums, num)
		}
	}
}
