package nftcore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/nftables/expr"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"golang.org/x/sys/unix"
)

// A fakeKernel answers a Conn as nf_tables does, one datagram per answer,
// and records what it was sent. No privilege or kernel support needed.
type fakeKernel struct {
	sent    [][]netlink.Message // one entry per send
	replies []netlink.Message   // waiting to be received, one at a time
	tables  map[string]bool     // existing tables: a new one of that name is EEXIST
	owners  map[string]uint32   // tables other sockets own, by their port: EPERM
	errs    map[string]unix.Errno
	handle  uint64
	counter expr.Counter
}

// The keys of fakeKernel.errs: which request fails.
const (
	failTable  = "table"
	failQueue  = "queue"  // a rule with the native queue expression
	failCompat = "compat" // the nft_compat query
)

func newFake() (*fakeKernel, *Table) {
	k := &fakeKernel{tables: map[string]bool{}, owners: map[string]uint32{}, errs: map[string]unix.Errno{}}
	return k, NewTable(NewConn(nltest.Dial(k.serve)), false)
}

func (k *fakeKernel) serve(req []netlink.Message) ([]netlink.Message, error) {
	if req == nil { // a receive
		if len(k.replies) == 0 {
			return nil, io.EOF
		}
		m := k.replies[0]
		k.replies = k.replies[1:]
		return []netlink.Message{m}, nil
	}
	k.sent = append(k.sent, req)
	for _, m := range req {
		if m.Header.Flags&netlink.Acknowledge != 0 {
			k.replies = append(k.replies, k.answer(m)...)
		}
	}
	return nil, nil
}

// answer is what the kernel sends back for m: an echo or reply, then the
// acknowledgement or error.
func (k *fakeKernel) answer(m netlink.Message) []netlink.Message {
	switch m.Header.Type {
	case subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWTABLE):
		switch {
		case k.tables[tableName(m)]:
			return k.fail(m, unix.EEXIST)
		case k.owners[tableName(m)] != 0:
			return k.fail(m, unix.EPERM)
		}
		return k.fail(m, k.errs[failTable])
	case subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_GETTABLE):
		return k.getTable(m)
	case subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWRULE):
		if bytes.Contains(m.Data, []byte("queue\x00")) && k.errs[failQueue] != 0 {
			return k.fail(m, k.errs[failQueue])
		}
		k.handle++
		return append([]netlink.Message{k.rule(m.Header.Type)}, ack(m, 0))
	case subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_GETRULE):
		return []netlink.Message{k.rule(subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWRULE)), ack(m, 0)}
	case subsysType(unix.NFNL_SUBSYS_NFT_COMPAT, msgCompatGet):
		return k.fail(m, k.errs[failCompat])
	}
	return []netlink.Message{ack(m, 0)}
}

// tableName is the name a table message gives.
func tableName(m netlink.Message) string {
	ad, err := netlink.NewAttributeDecoder(m.Data[4:])
	for err == nil && ad.Next() {
		if ad.Type() == unix.NFTA_TABLE_NAME {
			return ad.String()
		}
	}
	return ""
}

// getTable answers a get of a table: the table, with its owner, or the
// error of a kernel that refuses every request (no privilege), or ENOENT.
func (k *fakeKernel) getTable(m netlink.Message) []netlink.Message {
	name := tableName(m)
	owner, owned := k.owners[name]
	switch {
	case k.errs[failTable] == unix.EPERM:
		return k.fail(m, unix.EPERM)
	case !owned && !k.tables[name]:
		return k.fail(m, unix.ENOENT)
	}
	data, _ := encode(func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_TABLE_NAME, name)
		if owned {
			ae.Uint32(unix.NFTA_TABLE_FLAGS, TableOwner)
			ae.Uint32(tableOwnerAttr, owner)
		} else {
			ae.Uint32(unix.NFTA_TABLE_FLAGS, 0)
		}
		return nil
	})
	table := netlink.Message{Header: netlink.Header{Type: subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWTABLE)},
		Data: append(nfgenmsg(family, 0), data...)}
	return []netlink.Message{table, ack(m, 0)}
}

func (k *fakeKernel) fail(m netlink.Message, errno unix.Errno) []netlink.Message {
	return []netlink.Message{ack(m, errno)}
}

// rule is a rule message with the current handle and counter.
func (k *fakeKernel) rule(typ netlink.HeaderType) netlink.Message {
	data, _ := encode(func(ae *netlink.AttributeEncoder) error {
		ae.Uint64(unix.NFTA_RULE_HANDLE, k.handle)
		ae.Nested(unix.NFTA_RULE_EXPRESSIONS, func(ae *netlink.AttributeEncoder) error {
			ae.Do(netlink.Nested|unix.NFTA_LIST_ELEM, func() ([]byte, error) { return expr.Marshal(family, &k.counter) })
			return nil
		})
		return nil
	})
	return netlink.Message{Header: netlink.Header{Type: typ}, Data: append(nfgenmsg(family, 0), data...)}
}

// ack is the acknowledgement of m, or its error.
func ack(m netlink.Message, errno unix.Errno) netlink.Message {
	data := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	hdr, _ := m.MarshalBinary()
	return netlink.Message{Header: netlink.Header{Type: netlink.Error, Sequence: m.Header.Sequence}, Data: append(data, hdr[:16]...)}
}

// kinds names the messages of one send: begin table chain rule end.
func kinds(msgs []netlink.Message) string {
	names := map[netlink.HeaderType]string{
		unix.NFNL_MSG_BATCH_BEGIN: "begin", unix.NFNL_MSG_BATCH_END: "end",
		subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWTABLE): "table",
		subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWCHAIN): "chain",
		subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWRULE):  "rule",
		subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_DELRULE):  "delete",
		subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_GETRULE):  "get",
		subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_GETTABLE): "gettable",
		subsysType(unix.NFNL_SUBSYS_NFT_COMPAT, msgCompatGet):        "compat",
	}
	var w []string
	for _, m := range msgs {
		w = append(w, names[m.Header.Type])
	}
	return strings.Join(w, " ")
}

// sentKinds lists every send of k, one per line.
func (k *fakeKernel) sentKinds() string {
	var lines []string
	for _, s := range k.sent {
		lines = append(lines, kinds(s))
	}
	return strings.Join(lines, "\n")
}

func mustAdd(t *testing.T, tb *Table, m Match, a Action) *Rule {
	t.Helper()
	r, err := tb.Add(m, a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The table and each chain come with the first rule that needs them, in
// the same transaction; the kernel's echo gives each rule its handle.
func TestTableBatches(t *testing.T) {
	k, tb := newFake()
	r1 := mustAdd(t, tb, Match{Proto: unix.IPPROTO_TCP}, Drop)
	r2 := mustAdd(t, tb, Match{Proto: unix.IPPROTO_UDP}, Accept)
	r3 := mustAdd(t, tb, Match{Hook: "output"}, Count)
	want := "begin table chain rule end\nbegin rule end\nbegin chain rule end"
	if got := k.sentKinds(); got != want {
		t.Errorf("sent\n%s\nwant\n%s", got, want)
	}
	if r1.Handle != 1 || r2.Handle != 2 || r3.Handle != 3 {
		t.Errorf("handles %d %d %d, want 1 2 3 from the echoes", r1.Handle, r2.Handle, r3.Handle)
	}
	if got := tb.Name(); got != "inet netlua" {
		t.Errorf("table %q", got)
	}
	if len(k.replies) != 0 {
		t.Errorf("%d answers left unread", len(k.replies))
	}
}

// A table of netlua's name that exists is someone else's: netlua makes
// netlua_2 (the kernel refuses the first batch whole, so nothing of it stays).
func TestTableNeverAdoptsAnExistingTable(t *testing.T) {
	k, tb := newFake()
	k.tables["netlua"] = true
	mustAdd(t, tb, Match{}, Drop)
	if got := tb.Name(); got != "inet netlua_2" {
		t.Errorf("table %q, want inet netlua_2", got)
	}
	for _, m := range k.sent[1][1:3] {
		if !bytes.Contains(m.Data, []byte("netlua_2\x00")) {
			t.Errorf("message %x does not name netlua_2", m.Data)
		}
	}
}

// Without CONFIG_NFT_QUEUE the kernel refuses the queue expression: the
// table then asks nft_compat for the xt NFQUEUE target (once) and uses
// it, for good.
func TestQueueFallsBackToTheXtTarget(t *testing.T) {
	k, tb := newFake()
	k.errs[failQueue] = unix.ENOENT
	r := mustAdd(t, tb, Match{Proto: unix.IPPROTO_UDP}, QueueTo(7))
	mustAdd(t, tb, Match{Proto: unix.IPPROTO_TCP}, QueueTo(8))
	want := "begin table chain rule end\ncompat\nbegin table chain rule end\nbegin rule end"
	if got := k.sentKinds(); got != want {
		t.Errorf("sent\n%s\nwant\n%s", got, want)
	}
	last := k.sent[len(k.sent)-1][1]
	if !bytes.Contains(last.Data, []byte("NFQUEUE\x00")) {
		t.Errorf("the second queue rule does not use the xt target: %x", last.Data)
	}
	if r.Handle != 1 {
		t.Errorf("handle %d", r.Handle)
	}
}

func TestRuleCounterAndDelete(t *testing.T) {
	k, tb := newFake()
	r := mustAdd(t, tb, Match{}, Count)
	k.counter = expr.Counter{Packets: 3, Bytes: 252}
	c, err := r.Counter()
	if err != nil || c != (Counter{Packets: 3, Bytes: 252}) {
		t.Errorf("counter %+v, %v", c, err)
	}
	if err := r.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := r.Delete(); err != nil {
		t.Fatal(err)
	}
	if got, want := k.sentKinds(), "begin table chain rule end\nget\nbegin delete end"; got != want {
		t.Errorf("sent\n%s\nwant\n%s", got, want)
	}
	if _, err := r.Counter(); err == nil || len(tb.Rules()) != 0 {
		t.Errorf("a deleted rule still counts (%v) or is listed (%d)", err, len(tb.Rules()))
	}
}

func TestKernelErrors(t *testing.T) {
	tests := []struct {
		name, fail string
		errno      unix.Errno
		match      Match
		want       string
	}{
		{"no xt string", failCompat, unix.ENOENT, Match{Contains: []byte("x")},
			"the kernel lacks the xt string match (for contains): it needs CONFIG_NETFILTER_XT_MATCH_STRING (module xt_string)"},
		{"no nft_compat", failCompat, unix.EINVAL, Match{Contains: []byte("x")},
			"it needs CONFIG_NFT_COMPAT (module nft_compat)"},
		{"no owner tables", failTable, unix.EOPNOTSUPP, Match{},
			"the kernel lacks tables owned by a socket (Linux 5.12)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, tb := newFake()
			k.errs[tt.fail] = tt.errno
			_, err := tb.Add(tt.match, Drop)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant %q", err, tt.want)
			}
			var ke *KernelError
			if !errors.As(err, &ke) {
				t.Errorf("%v is no KernelError", err)
			}
		})
	}
}

// Without CAP_NET_ADMIN the kernel answers EPERM, to the get of the table
// too, which the runtime turns into the hint that names the capability.
func TestPermissionErrorStaysOne(t *testing.T) {
	k, tb := newFake()
	k.errs[failTable] = unix.EPERM
	_, err := tb.Add(Match{}, Drop)
	if !errors.Is(err, os.ErrPermission) || err.Error() != "operation not permitted" {
		t.Errorf("error %v, want a plain permission error", err)
	}
	if got, want := k.sentKinds(), "begin table chain rule end\ngettable"; got != want {
		t.Errorf("sent\n%s\nwant\n%s", got, want)
	}
}

// A table that another socket owns answers EPERM, as a socket without
// privilege hears; the table's owner, got by name, says it is taken, and
// netlua makes netlua_2, saying whose the first was.
func TestTableOwnedByAnotherSocketIsTaken(t *testing.T) {
	k, tb := newFake()
	k.owners["netlua"] = 4242
	var taken []Taken
	tb.Created = func(_ string, tk []Taken) { taken = tk }
	mustAdd(t, tb, Match{}, Drop)
	if got := tb.Name(); got != "inet netlua_2" {
		t.Errorf("table %q, want inet netlua_2", got)
	}
	if got, want := k.sentKinds(), "begin table chain rule end\ngettable\nbegin table chain rule end"; got != want {
		t.Errorf("sent\n%s\nwant\n%s", got, want)
	}
	want := []Taken{{Name: "netlua", Owner: 4242, Who: "another process"}}
	if !reflect.DeepEqual(taken, want) {
		t.Errorf("taken %+v, want %+v", taken, want)
	}
	if got := OwnedBy(taken); got != "inet netlua belongs to another process" {
		t.Errorf("notice %q", got)
	}
}

// When every name is taken, the error names the first tables and whose
// they are, and is no permission error.
func TestEveryNameTaken(t *testing.T) {
	k, tb := newFake()
	k.tables["netlua"] = true
	for i := 2; i <= maxNameTry; i++ {
		k.owners[fmt.Sprintf("netlua_%d", i)] = uint32(i)
	}
	_, err := tb.Add(Match{}, Drop)
	want := "every table name netlua may take is taken: inet netlua (no owner), inet netlua_2 (another process), inet netlua_3 (another process) and 97 more"
	if err == nil || err.Error() != want || errors.Is(err, os.ErrPermission) {
		t.Errorf("error %v\nwant %s", err, want)
	}
}
