package frame

import (
	"encoding/binary"
	"hash/crc32"
)

// SCTP (RFC 9260), as Scapy 2.5's scapy.layers.sctp has it: the common
// header, whose CRC32c checksum is computed when not given, and the
// chunks Scapy chains as payload layers (SCTPChunkData, SCTPChunkInit,
// ...) as one list (sctpchunks.go).

// SCTP is an SCTP packet: its common header and its chunks.
var SCTP = builtinProto("sctp", "SCTP common header and chunks (RFC 9260), Scapy's SCTP and SCTPChunk* layers; "+
	"chksum is the CRC32c, computed unless given; IP protocol 132", []Field{
	{Name: "sport", Bits: 16}, {Name: "dport", Bits: 16},
	{Name: "tag", Bits: 32, Hex: true}, {Name: "chksum", Bits: 32, Auto: true, Hex: true},
	{Name: "chunks", Kind: List, List: sctpChunkList},
})

// Field indexes of SCTP, in the order of its Fields.
const sctpSport, sctpDport, sctpTag, sctpChksum, sctpChunksField = 0, 1, 2, 3, 4

const (
	protoSCTP     = 132
	sctpHeaderLen = 12
)

// castagnoli is the CRC32c table SCTP's checksum uses.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sctpBinds binds SCTP on IPv4 and IPv6, as Scapy does. It runs from init.
func sctpBinds() {
	IPv4.binds = append(IPv4.binds, Binding{Field: ipProto, Value: protoSCTP, Upper: SCTP})
	IPv6.binds = append(IPv6.binds, Binding{Field: v6NH, Value: protoSCTP, Upper: SCTP})
	SCTP.encode, SCTP.finish, SCTP.decode = encodeSCTP, finishSCTP, decodeSCTP
}

func encodeSCTP(b *Builder, i int) {
	b.u16(b.num(i, sctpSport))
	b.u16(b.num(i, sctpDport))
	b.u32(b.num(i, sctpTag))
	b.u32(b.num(i, sctpChksum))
	b.buf = append(b.buf, b.layers[i].data...)
}

// finishSCTP writes the CRC32c of the packet and what follows, with the
// checksum's bytes zero, in the byte order of RFC 9260's appendix B (as
// Scapy's crc32c reverses it).
func finishSCTP(b *Builder, i int) {
	if b.given(i, sctpChksum) {
		return
	}
	crc := crc32.Checksum(b.from(i), castagnoli)
	binary.LittleEndian.PutUint32(b.buf[b.starts[i]+8:], crc)
}

// decodeSCTP reads the common header and takes the rest as chunks, but
// for fewer than 4 bytes after the last chunk, which Scapy reads as
// padding.
func decodeSCTP(l *Layer, d []byte) (decoded, error) {
	if len(d) < sctpHeaderLen {
		return decoded{}, truncated(len(d), sctpHeaderLen)
	}
	l.put(sctpSport, u16(d))
	l.put(sctpDport, u16(d[2:]))
	l.put(sctpTag, u32(d[4:]))
	l.put(sctpChksum, u32(d[8:]))
	end := sctpHeaderLen + sctpChunksLen(d[sctpHeaderLen:])
	l.data = d[sctpHeaderLen:end]
	return decoded{hdr: end, end: end}, nil
}
