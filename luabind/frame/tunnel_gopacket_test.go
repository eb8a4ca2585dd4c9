package frame

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the tunnel vectors' GRE, VXLAN, GENEVE, MPLS, ERSPAN II
// and 802.1ad headers, and the frames inside them, to the same values as
// parse.
func TestTunnelVectorsGopacket(t *testing.T) {
	checkers := gopacketBaseCheckers()
	checkers[layers.LayerTypeGRE] = checkGRE
	checkers[layers.LayerTypeVXLAN] = checkVXLAN
	checkers[layers.LayerTypeGeneve] = checkGeneve
	checkers[layers.LayerTypeMPLS] = checkMPLS
	checkers[layers.LayerTypeERSPANII] = checkERSPAN
	checked := checkGopacketFile(t, tunnelVectors, checkers, gopacketCut(tunnelStop))
	wantAtLeast(t, checked, map[string]int{"gre": 25, "vxlan": 25, "geneve": 25, "mpls": 25,
		"erspan": 25, "vlan": 25})
}

// tunnelStop reports the two headers after which gopacket reads otherwise
// than Scapy:
//
//   - GRE with ERSPAN's protocol and no sequence number: gopacket, as
//     Wireshark and the ERSPAN draft (draft-foschiano-erspan) do, reads
//     ERSPAN type I, whose mirrored frame follows GRE with no ERSPAN header;
//     Scapy 2.5 (scapy.contrib.erspan binds GRE seqnum_present=0 to
//     ERSPAN, which dispatches to ERSPAN_II) and parse read a type II
//     header first.
//   - GENEVE whose options run past its optionlen: gopacket reads each
//     option to its own length, past the header's end; Scapy and parse
//     stop at optionlen (RFC 8926 3.4: Opt Len is the options' length),
//     as the "geneve long options" vectors, made with Scapy's optionlen
//     losing bit 4, need.
func tunnelStop(gl gopacket.Layer) bool {
	switch l := gl.(type) {
	case *layers.GRE:
		return l.Protocol == layers.EthernetTypeERSPAN && len(l.Contents) == 4
	case *layers.Geneve:
		return len(l.Contents) != 8+int(l.OptionsLength)
	}
	return false
}

func checkGRE(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.GRE)
	cs := []gopacketCheck{{"gre", "chksum_present", b2u(l.ChecksumPresent)},
		{"gre", "routing_present", b2u(l.RoutingPresent)}, {"gre", "key_present", b2u(l.KeyPresent)},
		{"gre", "seqnum_present", b2u(l.SeqPresent)}, {"gre", "strict_route_source", b2u(l.StrictSourceRoute)},
		{"gre", "recursion_control", uint64(l.RecursionControl)}, {"gre", "flags", uint64(l.Flags)},
		{"gre", "version", uint64(l.Version)}, {"gre", "proto", uint64(l.Protocol)}}
	if l.ChecksumPresent || l.RoutingPresent {
		cs = append(cs, gopacketCheck{"gre", "chksum", uint64(l.Checksum)}, gopacketCheck{"gre", "offset", uint64(l.Offset)})
	}
	if l.KeyPresent {
		cs = append(cs, gopacketCheck{"gre", "key", uint64(l.Key)})
	}
	if l.SeqPresent {
		cs = append(cs, gopacketCheck{"gre", "sequence_number", uint64(l.Seq)})
	}
	return cs
}

// checkVXLAN compares the flags gopacket names: I (0x08) and the group
// policy draft's G (0x80) in flags; D, A and the policy id in reserved1.
func checkVXLAN(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.VXLAN)
	return []gopacketCheck{{"vxlan", "vni", uint64(l.VNI)},
		{"vxlan", "flags", gopacketMask{0x88, b2u(l.ValidIDFlag)<<3 | b2u(l.GBPExtension)<<7}},
		{"vxlan", "reserved1", gopacketMask{0x48ffff, b2u(l.GBPDontLearn)<<22 | b2u(l.GBPApplied)<<19 | uint64(l.GBPGroupPolicyID)}}}
}

// checkGeneve compares the options as bytes, made back from gopacket's
// class, type, flags, length and data.
func checkGeneve(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.Geneve)
	cs := []gopacketCheck{{"geneve", "version", uint64(l.Version)},
		{"geneve", "optionlen", uint64(l.OptionsLength) / 4}, // gopacket counts bytes, the header 4-byte words
		{"geneve", "oam", b2u(l.OAMPacket)}, {"geneve", "critical", b2u(l.CriticalOption)},
		{"geneve", "proto", uint64(l.Protocol)}, {"geneve", "vni", uint64(l.VNI)}}
	if len(l.Contents) != 8+int(l.OptionsLength) { // options past optionlen: see tunnelStop
		return cs
	}
	var opts []byte
	for _, o := range l.Options {
		opts = binary.BigEndian.AppendUint16(opts, o.Class)
		opts = append(opts, o.Type, o.Flags<<5|(o.Length-4)/4)
		opts = append(opts, o.Data...)
	}
	return append(cs, gopacketCheck{"geneve", "options", opts})
}

func checkMPLS(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.MPLS)
	return []gopacketCheck{{"mpls", "label", uint64(l.Label)}, {"mpls", "cos", uint64(l.TrafficClass)},
		{"mpls", "s", b2u(l.StackBottom)}, {"mpls", "ttl", uint64(l.TTL)}}
}

func checkERSPAN(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ERSPANII)
	return []gopacketCheck{{"erspan", "ver", uint64(l.Version)}, {"erspan", "vlan", uint64(l.VLANIdentifier)},
		{"erspan", "cos", uint64(l.CoS)}, {"erspan", "en", uint64(l.TrunkEncap)},
		{"erspan", "t", b2u(l.IsTruncated)}, {"erspan", "session_id", uint64(l.SessionID)},
		{"erspan", "reserved", uint64(l.Reserved)}, {"erspan", "index", uint64(l.Index)}}
}
