package nftcore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/nlowner"
)

// tableOwnerAttr is NFTA_TABLE_OWNER, the port ID of the socket that owns
// a table (Linux 5.12), which x/sys/unix lacks.
const tableOwnerAttr = 7

// A Taken is a table name that a Table passed over because a table of
// that name exists: one that another socket owns, or one nobody owns.
type Taken struct {
	Name  string // "netlua"
	Owner uint32 // the owning socket's port ID; 0 for a table nobody owns
	Who   string // the owner as a process: "pid 1234 (netlua)"; "" for no owner
}

// String is "inet netlua (pid 1234 (netlua))".
func (k Taken) String() string {
	if k.Owner == 0 {
		return "inet " + k.Name + " (no owner)"
	}
	return "inet " + k.Name + " (" + k.Who + ")"
}

// takenBy reports whether err, the kernel's answer to the batch that
// makes table name, says that the name is taken. A table nobody owns
// answers EEXIST (the message has NLM_F_EXCL); a table another socket
// owns answers EPERM, the answer of a socket without CAP_NET_ADMIN too.
// Asking for the table by name tells the two apart: the kernel answers a
// get of any table, with its owner, to a socket with the privilege, and
// refuses it with EPERM to one without.
func (t *Table) takenBy(name string, err error) (Taken, bool) {
	var be *BatchError
	if !errors.As(err, &be) || be.Index != 0 {
		return Taken{}, false
	}
	switch {
	case errors.Is(err, unix.EEXIST):
		return Taken{Name: name}, true
	case errors.Is(err, unix.EPERM):
		owner, err := t.conn.tableOwner(name)
		if errors.Is(err, unix.ENOENT) {
			return Taken{Name: name}, true // gone meanwhile: it was taken, move on
		}
		if err != nil || owner == 0 {
			return Taken{}, false
		}
		return Taken{Name: name, Owner: owner, Who: t.conn.ownerName(owner)}, true
	}
	return Taken{}, false
}

// tableOwner asks the kernel for table name and returns the port ID of
// the socket that owns it, or 0 when nobody does.
func (c *Conn) tableOwner(name string) (uint32, error) {
	m, err := tablesMsg(unix.NFT_MSG_GETTABLE, 0, func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_TABLE_NAME, name)
		return nil
	})
	if err != nil {
		return 0, err
	}
	replies, err := c.Query(m)
	if err != nil {
		return 0, err
	}
	for _, r := range replies {
		if owner, ok := ownerOf(r); ok {
			return owner, nil
		}
	}
	return 0, nil
}

// ownerName names the process behind port, a socket of the Conn's
// namespace. A Conn that Dial did not make (a test's fake) knows none.
func (c *Conn) ownerName(port uint32) string {
	if !c.dialled {
		return nlowner.Unknown
	}
	return nlowner.Name(c.ns, unix.NETLINK_NETFILTER, port)
}

// ownerOf reads the owner flag and the owner's port of a table message.
func ownerOf(m netlink.Message) (uint32, bool) {
	if m.Header.Type != subsysType(unix.NFNL_SUBSYS_NFTABLES, unix.NFT_MSG_NEWTABLE) || len(m.Data) < 4 {
		return 0, false
	}
	ad, err := netlink.NewAttributeDecoder(m.Data[4:])
	if err != nil {
		return 0, false
	}
	ad.ByteOrder = binary.BigEndian
	var flags, owner uint32
	for ad.Next() {
		switch ad.Type() {
		case unix.NFTA_TABLE_FLAGS:
			flags = ad.Uint32()
		case tableOwnerAttr:
			owner = ad.Uint32()
		}
	}
	if ad.Err() != nil || flags&TableOwner == 0 {
		return 0, false
	}
	return owner, true
}

// A NamesTakenError is a Table that found every name it may take taken.
type NamesTakenError struct {
	Taken []Taken
}

// Error names the first tables and their owners.
func (e *NamesTakenError) Error() string {
	const shown = 3
	var who []string
	for _, k := range e.Taken[:min(shown, len(e.Taken))] {
		who = append(who, k.String())
	}
	more := ""
	if n := len(e.Taken) - shown; n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	return fmt.Sprintf("every table name netlua may take is taken: %s%s", strings.Join(who, ", "), more)
}

// OwnedBy says which of taken belong to other processes, for a notice:
// "inet netlua belongs to pid 1234 (netlua)"; "" when none does.
func OwnedBy(taken []Taken) string {
	var parts []string
	for _, k := range taken {
		if k.Owner == 0 {
			continue
		}
		verb := " belongs to "
		if len(parts) > 0 {
			verb = " to "
		}
		parts = append(parts, "inet "+k.Name+verb+k.Who)
	}
	return strings.Join(parts, ", ")
}
