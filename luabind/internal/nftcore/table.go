package nftcore

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/google/nftables/expr"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// The names netlua's tables take: the first free of base, base_2, base_3...
const (
	OwnedBase   = "netlua"
	PersistBase = "netlua_persist"
	maxNameTry  = 100
)

// A queueKind is how a kernel queues packets to userspace.
type queueKind int

const (
	queueUnknown queueKind = iota // not tried yet
	queueNative                   // the nft queue expression (CONFIG_NFT_QUEUE)
	queueXt                       // the xt NFQUEUE target through nft_compat
)

// A Table is netlua's table in one network namespace and the rules put
// in it. The table is made with the first rule, in the same transaction,
// so a rule the kernel refuses leaves nothing behind. An owned table
// vanishes when its Conn closes; a persistent one stays.
// A Table is safe for use by several goroutines.
type Table struct {
	mu      sync.Mutex
	conn    *Conn
	persist bool
	name    string           // "" until the table exists
	chains  map[string]bool  // base chains made
	rules   []*Rule          // alive, oldest first
	checked map[string]error // what checkCompat found, by extension
	queue   queueKind        // how this kernel queues packets, once known
	taken   []Taken          // the names passed over
	// Base, if set before the first rule, is the name the table tries
	// first instead of OwnedBase or PersistBase: the lab's shaping table
	// is "netlua_shape", so that it never takes the nft module's name.
	Base string
	// Created, if set, is called once the table exists, with its name,
	// "inet netlua", and the names it passed over because they were
	// taken. It must not call the table's methods.
	Created func(name string, taken []Taken)
}

// NewTable returns the table that will live on c, owned by c unless
// persist. It takes c over: Close closes it.
func NewTable(c *Conn, persist bool) *Table {
	return &Table{conn: c, persist: persist, chains: map[string]bool{}, checked: map[string]error{}}
}

// Name is the table as nft names it: "inet netlua"; before the first rule
// it is the name the table will try first.
func (t *Table) Name() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return "inet " + t.nameOrBase()
}

func (t *Table) nameOrBase() string {
	switch {
	case t.name != "":
		return t.name
	case t.Base != "":
		return t.Base
	case t.persist:
		return PersistBase
	}
	return OwnedBase
}

// Add puts a rule of match m and action a at the end of the chain of m's
// hook, with a counter, and returns it.
func (t *Table) Add(m Match, a Action) (*Rule, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	if err := a.Check(&m); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.checkKernel(&m, a); err != nil {
		return nil, err
	}
	r := &Rule{table: t, Chain: chainOf(&m).Name, Match: m, Action: a}
	if err := t.addRule(r); err != nil {
		return nil, err
	}
	t.rules = append(t.rules, r)
	return r, nil
}

// checkKernel makes sure, once per table, that the kernel has the xt
// extensions the rule needs.
func (t *Table) checkKernel(m *Match, a Action) error {
	var exts []xtExt
	if m.Contains != nil {
		exts = append(exts, xtString)
	}
	if a.Verb == "queue" && t.queue == queueXt {
		exts = append(exts, xtNFQueue)
	}
	for _, ext := range exts {
		err, ok := t.checked[ext.Name]
		if !ok {
			err = checkCompat(t.conn, ext)
			var ke *KernelError
			if err == nil || errors.As(err, &ke) {
				t.checked[ext.Name] = err // the kernel's answer, not a failure to ask
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// addRule sends r, with the table and chain it needs when they do not
// exist yet, and learns its handle. A queue tries the native expression
// first and falls back to the xt target for good when the kernel lacks it.
func (t *Table) addRule(r *Rule) error {
	err := t.send(r, t.queue != queueXt)
	if r.Action.Verb != "queue" || t.queue != queueUnknown {
		return err
	}
	if err == nil {
		t.queue = queueNative
		return nil
	}
	if !errors.Is(err, unix.ENOENT) || !ruleFailed(err) {
		return err
	}
	t.queue = queueXt
	if err := t.checkKernel(&r.Match, r.Action); err != nil {
		return err
	}
	return t.send(r, false)
}

// send sends the batch making r (and its table and chain), trying the
// next table name while the name is taken.
func (t *Table) send(r *Rule, native bool) error {
	exprs := append(r.Match.Exprs(), &expr.Counter{})
	exprs = append(exprs, r.Action.exprs(&r.Match, native)...)
	if t.name == "" {
		t.taken = nil
	}
	for try := 1; ; try++ {
		name := t.candidate(try)
		msgs, err := t.setupMsgs(name, chainOf(&r.Match))
		if err != nil {
			return err
		}
		m, err := newRuleMsg(name, r.Chain, exprs)
		if err != nil {
			return err
		}
		echoed, err := t.conn.Batch(append(msgs, m))
		if err != nil && t.name == "" {
			if k, ok := t.takenBy(name, err); ok {
				// A table of that name exists: never touch it.
				if t.taken = append(t.taken, k); try == maxNameTry {
					return &NamesTakenError{Taken: t.taken}
				}
				continue
			}
		}
		if err != nil {
			return t.explain(err, name, len(msgs))
		}
		t.made(name, r.Chain)
		r.Handle, err = echoedHandle(echoed)
		return err
	}
}

// candidate is the name the table takes on the try-th attempt.
func (t *Table) candidate(try int) string {
	if t.name != "" {
		return t.name
	}
	if try == 1 {
		return t.nameOrBase()
	}
	return fmt.Sprintf("%s_%d", t.nameOrBase(), try)
}

// setupMsgs are the messages making the table and chain when they are
// not made yet.
func (t *Table) setupMsgs(name string, c chainSpec) ([]netlink.Message, error) {
	var msgs []netlink.Message
	if t.name == "" {
		flags := TableOwner
		if t.persist {
			flags = 0
		}
		m, err := newTableMsg(name, flags)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	if !t.chains[c.Name] {
		m, err := newChainMsg(name, c)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// made records that the table and chain exist.
func (t *Table) made(name, chain string) {
	t.chains[chain] = true
	if t.name == "" {
		t.name = name
		if t.Created != nil {
			t.Created("inet "+name, t.taken)
		}
	}
}

// explain says which part of the batch the kernel refused. setup is the
// number of table and chain messages before the rule's.
func (t *Table) explain(err error, name string, setup int) error {
	var be *BatchError
	if !errors.As(err, &be) {
		return err
	}
	switch {
	case errors.Is(err, os.ErrPermission):
		return be.Err
	case be.Index == 0 && t.name == "" && errors.Is(err, unix.EOPNOTSUPP) && !t.persist:
		return &KernelError{What: "tables owned by a socket (Linux 5.12), which netlua needs to clean up after itself; persist = true does without",
			Config: "Linux 5.12 or later", Module: "nf_tables", Err: be.Err}
	case be.Index < setup:
		return fmt.Errorf("making the table or chain: %w", err)
	}
	return fmt.Errorf("the kernel refused the rule: %w", err)
}

// ruleFailed reports whether err is the kernel refusing the rule message
// of a batch rather than its table or chain.
func ruleFailed(err error) bool {
	var be *BatchError
	return errors.As(err, &be) && be.Index == be.Count-1
}

// echoedHandle is the handle of the rule the kernel echoed back.
func echoedHandle(msgs []netlink.Message) (uint64, error) {
	for _, m := range msgs {
		if m.Header.Type == subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWRULE) {
			if h, err := ruleHandle(m); err != nil || h != 0 {
				return h, err
			}
		}
	}
	return 0, errors.New("the kernel did not echo the new rule back")
}

// Rules returns the table's rules that are not deleted, oldest first.
func (t *Table) Rules() []*Rule {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*Rule(nil), t.rules...)
}

// Close closes the table's socket: the kernel deletes an owned table with
// its rules; a persistent one stays. It is idempotent.
func (t *Table) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.rules {
		r.gone = !t.persist
	}
	t.rules = nil
	return t.conn.Close()
}
