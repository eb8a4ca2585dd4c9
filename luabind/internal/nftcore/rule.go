package nftcore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/google/nftables/expr"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// A Rule is one rule netlua put in its table.
type Rule struct {
	table  *Table
	Chain  string // "input", or "ingress_veth0"
	Handle uint64 // the kernel's name for it within the table
	Match  Match
	Action Action
	gone   bool // deleted, or gone with its table
}

// A Counter is what a rule's counter has seen.
type Counter struct {
	Packets, Bytes uint64
}

// chainOf is the base chain that rules of m go in: one per hook, and one
// per device for ingress.
func chainOf(m *Match) chainSpec {
	hook := m.HookName()
	c := chainSpec{Name: hook, Hook: hooks[hook]}
	if hook == "ingress" {
		c.Name, c.Device = "ingress_"+m.Iface, m.Iface
	}
	return c
}

// Table is the table the rule is in: "inet netlua".
func (r *Rule) Table() string { return r.table.Name() }

// Gone reports whether the rule was deleted or went with its table.
func (r *Rule) Gone() bool {
	r.table.mu.Lock()
	defer r.table.mu.Unlock()
	return r.gone
}

// Counter reads the rule's counter from the kernel.
func (r *Rule) Counter() (Counter, error) {
	t := r.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if r.gone {
		return Counter{}, errors.New("the rule is deleted")
	}
	m, err := getRuleMsg(t.name, r.Chain, r.Handle)
	if err != nil {
		return Counter{}, err
	}
	replies, err := t.conn.Query(m)
	if err != nil {
		return Counter{}, kernelCause(err)
	}
	for _, m := range replies {
		if c, ok, err := ruleCounter(m); ok || err != nil {
			return c, err
		}
	}
	return Counter{}, errors.New("the kernel sent the rule without its counter")
}

// Delete removes the rule from the kernel. It is idempotent, and a rule
// that went with its table is already deleted.
func (r *Rule) Delete() error {
	t := r.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if r.gone {
		return nil
	}
	m, err := delRuleMsg(t.name, r.Chain, r.Handle)
	if err != nil {
		return err
	}
	if _, err := t.conn.Batch([]netlink.Message{m}); err != nil && !errors.Is(err, unix.ENOENT) {
		return kernelCause(err)
	}
	r.gone = true
	for i, x := range t.rules {
		if x == r {
			t.rules = append(t.rules[:i], t.rules[i+1:]...)
			break
		}
	}
	return nil
}

// String writes the rule as nft -a lists it, with contains "..." for the
// payload search: inet netlua input: tcp dport 80 counter drop # handle 4.
func (r *Rule) String() string {
	w := []string{r.Match.String(), "counter", r.Action.text(&r.Match)}
	body := strings.Join(strings.Fields(strings.Join(w, " ")), " ")
	return fmt.Sprintf("%s %s: %s # handle %d", r.Table(), r.Chain, body, r.Handle)
}

// kernelCause is the kernel's error without the batch wrapper.
func kernelCause(err error) error {
	var be *BatchError
	if errors.As(err, &be) {
		return be.Err
	}
	return err
}

// ruleAttrs decodes the attributes of a rule message (after nfgenmsg).
func ruleAttrs(m netlink.Message) (*netlink.AttributeDecoder, error) {
	if len(m.Data) < 4 {
		return nil, errors.New("short rule message")
	}
	ad, err := netlink.NewAttributeDecoder(m.Data[4:])
	if err != nil {
		return nil, err
	}
	ad.ByteOrder = binary.BigEndian
	return ad, nil
}

// ruleHandle is the NFTA_RULE_HANDLE of a rule message.
func ruleHandle(m netlink.Message) (uint64, error) {
	ad, err := ruleAttrs(m)
	if err != nil {
		return 0, err
	}
	var h uint64
	for ad.Next() {
		if ad.Type() == unix.NFTA_RULE_HANDLE {
			h = ad.Uint64()
		}
	}
	return h, ad.Err()
}

// ruleCounter finds the counter among the expressions of a rule message.
func ruleCounter(m netlink.Message) (c Counter, found bool, err error) {
	ad, err := ruleAttrs(m)
	if err != nil {
		return c, false, err
	}
	for ad.Next() {
		if ad.Type() == unix.NFTA_RULE_EXPRESSIONS {
			ad.Nested(func(list *netlink.AttributeDecoder) error {
				for list.Next() {
					list.Nested(func(e *netlink.AttributeDecoder) error {
						c, found, err = exprCounter(e)
						return err
					})
					if found {
						return nil
					}
				}
				return nil
			})
		}
	}
	return c, found, errors.Join(err, ad.Err())
}

// exprCounter reads one expression, and its packets and bytes when it is
// a counter.
func exprCounter(e *netlink.AttributeDecoder) (Counter, bool, error) {
	var name string
	var data []byte
	for e.Next() {
		switch e.Type() {
		case unix.NFTA_EXPR_NAME:
			name = e.String()
		case unix.NFTA_EXPR_DATA:
			data = e.Bytes()
		}
	}
	if name != "counter" {
		return Counter{}, false, nil
	}
	var c expr.Counter
	if err := expr.Unmarshal(family, data, &c); err != nil {
		return Counter{}, true, fmt.Errorf("counter: %w", err)
	}
	return Counter{Packets: c.Packets, Bytes: c.Bytes}, true, nil
}
