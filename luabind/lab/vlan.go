package lab

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// A VLAN says which 802.1Q VLANs a switch port carries: an access port
// has one untagged VLAN (Access); a trunk carries Tagged VLANs.
type VLAN struct {
	Access int   // 1-4094, or 0
	Tagged []int // 1-4094 each
}

// Bridge VLAN flags and attributes (linux/if_bridge.h).
const (
	bridgeVLANInfo     = 2 // IFLA_BRIDGE_VLAN_INFO
	bridgeVLANPVID     = 2 // BRIDGE_VLAN_INFO_PVID
	bridgeVLANUntagged = 4 // BRIDGE_VLAN_INFO_UNTAGGED
	bridgeDefaultPVID  = 1
)

// SetVLAN makes the switch port p carry the VLANs v instead of the
// bridge's default VLAN 1, turning VLAN filtering on in its bridge. A
// kernel without bridge VLAN filtering refuses with ErrNoVLANFiltering.
func (l *Lab) SetVLAN(p *End, v VLAN) error {
	sw := p.Host.sw
	if sw == nil {
		return fmt.Errorf("%s %s is not a switch port", p.Host.name, p.Ifname)
	}
	if err := v.check(); err != nil {
		return err
	}
	c, err := rtnl.Dial(p.Host.ns, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := sw.filterVLANs(c); err != nil {
		return fmt.Errorf("%s br0: %w", p.Host.name, err)
	}
	err = portVLAN(c, unix.RTM_DELLINK, uint32(p.Ifindex), bridgeDefaultPVID, 0)
	if err == nil && v.Access != 0 {
		err = portVLAN(c, unix.RTM_SETLINK, uint32(p.Ifindex), v.Access, bridgeVLANPVID|bridgeVLANUntagged)
	}
	for _, vid := range v.Tagged {
		if err == nil {
			err = portVLAN(c, unix.RTM_SETLINK, uint32(p.Ifindex), vid, 0)
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s: vlan: %w", p.Host.name, p.Ifname, err)
	}
	return nil
}

// check refuses VLAN ids outside 1-4094 and an empty VLAN.
func (v VLAN) check() error {
	if v.Access == 0 && len(v.Tagged) == 0 {
		return errors.New("a port needs a vlan or vlans")
	}
	for _, vid := range append([]int{v.Access}, v.Tagged...) {
		if vid < 0 || vid > 4094 || vid == 0 && v.Access != 0 {
			return fmt.Errorf("%d is not a VLAN id (1 to 4094)", vid)
		}
	}
	return nil
}

// filterVLANs turns VLAN filtering on in the switch's bridge.
func (sw *Switch) filterVLANs(c *netlink.Conn) error {
	if sw.opts.VLANFiltering {
		return nil
	}
	o := sw.opts
	o.VLANFiltering = true
	data, err := bridgeData(SwitchOptions{VLANFiltering: true})
	if err != nil {
		return err
	}
	m := &rtnetlink.LinkMessage{Index: sw.bridge, Attributes: &rtnetlink.LinkAttributes{
		Info: &rtnetlink.LinkInfo{Kind: "bridge", Data: &rtnetlink.LinkData{Name: "bridge", Data: data}},
	}}
	if err := rtnl.SetLink(c, m); err != nil {
		return bridgeError(err, o)
	}
	sw.opts = o
	return nil
}

// portVLAN adds (RTM_SETLINK) or removes (RTM_DELLINK) VLAN vid on the
// bridge port index, as `bridge vlan add dev PORT vid VID` does: an
// AF_BRIDGE ifinfomsg with the VLAN in IFLA_AF_SPEC, which rtnetlink's
// LinkMessage cannot carry.
func portVLAN(c *netlink.Conn, typ uint16, index uint32, vid int, flags uint16) error {
	info := make([]byte, 4)
	binary.NativeEndian.PutUint16(info, flags)
	binary.NativeEndian.PutUint16(info[2:], uint16(vid))
	ae := netlink.NewAttributeEncoder()
	ae.Nested(unix.IFLA_AF_SPEC, func(nae *netlink.AttributeEncoder) error {
		nae.Bytes(bridgeVLANInfo, info)
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		return err
	}
	msg := make([]byte, unix.SizeofIfInfomsg, unix.SizeofIfInfomsg+len(attrs))
	msg[0] = unix.AF_BRIDGE
	binary.NativeEndian.PutUint32(msg[4:], index)
	_, err = c.Execute(netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: rtnl.Change},
		Data:   append(msg, attrs...),
	})
	return err
}
