package nftcore

import (
	"encoding/binary"
	"fmt"

	"github.com/google/nftables/expr"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// The kernel's table flags (uapi/linux/netfilter/nf_tables.h); x/sys/unix
// lacks the owner flag.
const (
	// TableOwner ties a table to the netlink socket that made it: the
	// kernel refuses changes from other sockets and deletes the table when
	// the socket closes (Linux 5.12).
	TableOwner uint32 = 0x2
	// msgCompatGet is NFNL_MSG_COMPAT_GET of the nft_compat subsystem.
	msgCompatGet = 0
	// nfAccept is the NF_ACCEPT verdict, the policy of netlua's chains.
	nfAccept = 1
)

// family is the table family of every netlua table: inet sees IPv4 and
// IPv6 in one table.
const family = unix.NFPROTO_INET

// request is the header of every message: a request that the kernel
// acknowledges, so that each answer is known to have arrived.
const request = netlink.Request | netlink.Acknowledge

// newTableMsg makes the table called name with flags, and fails with
// EEXIST when a table of that name exists: netlua never adopts a table
// it did not create.
func newTableMsg(name string, flags uint32) (netlink.Message, error) {
	return tablesMsg(unix.NFT_MSG_NEWTABLE, netlink.Create|netlink.Excl, func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_TABLE_NAME, name)
		ae.Uint32(unix.NFTA_TABLE_FLAGS, flags)
		return nil
	})
}

// A chainSpec is a base chain: its name, hook, priority and, for ingress,
// its device. Base chains are of type filter with policy accept.
type chainSpec struct {
	Name     string
	Hook     uint32
	Priority int32
	Device   string
}

// newChainMsg makes chain c in table. The attributes come in nft's order.
func newChainMsg(table string, c chainSpec) (netlink.Message, error) {
	return tablesMsg(unix.NFT_MSG_NEWCHAIN, netlink.Create, func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_CHAIN_TABLE, table)
		ae.String(unix.NFTA_CHAIN_NAME, c.Name)
		ae.String(unix.NFTA_CHAIN_TYPE, "filter")
		ae.Uint32(unix.NFTA_CHAIN_POLICY, nfAccept)
		ae.Nested(unix.NFTA_CHAIN_HOOK, func(ae *netlink.AttributeEncoder) error {
			ae.Uint32(unix.NFTA_HOOK_HOOKNUM, c.Hook)
			ae.Int32(unix.NFTA_HOOK_PRIORITY, c.Priority)
			if c.Device != "" {
				ae.String(unix.NFTA_HOOK_DEV, c.Device)
			}
			return nil
		})
		return nil
	})
}

// newRuleMsg appends a rule of exprs to chain. The kernel echoes the new
// rule back, with the handle that names it from then on.
func newRuleMsg(table, chain string, exprs []expr.Any) (netlink.Message, error) {
	flags := netlink.Create | netlink.Echo | netlink.Append
	return tablesMsg(unix.NFT_MSG_NEWRULE, flags, func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_RULE_TABLE, table)
		ae.String(unix.NFTA_RULE_CHAIN, chain)
		ae.Nested(unix.NFTA_RULE_EXPRESSIONS, func(ae *netlink.AttributeEncoder) error {
			for _, e := range exprs {
				ae.Do(netlink.Nested|unix.NFTA_LIST_ELEM, func() ([]byte, error) {
					return expr.Marshal(family, e)
				})
			}
			return nil
		})
		return nil
	})
}

// ruleMsg addresses the rule handle in chain: a delete or a get.
func ruleMsg(typ uint16, flags netlink.HeaderFlags, table, chain string, handle uint64) (netlink.Message, error) {
	return tablesMsg(typ, flags, func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_RULE_TABLE, table)
		ae.String(unix.NFTA_RULE_CHAIN, chain)
		ae.Uint64(unix.NFTA_RULE_HANDLE, handle)
		return nil
	})
}

// delRuleMsg deletes the rule handle of chain.
func delRuleMsg(table, chain string, handle uint64) (netlink.Message, error) {
	return ruleMsg(unix.NFT_MSG_DELRULE, 0, table, chain, handle)
}

// getRuleMsg asks for the rule handle of chain, counters included.
func getRuleMsg(table, chain string, handle uint64) (netlink.Message, error) {
	return ruleMsg(unix.NFT_MSG_GETRULE, 0, table, chain, handle)
}

// compatGetMsg asks nft_compat whether the kernel has the xt match (or
// target) name at revision rev.
func compatGetMsg(name string, rev uint32, target bool) (netlink.Message, error) {
	var typ uint32
	if target {
		typ = 1
	}
	data, err := encode(func(ae *netlink.AttributeEncoder) error {
		ae.String(unix.NFTA_COMPAT_NAME, name)
		ae.Uint32(unix.NFTA_COMPAT_REV, rev)
		ae.Uint32(unix.NFTA_COMPAT_TYPE, typ)
		return nil
	})
	return netlink.Message{
		Header: netlink.Header{Type: subsysType(unix.NFNL_SUBSYS_NFT_COMPAT, msgCompatGet), Flags: request},
		Data:   append(nfgenmsg(unix.NFPROTO_IPV4, 0), data...),
	}, err
}

// tablesMsg is a message of the nf_tables subsystem for the inet family,
// with the attributes that fill writes.
func tablesMsg(typ uint16, flags netlink.HeaderFlags, fill func(*netlink.AttributeEncoder) error) (netlink.Message, error) {
	data, err := encode(fill)
	if err != nil {
		return netlink.Message{}, fmt.Errorf("encode %s: %w", msgName(typ), err)
	}
	return netlink.Message{
		Header: netlink.Header{Type: subsysType(unix.NFNL_SUBSYS_NFTABLES, typ), Flags: request | flags},
		Data:   append(nfgenmsg(family, 0), data...),
	}, nil
}

// encode runs fill on a big-endian attribute encoder, as nf_tables wants.
func encode(fill func(*netlink.AttributeEncoder) error) ([]byte, error) {
	ae := netlink.NewAttributeEncoder()
	ae.ByteOrder = binary.BigEndian
	if err := fill(ae); err != nil {
		return nil, err
	}
	return ae.Encode()
}

// batch wraps msgs in the begin and end messages of an nf_tables
// transaction.
func batch(msgs []netlink.Message) []netlink.Message {
	mark := func(typ uint16) netlink.Message {
		return netlink.Message{
			Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: netlink.Request},
			Data:   nfgenmsg(unix.AF_UNSPEC, unix.NFNL_SUBSYS_NFTABLES),
		}
	}
	out := make([]netlink.Message, 0, len(msgs)+2)
	out = append(out, mark(unix.NFNL_MSG_BATCH_BEGIN))
	out = append(out, msgs...)
	return append(out, mark(unix.NFNL_MSG_BATCH_END))
}

// nfgenmsg is the header every nfnetlink message starts with: the family,
// the version and a resource ID in network order.
func nfgenmsg(fam uint8, resID uint16) []byte {
	return []byte{fam, unix.NFNETLINK_V0, byte(resID >> 8), byte(resID)}
}

// subsysType is the netlink message type of msg in an nfnetlink subsystem.
func subsysType(subsys int, msg uint16) netlink.HeaderType {
	return netlink.HeaderType(subsys<<8 | int(msg))
}

// msgName names an nf_tables message type for errors.
func msgName(typ uint16) string {
	switch typ {
	case unix.NFT_MSG_NEWTABLE:
		return "table"
	case unix.NFT_MSG_NEWCHAIN:
		return "chain"
	}
	return "rule"
}
