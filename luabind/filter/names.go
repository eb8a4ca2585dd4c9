package filter

// proto is a protocol qualifier, libpcap's Q_IP, Q_TCP and so on.
type proto uint8

const (
	pDefault proto = iota // none written
	pLink                 // ether, link, ppp, slip, fddi, tr, wlan
	pIP
	pARP
	pRARP
	pSCTP
	pTCP
	pUDP
	pICMP
	pIGMP
	pIGRP
	pPIM
	pVRRP
	pCARP
	pATalk
	pAARP
	pDECnet
	pLAT
	pSCA
	pMOPRC
	pMOPDL
	pIPv6
	pICMPv6
	pAH
	pESP
	pISO
	pESIS
	pISIS
	pISISL1
	pISISL2
	pISISIIH
	pISISLSP
	pISISSNP
	pISISCSNP
	pISISPSNP
	pCLNP
	pSTP
	pIPX
	pNetBEUI
	pUndef // after a primitive that cannot be repeated (tcp, ip[9] = 6)
)

// protoNames are the keywords of the qualifiers, for messages.
var protoNames = [...]string{
	pDefault: "", pLink: "ether", pIP: "ip", pARP: "arp", pRARP: "rarp", pSCTP: "sctp",
	pTCP: "tcp", pUDP: "udp", pICMP: "icmp", pIGMP: "igmp", pIGRP: "igrp", pPIM: "pim",
	pVRRP: "vrrp", pCARP: "carp", pATalk: "atalk", pAARP: "aarp", pDECnet: "decnet",
	pLAT: "lat", pSCA: "sca", pMOPRC: "moprc", pMOPDL: "mopdl", pIPv6: "ip6",
	pICMPv6: "icmp6", pAH: "ah", pESP: "esp", pISO: "iso", pESIS: "esis", pISIS: "isis",
	pISISL1: "l1", pISISL2: "l2", pISISIIH: "iih", pISISLSP: "lsp", pISISSNP: "snp",
	pISISCSNP: "csnp", pISISPSNP: "psnp", pCLNP: "clnp", pSTP: "stp", pIPX: "ipx",
	pNetBEUI: "netbeui", pUndef: "",
}

func (p proto) String() string { return protoNames[p] }

// EtherTypes, LLC SAPs and protocol numbers the compiler tests for.
const (
	etherIP       = 0x0800
	etherARP      = 0x0806
	etherRARP     = 0x8035
	etherIPv6     = 0x86dd
	ether8021Q    = 0x8100
	ether8021AD   = 0x88a8
	ether8021QinQ = 0x9100
	etherATalk    = 0x809b
	etherAARP     = 0x80f3
	etherDECnet   = 0x6003
	etherLAT      = 0x6004
	etherSCA      = 0x6007
	etherMOPDL    = 0x6001
	etherMOPRC    = 0x6002
	etherIPX      = 0x8137
	etherPPPoED   = 0x8863
	etherMPLS     = 0x8847
	etherMTU      = 1500 // a type/length field up to this is an 802.3 length

	sapIP      = 0x06
	sapSTP     = 0x42
	sapSNAP    = 0xaa
	sapIPX     = 0xe0
	sapNetBEUI = 0xf0
	sapISO     = 0xfe

	isoCLNP = 0x81
	isoESIS = 0x82
	isoISIS = 0x83

	ipICMP     = 1
	ipIGMP     = 2
	ipTCP      = 6
	ipIGRP     = 9
	ipUDP      = 17
	ipFragment = 44
	ipESP      = 50
	ipAH       = 51
	ipICMPv6   = 58
	ipPIM      = 103
	ipVRRP     = 112
	ipSCTP     = 132
	ipAnyPort  = -1 // a port of tcp, udp or sctp (libpcap's PROTO_UNDEF)
)

// IS-IS PDU types.
const (
	isisL1LANIIH = 15
	isisL2LANIIH = 16
	isisPTPIIH   = 17
	isisL1LSP    = 18
	isisL2LSP    = 20
	isisL1CSNP   = 24
	isisL2CSNP   = 25
	isisL1PSNP   = 26
	isisL2PSNP   = 27
)

// A keyword is what a reserved word of pcap-filter lexes to.
type keyword struct {
	kind  tokKind
	proto proto // for tPname
}

// keywords are the reserved words of libpcap's scanner. Those netlua
// does not compile lex as tUnsupported, so that the error names them.
var keywords = map[string]keyword{}

func init() {
	for _, w := range []string{"link", "ether", "ppp", "slip", "fddi", "tr", "wlan"} {
		keywords[w] = keyword{tPname, pLink}
	}
	for p := pIP; p < pUndef; p++ {
		keywords[p.String()] = keyword{tPname, p}
	}
	keywords["es-is"] = keyword{tPname, pESIS}
	keywords["is-is"] = keyword{tPname, pISIS}
	for w, k := range map[string]tokKind{
		"src": tSrc, "dst": tDst, "host": tHost, "net": tNet, "mask": tMask, "port": tPort,
		"portrange": tPortrange, "proto": tProto, "less": tLess, "greater": tGreater,
		"byte": tByte, "broadcast": tBroadcast, "multicast": tMulticast, "and": tAnd,
		"or": tOr, "not": tNot, "len": tLen, "length": tLen, "vlan": tVlan, "pppoed": tPppoed,
		"mpls": tMpls, "llc": tLlc, "pppoes": tPppoes, "protochain": tProtochain, "geneve": tGeneve,
	} {
		keywords[w] = keyword{kind: k}
	}
	for _, w := range unsupportedWords {
		keywords[w] = keyword{kind: tUnsupported}
	}
}

// unsupportedWords are keywords of pcap-filter(7) for constructs netlua
// does not compile: other link types (802.11, ATM, MTP, pflog), kernel
// metadata, encapsulations that change the link type, and lookups.
var unsupportedWords = []string{
	"gateway", "radio", "type", "subtype", "direction", "dir",
	"address1", "addr1", "address2", "addr2", "address3", "addr3", "address4", "addr4",
	"ra", "ta", "inbound", "outbound", "ifindex",
	"lane", "metac", "bcc", "oam", "oamf4", "oamf4ec", "oamf4sc", "sc", "ilmic",
	"vpi", "vci", "connectmsg", "metaconnect", "on", "ifname", "rset", "ruleset",
	"rnr", "rulenum", "srnr", "subrulenum", "reason", "action", "fisu", "lssu", "lsu",
	"msu", "hfisu", "hlssu", "hmsu", "sio", "opc", "dpc", "sls", "hsio", "hopc", "hdpc", "hsls",
}

// namedNumbers are the constants the scanner turns into numbers.
var namedNumbers = map[string]uint32{
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4, "icmp-redirect": 5,
	"icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10, "icmp-timxceed": 11,
	"icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,

	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3,
	"icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133,
	"icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135, "icmp6-neighboradvert": 136,
	"icmp6-redirect": 137, "icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139,
	"icmp6-nodeinformationresponse": 140, "icmp6-ineighbordiscoverysolicit": 141,
	"icmp6-ineighbordiscoveryadvert": 142, "icmp6-multicastlistenerreportv2": 143,
	"icmp6-homeagentdiscoveryrequest": 144, "icmp6-homeagentdiscoveryreply": 145,
	"icmp6-mobileprefixsolicit": 146, "icmp6-mobileprefixadvert": 147,
	"icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
	"icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
	"icmp6-multicastrouterterm": 153,

	"tcpflags": 13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
}

// etherProtoNames are the names `ether proto \name` knows (libpcap's
// eproto_db, then llc_db).
var etherProtoNames = map[string]uint32{
	"aarp": etherAARP, "arp": etherARP, "atalk": etherATalk, "decnet": etherDECnet,
	"ip": etherIP, "ip6": etherIPv6, "lat": etherLAT, "loopback": 0x9000,
	"mopdl": etherMOPDL, "moprc": etherMOPRC, "rarp": etherRARP, "sca": etherSCA,
	"iso": sapISO, "stp": sapSTP, "ipx": sapIPX, "netbeui": sapNetBEUI,
}
