package filter

// The expressions judged against tcpdump (tcpdump_test.go), by part of
// the grammar. Each must select exactly the corpus frames tcpdump
// selects, or be refused by both.

var protocolExprs = []string{
	"", "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "igmp", "igrp", "pim", "vrrp", "carp",
	"sctp", "ah", "esp", "atalk", "aarp", "decnet", "lat", "sca", "moprc", "mopdl", "iso", "esis", "es-is",
	"isis", "is-is", "clnp", "stp", "ipx", "netbeui", "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp", "pppoed",
}

var booleanExprs = []string{
	"tcp or udp", "not tcp", "! tcp", "!tcp", "tcp and not port 80", "tcp && port 80", "tcp || icmp",
	"not (tcp or udp)", "ip and not tcp and not udp", "arp or rarp or ip6", "tcp or udp and port 53",
	"(tcp or udp) and port 53", "tcp or (udp and port 53)", "not not ip", "!(ip)", "not ip6 and not arp",
	"ip or ip6", "not ip and not ip6", "icmp or icmp6", "ip and ip", "ip or not ip",
	"not (ip and tcp) and ip", "tcp and (port 80 or port 443) and not host 10.0.0.1",
	"udp or tcp or icmp or arp or ip6 or vlan", "((((tcp))))", "not (not (not tcp))",
}

var hostExprs = []string{
	"host 10.0.0.1", "src host 10.0.0.1", "dst host 10.0.0.2", "host 10.0.0.1 and host 10.0.0.2",
	"src or dst host 10.0.0.1", "src and dst host 192.168.1.10", "dst or src host 10.0.0.2",
	"dst and src host 10.0.0.1", "ip host 10.0.0.1", "arp host 10.0.0.1", "rarp host 10.1.200.5",
	"ip src host 10.0.0.1", "arp dst host 10.0.0.2", "host 10.1", "host 10", "host 10.1.2", "net 10",
	"net 10.1", "net 10.1.2", "net 10.0.0.0/8", "net 10.0.0.0/24", "net 192.168.1.0/24", "src net 10.0.0.0/8",
	"dst net 224.0.0.0/4", "net 10.0.0.0 mask 255.0.0.0", "net 172.16.0.0 mask 255.240.0.0",
	"net 172.16.0.0/12", "net 0.0.0.0/0", "net 0", "ip net 10.1.0.0/16", "arp net 10.0.0.0/8",
	"host 255.255.255.255", "host 0.0.0.0", "dst host 224.0.0.251", "ip dst 224.0.0.1", "src 10.0.0.1",
	"dst 10.0.0.2 or src 10.0.0.2", "host 10.0.0.1 or 10.0.0.2", "host 10.0.0.1 and not 10.0.0.2",
	"host 10.0.0.1 or (10.0.0.2 or 10.1.2.3)", "src net 10 or 192.168", "net 10.0.0.0/8 and not net 10.1.0.0/16",
	"host 1.2.3.4", "dst host 8.8.8.8", "src host 127.0.0.1", "host 198.18.0.1", "src 10", "dst net 10",
	"host 10.0.0.1 and tcp", "not host 10.0.0.1 and not 10.0.0.2", "host 10.0.0.1 or not 10.0.0.2",
	"rarp src host 10.0.0.2", "net 128.0.0.0/1",
	"net 10.1.200.0 mask 255.255.255.0", "host 172.31.255.1 or host 172.16.5.4",
	"host 2001:db8::1", "src host 2001:db8::1", "dst host 2001:db8::2", "ip6 host ::1", "host fe80::1",
	"net 2001:db8::/32", "net 2001:db8:1::/48", "src net 2001:db8::/64", "dst net ff02::/16",
	"ip6 net fe80::/10", "net ::/0", "host ff02::1", "ip6 dst ff02::1:2", "host 2001:db8::1 or 2001:db8::2",
	"host 2001:db8:ffff::9", "net 2001:db8::/31", "ip6 net 2001:db8::/32 or fe80::/10",
	"src or dst host fe80::2", "src and dst net fe80::/64", "host ::ffff:10.0.0.1", "net 2001:db8::/127",
	"dst net 2001:db8::/33", "net ff00::/8 and udp",
}

var etherExprs = []string{
	"ether host 00:11:22:33:44:55", "ether src 00:11:22:33:44:55", "ether dst ff:ff:ff:ff:ff:ff",
	"ether host 0:11:22:33:44:55", "ether host 00-11-22-33-44-55", "ether host 0.11.22.33.44.55",
	"ether host 0011.2233.4455", "ether host 001122334455", "ether host 66778899aabb",
	"ether src 66:77:88:99:aa:bb and ether dst 00:11:22:33:44:55", "ether src or dst 02:00:00:00:00:01",
	"ether src and dst 00:11:22:33:44:55", "ether broadcast", "ether multicast", "broadcast", "multicast",
	"not broadcast and multicast", "link host ff:ff:ff:ff:ff:ff", "ether dst 01:00:5e:00:00:01 or 33:33:00:00:00:01",
	"ether host ff:ff:ff:ff:ff:ff or ether host 01:80:c2:00:00:00", "wlan host 00:11:22:33:44:55",
	"fddi src 00:11:22:33:44:55", "ether host 01:80:c2:00:00:00 and stp", "ether src 00:11:22:33:44:55 or 66:77:88:99:aa:bb",
	"ether dst 66:77:88:99:AA:BB", "ip multicast", "ip6 multicast", "ether multicast and ip",
	"multicast and not broadcast", "ether broadcast and arp", "broadcast or multicast", "ip and broadcast",
	"ether proto 0x800", "ether proto 2048", `ether proto \ip`, `ether proto \ip6`, `ether proto \arp`,
	`ether proto \rarp`, "ether proto 0x86dd", "ether proto 0x8863", "ether proto 0x88cc", `ether proto \atalk`,
	`ether proto \aarp`, `ether proto \decnet`, `ether proto \lat`, `ether proto \sca`, `ether proto \mopdl`,
	`ether proto \moprc`, `ether proto \loopback`, `ether proto \iso`, `ether proto \stp`, `ether proto \ipx`,
	`ether proto \netbeui`, "ether proto 0x42", "ether proto 6", "ether proto 0xfe", "ether proto 0xe0",
	"ether proto 1500", "ether proto 1501", "ether proto 0x05dd", "ether proto 0x8137", "ether proto 0x8100",
	"ether proto 0x809b", "ether proto 0x80f3", "ether proto 0xaa", "link proto 0x800", "ether proto 0x800 or 0x86dd",
	"ether proto 0xf0", "ether proto 0x10000", "ether proto 0", "ether proto 0x8864", "ether proto 0x8847",
}

var protoExprs = []string{
	"ip proto 6", `ip proto \tcp`, `ip proto \udp`, "ip proto 17", "ip proto 1", `ip proto \icmp`, "ip proto 50",
	`ip proto \esp`, "ip proto 47", "ip proto 255", "ip6 proto 6", "ip6 proto 17", "ip6 proto 58",
	`ip6 proto \ipv6-icmp`, "ip6 proto 59", "ip6 proto 0", "ip6 proto 44", "proto 6", `proto \tcp`, `proto \udp`,
	"proto 58", `proto \sctp`, "proto 132", "ip proto 2", "ip proto 89", `ip proto \ospf`, `ip proto \TCP`,
	`iso proto \clnp`, `iso proto \esis`, `iso proto \isis`, "isis proto 20", "isis proto 15 or 16", "iso proto 0x83",
	"ip proto 6 or 17", "proto 51 and ip6", "ip6 proto 43", "ip6 proto 60", "proto 103",
}

var portExprs = []string{
	"port 80", "port 53", "tcp port 80", "udp port 53", "sctp port 2905", "src port 12345", "dst port 80",
	"tcp src port 80", "tcp dst port 80 or 8080", "port 53 or 80", "port 80 and port 12345", "port 80 and not 12345",
	"port (80 or 443)", "tcp port 80 or 443 or 22", "port 0", "port 65535", "udp src port 68 and udp dst port 67",
	"port domain", "port http", "tcp port http", "port https", "port ntp", "udp port ntp", "port ssh", "port syslog",
	"port nfs", "tcp port domain", "udp port domain", "src or dst port 53", "src and dst port 123",
	"src and dst port 53", `port \80`, "port 2049", "udp port 2049", "port 1900", "port 5353", "port 22 or port 23",
	"port 514", "port 443", "port mdns", "tcp port www", "port telnet", "sctp port 80",
	"portrange 1-1024", "portrange 1024-65535", "portrange 80-80", "portrange 1000-100", "tcp portrange 20-25",
	"udp portrange 50-60", "src portrange 0-1023", "dst portrange 1024-65535", "portrange 53", "sctp portrange 2000-3000",
	"portrange ssh-http", "portrange domain-http", "portrange 1-1024 or portrange 8000-9000", "portrange 1-100 or 200-300",
	"tcp portrange 0-79 or 81-65535", "portrange 1-2foo", "portrange 53-domain",
	"tcp and port 80 or 443", "host 10.0.0.1 and (port 80 or 443)", "host 10.0.0.1 and (port 80) or 10.0.0.2",
	"port 53 and not (80 or 443)", "(port 80 or 443) and tcp", "dst port 80 or src port 80 or 8080",
	"(host 10.0.0.1 or 10.0.0.2) and (port 80 or 12345)", "port (80)", "port ((80))", "port ((80) or 443)",
	"host (10.0.0.1 or 10.0.0.2)", "host (10.0.0.1 or not 10.0.0.2)", "port (80 or (443 or 22))",
	"tcp port 80 or tcp port 8080 or 443", "src port 80 and dst 10.0.0.1", "not port 53", "udp and not port 53",
}

var byteExprs = []string{
	"icmp[icmptype] = icmp-echo", "icmp[icmptype] == icmp-echoreply", "icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
	"icmp[0] = 3 and icmp[1] = 3", "icmp[icmpcode] = 1", "icmp[icmptype] = icmp-unreach", "icmp[icmptype] = icmp-timxceed",
	"icmp[icmptype] = icmp-redirect", "icmp[icmptype] = icmp-tstamp", "icmp[icmptype] = icmp-routeradvert",
	"icmp[icmptype] = icmp-sourcequench or icmp[icmptype] = icmp-paramprob", "icmp[8:4] = 0x70696e67",
	"icmp6[icmp6type] = icmp6-echo", "icmp6[icmp6type] = icmp6-echoreply", "icmp6[icmp6type] = icmp6-neighborsolicit",
	"icmp6[icmp6type] = icmp6-neighboradvert", "icmp6[icmp6type] = icmp6-routersolicit", "icmp6[icmp6type] = icmp6-routeradvert",
	"icmp6[0] >= 128", "icmp6[icmp6type] = icmp6-multicastlistenerreportv2", "icmp6[icmp6code] = 0",
	"tcp[tcpflags] & tcp-syn != 0", "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn", "tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)",
	"tcp[tcpflags] & tcp-fin != 0", "tcp[tcpflags] & tcp-rst != 0", "tcp[tcpflags] & tcp-push != 0", "tcp[tcpflags] & tcp-urg != 0",
	"tcp[tcpflags] & tcp-ece != 0", "tcp[tcpflags] & tcp-cwr != 0", "tcp[tcpflags] = 0xff", "tcp[13] = 2", "tcp[13] & 2 != 0",
	"tcp[13] & 0x12 = 0x12", "tcp[0:2] = 80", "tcp[2:2] = 80", "tcp[0:4] = 0x30390050", "tcp[12] >> 4 = 5",
	"(tcp[12] & 0xf0) >> 2 = 20", "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420", "tcp[20:4] = 0x47455420",
	"tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
	"udp[0:2] = 53", "udp[2:2] = 53", "udp[4:2] > 12", "udp[8] = 0x71", "udp[8:2] = 0x7175",
	"ip[0] & 0xf = 5", "ip[0] & 0xf > 5", "ip[0] & 0xf != 5", "ip[9] = 6", "ip[9] = 17", "ip[6:2] & 0x1fff != 0",
	"ip[6:2] & 0x3fff != 0", "ip[6] & 0x20 != 0", "ip[6] & 0x40 != 0", "ip[8] = 1", "ip[8] < 2", "ip[12:4] = 0x0a000001",
	"ip[16:4] = 0xffffffff", "ip[16] >= 224", "ip[2:2] > 100", "ip[2:2] < 50", "ip[1] != 0", "ip[9] = 6 or ip[9] = 17",
	"ip6[6] = 6", "ip6[6] = 44", "ip6[40] = 6", "ip6[8:4] = 0x20010db8", "ip6[24] = 0xff", "ip6[7] = 64",
	"ip6[0] & 0xf0 = 0x60", "ip6[4:2] > 10", "arp[6:2] = 1", "arp[6:2] = 2", "arp[7] = 2", "arp[14:4] = 0x0a000001",
	"rarp[7] = 3", "rarp[6:2] = 4", "ether[12:2] = 0x0800", "ether[12:2] = 0x8100", "ether[0] & 1 != 0",
	"ether[0] = 0xff", "link[12:2] = 0x86dd", "ether[14] = 0x42", "ether[100] = 0x78", "ether[1000:2] = 0x7878",
	"ether[0:4] = 0xffffffff", "ether[6:4] = 0x00112233 and ether[10:2] = 0x4455", "igmp[0] = 0x16", "sctp[0:2] = 2905",
	"pim[0] = 0x20", "vrrp[0] = 0x21", "igrp[0] = 7", "carp[0] = 0x21", "ip[010] = 64", "ip[0x9] = 0x6", "ip[0X9] = 0X11",
	"byte 23 = 6", "byte 12 > 0x80", "byte 12 < 0x08", "ether[ip[0] & 0xf] = 0x45", "ip[ip[0] & 0xf] = 0",
	"tcp[tcp[12] >> 4] = 0", "udp[udp[4:2] - 1] != 0x55", "ether[len - 1] = 0", "ip[ip[0] & 0] = 0x45",
	"ether[0xfffff000] = 0", "ether[0x7fffffff] = 0", "ip[0xfffffff0] = 0", "tcp[0xffffffff:2] = 0",
	"not ip[0] = 0x45", "! ip[9] = 6", "tcp[0] & 0 = 1 or udp", "tcp[0] & 0 = 0", "decnet[0] = 0x5a",
	"atalk[2] = 0x5a", "lat[0] = 0x5a", "sca[0] = 0x5a", "moprc[0] = 0x5a", "mopdl[0] = 0x5a",
}

var arithExprs = []string{
	"len > 100", "len >= 60", "len < 60", "len <= 60", "len = 60", "len != 60", "len == 54", "length > 1000",
	"less 60", "greater 100", "less 14", "greater 0", "less 0", "len - 14 = ip[2:2]", "len - 14 > ip[2:2]",
	"ip[2:2] + 14 = len", "ip[2:2] + 14 < len", "len = 14 + ip[2:2]", "len * 2 > 200", "len / 2 = 30",
	"len % 2 = 0", "len & 1 = 1", "len | 1 = 61", "len ^ 60 = 0", "len << 1 = 120", "len >> 1 = 30", "-len < 0",
	"- ip[0] = -69", "-(ip[0]) = 0xffffffbb", "ip[0] - 0x40 = 5", "ip[0] * 2 = 0x8a", "ip[0] / 16 = 4",
	"ip[0] % 16 = 5", "ip[0] % 16 + 1 = 6", "ip[0] % 16 + 1 = 1", "2 + 3 * 4 = 14", "(2 + 3) * 4 = 20",
	"2 * 3 % 4 = 6", "10 - 2 - 3 = 5", "2 ^ 3 & 1 = 3", "1 << 2 + 1 = 8", "1 | 2 & 3 = 3", "0x10 >> 2 = 4",
	"len - len = 0", "ip[0] & 0 = 0", "ether[100] & 0 = 0", "len / (ip[1]) = 0", "1 = 1",
	"len > 0 or 1 = 0", "1 = 1 or 0 = 1", "tcp and (1 = 1)", "(ip[0] = 0x45)", "(ip[0]) = 0x45", "((ip[0] & 0xf)) = 5", "(1) = 1",
	"((1)) + 1 = 2", "-1 = 0xffffffff", "- - 5 = 5", "-len % 7 = 3", "len * 0 = 0", "0 * len = 0", "0 / len = 0",
	"ip[0] + 0 = 0x45", "ip[0] | 0 = 0x45", "0 - ip[0] = 0xffffffbb", "len - 0 = 60", "7 % 3 = 1", "6 / 4 = 1",
	"1 << 31 = 0x80000000", "0xffffffff + 1 = 0", "len > ip[2:2]", "ip[2:2] <= len", "len >= len",
	"ether[12:2] > ether[14:2]", "ip[0] = ip[0]", "tcp[0:2] = tcp[2:2]", "udp[0:2] = udp[2:2]", "len % 3 = 2",
	"len ^ 0xff > 0x80", "len - 60 > 0", "4 * (ip[0] & 0xf) > 20", "(ip[0] & 0xf) * 4 = 20 and ip[9] = 6",
	"ip[2:2] - 4 * (ip[0] & 0xf) = 28", "len > 1514 or len < 14", "greater 1000 and tcp",
	// Relations whose sides fold to one constant (issue 16), and loads
	// at negative offsets, which libpcap's optimizer wraps in 32 bits.
	"arp or ((ip[0] & 0) = (ip[1] & 0) and (ip[0] & 0) = 0)", "2 * 2 = 2 * 2 and 2 * 2 = 4",
	"ip and (tcp[0] & 0) = 1 - 1", "2 * 2 = 5 and ip[0] / (1 - 1) = 1 or arp", "ip[-1] = 0", "ip[-2:2] = 0x0800",
	"tcp[-1] = 1", "tcp[-8:2] = 0x0a00", "udp[-8:2] = 0x0a00",
}

var vlanExprs = []string{
	"vlan", "vlan 100", "vlan 200", "vlan 0", "vlan 4095", "vlan 1", "vlan and ip", "vlan 100 and ip",
	"vlan 100 and tcp port 80", "vlan and ip6", "vlan and udp port 53", "vlan and arp", "vlan and vlan",
	"vlan 10 and vlan 20", "vlan and vlan and ip", "vlan and vlan and udp port 53", "vlan 100 and vlan 200 and tcp",
	"vlan and vlan and vlan", "vlan 30 and vlan 40 and ip6", "not vlan", "ip or vlan", "vlan or ip",
	"(vlan and ip) or ip", "tcp or vlan and tcp", "vlan and host 10.0.0.1", "vlan and src net 10.0.0.0/8",
	"vlan and ether host 66:77:88:99:aa:bb", "vlan and ether[12:2] = 0x8100", "vlan and ip[9] = 17",
	"vlan and tcp[13] & 2 != 0", "vlan and icmp", "vlan and stp", "vlan 100 and stp",
	"vlan and ip and ip[6:2] & 0x1fff != 0", "vlan and broadcast", "vlan and ether proto 0x806", "vlan 300 and port 53",
	"vlan and less 60", "vlan (100)", "vlan 100 or vlan 200", "vlan and (ip or ip6)", "not vlan and ip", "vlan and not ip",
	"vlan and ip6 and host 2001:db8::1", "vlan and vlan 20", "vlan 0x64", "vlan and multicast", "vlan and ip multicast",
	"vlan and tcp port 22", "vlan and udp port 123 and host 10.1.2.3", "vlan and icmp[icmptype] = icmp-echo",
	"vlan and vlan and icmp", "vlan and vlan and vlan and ip", "vlan 100 and vlan 200 and vlan 300", "vlan 50 and icmp6",
	"vlan and portrange 50-60", "vlan and ip proto 17", "vlan and ip6 proto 6", "vlan and arp host 10.0.0.1",
	"vlan and tcp and ip[2:2] > 40", "vlan and ip[0] & 0xf > 5", "vlan and len > 80", "vlan 4095 and udp",
	"vlan 100 and ether dst 66:77:88:99:aa:bb", "vlan 100 and (tcp or arp)", "vlan and ether proto 0x8100",
}

// refusedExprs are mistakes both tcpdump and netlua refuse.
var refusedExprs = []string{
	"tcp port", "port", "host", "port abc", "port 70000", "tcp port 80 and", "and tcp", "(tcp", "tcp)", "ip[",
	"ip[1", "ip[1:3] = 1", "10.0.0.1", "80", "tcp or 80", "host 10.0.0.1.5", "ether host 1:2:3:4:5",
	"net 10.0.0.1/8", "net 10.0.0.0/33", "host 10.0.0.0/8", "port 10.0.0.1", "udp port http", "ip6 host 10.0.0.1",
	"tcp host 10.0.0.1", `ip proto \nosuch`, `ether proto \nosuch`, "arp proto 1", "tcp proto 6", "vlan 5000",
	"ip[0] / 0 = 1", "ip[0] % 0 = 1", "ip[0] << 32 = 1", "len / (1 - 1) = 0", "ip[0] = ", "= 1", "1 = 1 = 1",
	"ip[0:3] = 1", "less", "greater x", "src", "src or", "src or src host 1.2.3.4", "ether", "ether and ip", "link",
	"ip host", "not", "!", "()", "ip and ()", "tcp[0", "1 +", "host ::1 and", "icmp proto 1", "portrange 1-",
	"portrange a-b", "net 300.0.0.0/8", "host 256.1.1.1", "ether host 00:11:22:33:44:55:66", "tcp-syn", "len-1 > 0",
	"ip[0] = 0x100000000", "ip[09] = 1", "$1", "gateway foo", "inbound", "outbound", "ifindex 1", "tcp src 80",
	"host 10.0.0.1 and tcp or 10.0.0.2", "radio[0] = 1", "type mgt", "vpi 1", "fisu", "on eth0", "ether host foo",
	"tcp portrange ftp-data-ssh", "net 2001:db8::1/64", "host 2001:db8::/32", "ip6 net 10.0.0.0/8", "port 1.2",
	"ip6[0:3] = 1", "ah[0] = 1", "esp[0] = 1", "isis[0] = 1", "ip broadcast and",
	"tcp multicast", "arp broadcast", "ip6 broadcast", "byte 1 ^ 2", "byte x = 1", "dst and", "src and src 1.2.3.4",
	"tcp[tcpflags] & tcp-syn", "0 = 1", "ip and vlan", "arp and ip", "tcp and udp", "ip host 10.0.0.1 and arp", "net 10.0.0.0/1", "host 1.2.3.4 mask 255.0.0.0", "net 1.2.3.4 mask 255.0.0.0", "port -1",
	"proto", "proto \\", "ip6 src 10.0.0.1", "ip6 dst net 10.0.0.0/8", "arp host 2001:db8::1", "link src 10.0.0.1",
	"ether src 10", "vlan and ether proto", "1 ? 2", "ip[1] == == 1", "ip[] = 1", "(1 or 2)", "((80) or 443)",
	"host (10.0.0.1 or tcp)", "port ((80 or 443) or 22)",
	"1 = 1 and 1 != 1 - 0", "1 - 1 = 1 and ip[0] / (1 - 1) = 1", "0 * (ip[0] / (1 - 1)) = 1",
	"mpls and arp", "mpls and vlan", "mpls 1048576", "mpls and stp", "mpls and pppoed", "mpls and ether proto 0x806",
	"mpls and rarp host 10.0.0.1", "llc foo", "llc 1", "mpls x", "ip proto nosuchproto", "mpls and ipx", "proto esp", "proto icmp or proto udp",
	"pppoes and llc", "pppoes 70000", "mpls and pppoes", "pppoes and multicast", "pppoes and ether broadcast",
	"pppoes and vlan", "pppoes and ether host 00:11:22:33:44:55",
	"tcp protochain 6", "protochain 1.2", `ip protochain \nosuch`, "arp protochain 6", `ether protochain \ip`,
	"protochain", "protochain ::1", "geneve 16777216", "geneve x", "geneve and protochain 6", "vxlan", "udp and vxlan", "vxlan 5",
}

// unsupportedExprs are what tcpdump compiles and netlua refuses by name.
var unsupportedExprs = []string{
	"geneve or tcp", "not geneve and udp", "geneve and tcp port 80 or geneve and udp port 53", "pppoes and geneve",
	"byte 12 & 0x80", "byte 0 | 1", "decnet host 1.2", "decnet src 10.20",
}
