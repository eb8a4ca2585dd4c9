package filter

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The corpus: frames of every kind a filter tells apart, written to
// testdata/corpus.pcap by `go test -run TestCorpusFile -update`; frame i
// has timestamp i seconds, which is how the tcpdump test knows it.

var update = flag.Bool("update", false, "rewrite testdata/corpus.pcap and corpus.txt")

const (
	macA  = "00:11:22:33:44:55"
	macB  = "66:77:88:99:aa:bb"
	macL  = "02:00:00:00:00:01"
	macBC = "ff:ff:ff:ff:ff:ff"
	macM4 = "01:00:5e:00:00:01"
	macM6 = "33:33:00:00:00:01"
	macST = "01:80:c2:00:00:00"
)

type corpusFrame struct {
	name string
	data []byte
}

// corpus lists the frames, in file order.
func corpus() []corpusFrame {
	var fs []corpusFrame
	add := func(name string, data []byte) { fs = append(fs, corpusFrame{name, data}) }
	addLink(add)
	addIPv4(add)
	addFragments(add)
	addIPv6(add)
	addVLAN(add)
	addLLC(add)
	addShort(add)
	addLabels(add)
	return fs
}

func v4(src, dst string, proto byte, payload []byte) []byte {
	return ip4{src: src, dst: dst, proto: proto}.build(payload)
}

func addLink(add func(string, []byte)) {
	add("arp request 10.0.0.1 asks 10.0.0.2", pad(eth(macBC, macA, 0x0806, arpBody(1, macA, "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2"))))
	add("arp reply 10.0.0.2 to 10.0.0.1", pad(eth(macA, macB, 0x0806, arpBody(2, macB, "10.0.0.2", macA, "10.0.0.1"))))
	add("arp gratuitous 192.168.1.10", pad(eth(macBC, macL, 0x0806, arpBody(1, macL, "192.168.1.10", macBC, "192.168.1.10"))))
	add("arp 10.1.2.3 asks 172.16.5.4", pad(eth(macBC, macB, 0x0806, arpBody(1, macB, "10.1.2.3", "00:00:00:00:00:00", "172.16.5.4"))))
	add("rarp request", pad(eth(macBC, macA, 0x8035, arpBody(3, macA, "0.0.0.0", macA, "0.0.0.0"))))
	add("rarp reply 10.1.200.5", pad(eth(macA, macB, 0x8035, arpBody(4, macB, "10.0.0.2", macA, "10.1.200.5"))))
	for _, t := range []struct {
		name  string
		etype uint16
		dst   string
	}{
		{"appletalk", 0x809b, macBC}, {"aarp", 0x80f3, macBC}, {"decnet", 0x6003, "aa:00:04:00:01:04"},
		{"lat", 0x6004, "09:00:2b:00:00:0f"}, {"sca", 0x6007, macB}, {"mop dl", 0x6001, "ab:00:00:01:00:00"},
		{"mop rc", 0x6002, "ab:00:00:02:00:00"}, {"pppoe discovery", 0x8863, macBC},
		{"lldp", 0x88cc, "01:80:c2:00:00:0e"}, {"ipx ethernet II", 0x8137, macB}, {"loopback", 0x9000, macA},
		{"macsec", 0x88e5, macB}, {"type 1501", 0x05dd, macB},
	} {
		add(t.name, pad(eth(t.dst, macA, t.etype, repeat(0x5a, 46))))
	}
	add("pppoe session with ipv4 udp 53", eth(macB, macA, 0x8864, cat([]byte{0x11, 0, 0, 1, 0, 30, 0, 0x21},
		v4("10.0.0.1", "10.0.0.2", 17, udp(1000, 53, []byte("qq"))))))
	add("mpls with ipv4 tcp 80", eth(macB, macA, 0x8847, cat([]byte{0, 0x01, 0x01, 0x40},
		v4("10.0.0.1", "10.0.0.2", 6, tcp(1234, 80, fSYN, nil)))))
	add("broadcast ipv4 udp 192.168.1.255", eth(macBC, macA, 0x0800, v4("192.168.1.10", "192.168.1.255", 17, udp(138, 138, []byte("netbios")))))
	add("ethernet multicast ipv6 to ff02::1", eth(macM6, macA, 0x86dd, ip6("fe80::1", "ff02::1", 58, icmp(134, 0))))
	add("unicast ipv4 with multicast ip dst", eth(macB, macA, 0x0800, v4("10.0.0.1", "224.0.0.5", 89, repeat(1, 20))))
	add("large tcp frame", eth(macB, macA, 0x0800, v4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, fACK, repeat('x', 1460)))))
}

func addIPv4(add func(string, []byte)) {
	ab := func(proto byte, payload []byte) []byte {
		return eth(macB, macA, 0x0800, v4("10.0.0.1", "10.0.0.2", proto, payload))
	}
	ba := func(proto byte, payload []byte) []byte {
		return eth(macA, macB, 0x0800, v4("10.0.0.2", "10.0.0.1", proto, payload))
	}
	add("tcp syn 12345>80", pad(ab(6, tcp(12345, 80, fSYN, nil))))
	add("tcp syn-ack 80>12345", pad(ba(6, tcp(80, 12345, fSYN|fACK, nil))))
	add("tcp ack with http request", ab(6, tcp(12345, 80, fACK|fPSH, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))))
	add("tcp fin-ack 80>12345", pad(ba(6, tcp(80, 12345, fFIN|fACK, nil))))
	add("tcp rst 443>5555", pad(ba(6, tcp(443, 5555, fRST, nil))))
	add("tcp urg 23", pad(ab(6, tcp(1025, 23, fURG|fACK, nil))))
	add("tcp ece cwr 22", pad(ab(6, tcp(50000, 22, fECE|fCWR|fSYN, nil))))
	add("tcp all flags 8080>1024", pad(ab(6, tcp(8080, 1024, 0xff, nil))))
	add("tcp port 0 and 65535", pad(ab(6, tcp(0, 65535, fACK, nil))))
	add("tcp 53 192.168.1.10>8.8.8.8", pad(eth(macB, macA, 0x0800, v4("192.168.1.10", "8.8.8.8", 6, tcp(5000, 53, fSYN, nil)))))
	add("tcp with ip options (ihl 6) 80", pad(eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.1.2.3", proto: 6,
		options: []byte{1, 1, 1, 0}}.build(tcp(3333, 80, fSYN, nil)))))
	add("tcp with ip options (ihl 15) 22", eth(macB, macA, 0x0800, ip4{src: "172.16.5.4", dst: "10.0.0.2", proto: 6,
		options: repeat(1, 40)}.build(tcp(22, 4444, fACK, nil))))
	add("udp dns query 10.0.0.1>10.0.0.2", pad(ab(17, udp(33333, 53, []byte("query")))))
	add("udp dns reply", pad(ba(17, udp(53, 33333, []byte("reply")))))
	add("udp dhcp discover", eth(macBC, macA, 0x0800, v4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, repeat(0, 40)))))
	add("udp ntp 123", pad(ab(17, udp(123, 123, repeat(0, 12)))))
	add("udp syslog 514 from 127.0.0.1", pad(eth(macB, macA, 0x0800, v4("127.0.0.1", "10.0.0.2", 17, udp(40000, 514, []byte("<13>x"))))))
	add("udp mdns to 224.0.0.251", eth("01:00:5e:00:00:fb", macA, 0x0800, v4("192.168.1.10", "224.0.0.251", 17, udp(5353, 5353, repeat(0, 12)))))
	add("udp ssdp to 239.255.255.250", eth("01:00:5e:7f:ff:fa", macA, 0x0800, v4("192.168.1.10", "239.255.255.250", 17, udp(40001, 1900, []byte("M-SEARCH")))))
	add("udp nfs 2049", pad(ab(17, udp(800, 2049, repeat(0, 8)))))
	add("udp with ip options (ihl 7) 53", eth(macB, macA, 0x0800, ip4{src: "10.1.200.5", dst: "172.31.255.1", proto: 17,
		options: repeat(1, 8)}.build(udp(1053, 53, []byte("opt")))))
	add("icmp echo request", pad(ab(1, icmp(8, 0))))
	add("icmp echo reply", pad(ba(1, icmp(0, 0))))
	add("icmp port unreachable", ba(1, cat(icmp(3, 3), v4("10.0.0.1", "10.0.0.2", 17, udp(33333, 53, nil)))))
	add("icmp time exceeded from 198.18.0.1", eth(macA, macB, 0x0800, v4("198.18.0.1", "10.0.0.1", 1, cat(icmp(11, 0), repeat(0, 28)))))
	add("icmp redirect", pad(ba(1, icmp(5, 1))))
	add("icmp timestamp", pad(ab(1, icmp(13, 0))))
	add("icmp router advert to 224.0.0.1", eth(macM4, macB, 0x0800, v4("10.0.0.2", "224.0.0.1", 1, icmp(9, 0))))
	add("igmp v2 report with router alert", eth("01:00:5e:00:00:16", macA, 0x0800, ip4{src: "10.0.0.1", dst: "224.0.0.22",
		proto: 2, ttl: 1, options: []byte{0x94, 4, 0, 0}}.build([]byte{0x16, 0, 0, 0, 239, 1, 1, 1})))
	add("sctp 2905", pad(ab(132, sctp(2905, 2905))))
	add("sctp 80", pad(ba(132, sctp(80, 5000))))
	add("pim hello", pad(eth("01:00:5e:00:00:0d", macA, 0x0800, v4("10.0.0.1", "224.0.0.13", 103, repeat(0x20, 8)))))
	add("vrrp to 224.0.0.18", pad(eth("01:00:5e:00:00:12", macA, 0x0800, v4("10.0.0.1", "224.0.0.18", 112, repeat(0x21, 8)))))
	add("gre", pad(ab(47, repeat(0, 8))))
	add("esp", pad(ab(50, repeat(7, 16))))
	add("ah", pad(ab(51, repeat(7, 16))))
	add("igrp", pad(ab(9, repeat(7, 16))))
	add("ip proto 255", pad(ab(255, repeat(7, 16))))
	add("ipv4 df ttl 1 tcp 443", pad(eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "1.2.3.4", proto: 6, ttl: 1, flags: 0x4000}.build(tcp(44444, 443, fSYN, nil)))))
}

func addFragments(add func(string, []byte)) {
	udpBody := udp(5353, 53, repeat('d', 16))
	add("ipv4 first fragment udp 53", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, flags: 0x2000}.build(udpBody)))
	// Later fragments: their payload starts with bytes that read as ports 53 and 80.
	add("ipv4 middle fragment udp", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, flags: 0x2000 | 3}.build(cat(be16(53), be16(80), repeat('d', 20)))))
	add("ipv4 last fragment udp", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, flags: 6}.build(cat(be16(53), be16(53), repeat('d', 20)))))
	add("ipv4 first fragment tcp 80 with df", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6, flags: 0x6000}.build(tcp(1111, 80, fSYN, repeat(0, 8)))))
	add("ipv4 later fragment tcp", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6, flags: 0x1fff}.build(cat(be16(80), be16(80), repeat(2, 20)))))
	add("ipv4 fragment icmp offset 1", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 1, flags: 1}.build(cat([]byte{8, 0}, repeat(0, 22)))))
}

func addIPv6(add func(string, []byte)) {
	six := func(src, dst string, nh byte, payload []byte) []byte {
		return eth(macB, macA, 0x86dd, ip6(src, dst, nh, payload))
	}
	add("ipv6 tcp syn 2001:db8::1>2001:db8::2:80", six("2001:db8::1", "2001:db8::2", 6, tcp(12345, 80, fSYN, nil)))
	add("ipv6 tcp 443 reply", six("2001:db8::2", "2001:db8::1", 6, tcp(443, 12345, fSYN|fACK, nil)))
	add("ipv6 udp 53 from 2001:db8:1::5", six("2001:db8:1::5", "2001:db8::53", 17, udp(5000, 53, []byte("q"))))
	add("ipv6 udp dhcpv6 to ff02::1:2", eth("33:33:00:01:00:02", macA, 0x86dd, ip6("fe80::1", "ff02::1:2", 17, udp(546, 547, repeat(0, 8)))))
	add("icmpv6 echo request", six("2001:db8::1", "2001:db8::2", 58, icmp(128, 0)))
	add("icmpv6 echo reply", six("2001:db8::2", "2001:db8::1", 58, icmp(129, 0)))
	add("icmpv6 neighbor solicitation", eth("33:33:ff:00:00:02", macA, 0x86dd, ip6("fe80::1", "ff02::1:ff00:2", 58, cat(icmp(135, 0), repeat(0, 12)))))
	add("icmpv6 neighbor advert", six("fe80::2", "fe80::1", 58, cat(icmp(136, 0), repeat(0, 12))))
	add("icmpv6 router solicit", eth("33:33:00:00:00:02", macA, 0x86dd, ip6("fe80::1", "ff02::2", 58, icmp(133, 0))))
	add("ipv6 sctp 80", six("2001:db8::1", "2001:db8::2", 132, sctp(3000, 80)))
	add("ipv6 pim", eth("33:33:00:00:00:0d", macA, 0x86dd, ip6("fe80::1", "ff02::d", 103, repeat(0x20, 8))))
	add("ipv6 esp", six("2001:db8::1", "2001:db8::2", 50, repeat(7, 16)))
	add("ipv6 ah", six("2001:db8::1", "2001:db8::2", 51, repeat(7, 16)))
	add("ipv6 from ::1 to 2001:db8:ffff::9 udp 514", six("::1", "2001:db8:ffff::9", 17, udp(514, 514, []byte("x"))))
	add("ipv6 hop-by-hop mld", eth("33:33:00:00:00:16", macA, 0x86dd, ip6("fe80::1", "ff02::16", 0, ext6(58, cat([]byte{143, 0, 0, 0}, repeat(0, 20))))))
	add("ipv6 hop-by-hop tcp 80", six("2001:db8::1", "2001:db8::2", 0, ext6(6, tcp(2222, 80, fSYN, nil))))
	add("ipv6 fragment header tcp 80 first", six("2001:db8::1", "2001:db8::2", 44, frag6(6, 0, true, tcp(3333, 80, fSYN, nil))))
	add("ipv6 fragment header udp later", six("2001:db8::1", "2001:db8::2", 44, frag6(17, 100, false, cat(be16(53), be16(53), repeat(1, 20)))))
	add("ipv6 fragment header icmpv6", six("2001:db8::2", "2001:db8::1", 44, frag6(58, 0, true, icmp(128, 0))))
	add("ipv6 routing header udp 53", six("2001:db8::1", "2001:db8::2", 43, ext6(17, udp(53, 53, []byte("r")))))
	add("ipv6 destination options tcp 22", six("2001:db8::1", "2001:db8::2", 60, ext6(6, tcp(22, 22, fACK, nil))))
	add("ipv6 link-local tcp 8080", six("fe80::1", "fe80::2", 6, tcp(8080, 1024, fPSH|fACK, []byte("data"))))
	add("ipv6 no next header", six("2001:db8::1", "2001:db8::2", 59, nil))
}

func addVLAN(add func(string, []byte)) {
	q := func(vid uint16) [2]uint16 { return [2]uint16{0x8100, vid} }
	add("vlan 100 ipv4 tcp 80", tagged(macB, macA, [][2]uint16{q(100)}, 0x0800, v4("10.0.0.1", "10.0.0.2", 6, tcp(12345, 80, fSYN, nil))))
	add("vlan 200 ipv6 udp 53", tagged(macB, macA, [][2]uint16{q(200)}, 0x86dd, ip6("2001:db8::1", "2001:db8::2", 17, udp(5000, 53, []byte("q")))))
	add("vlan 1 arp", pad(tagged(macBC, macA, [][2]uint16{q(1)}, 0x0806, arpBody(1, macA, "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2"))))
	add("vlan 0 priority tag icmp", tagged(macB, macA, [][2]uint16{q(0xa000)}, 0x0800, v4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0))))
	add("vlan 4095 ipv4 udp 123", tagged(macB, macA, [][2]uint16{q(4095)}, 0x0800, v4("10.1.2.3", "10.0.0.2", 17, udp(123, 123, repeat(0, 8)))))
	add("vlan 100 prio 5 ipv4 udp 53", tagged(macB, macA, [][2]uint16{q(0xa064)}, 0x0800, v4("192.168.1.10", "8.8.8.8", 17, udp(40000, 53, []byte("q")))))
	add("qinq 88a8:10 8100:20 ipv4 udp 53", tagged(macB, macA, [][2]uint16{{0x88a8, 10}, q(20)}, 0x0800, v4("10.0.0.1", "10.0.0.2", 17, udp(5353, 53, []byte("q")))))
	add("qinq 9100:30 8100:40 ipv6 tcp 443", tagged(macB, macA, [][2]uint16{{0x9100, 30}, q(40)}, 0x86dd, ip6("2001:db8::1", "2001:db8::2", 6, tcp(5000, 443, fSYN, nil))))
	add("double 8100:100 8100:200 ipv4 tcp 443", tagged(macB, macA, [][2]uint16{q(100), q(200)}, 0x0800, v4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, fACK, nil))))
	add("triple tag 100/200/300 ipv4 icmp", tagged(macB, macA, [][2]uint16{q(100), q(200), q(300)}, 0x0800, v4("10.0.0.1", "10.0.0.2", 1, icmp(0, 0))))
	add("88a8 alone 50 ipv6 icmpv6", tagged(macB, macA, [][2]uint16{{0x88a8, 50}}, 0x86dd, ip6("fe80::1", "fe80::2", 58, icmp(128, 0))))
	add("vlan 100 ipv4 with options tcp 22", tagged(macB, macA, [][2]uint16{q(100)}, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6,
		options: repeat(1, 12)}.build(tcp(22, 2222, fACK, nil))))
	add("vlan 100 llc stp", tagged(macST, macA, [][2]uint16{q(100)}, 38, cat([]byte{0x42, 0x42, 0x03}, repeat(0, 35))))
	add("vlan 300 ipv4 first fragment udp 53", tagged(macB, macA, [][2]uint16{q(300)}, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, flags: 0x2000}.build(udp(53, 53, repeat(0, 8)))))
	add("vlan 300 ipv4 later fragment", tagged(macB, macA, [][2]uint16{q(300)}, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, flags: 10}.build(cat(be16(53), be16(53), repeat(0, 8)))))
	add("vlan 100 broadcast arp 192.168.1.10", pad(tagged(macBC, macL, [][2]uint16{q(100)}, 0x0806, arpBody(1, macL, "192.168.1.10", macBC, "192.168.1.10"))))
}

func addLLC(add func(string, []byte)) {
	iso := func(nlpid byte, pduType byte) []byte {
		return pad(llc("01:80:c2:00:00:14", macA, cat([]byte{0xfe, 0xfe, 0x03, nlpid, 27, 1, 0, pduType}, repeat(0, 30))))
	}
	add("llc stp bpdu", pad(llc(macST, macA, cat([]byte{0x42, 0x42, 0x03}, repeat(0, 35)))))
	add("llc snap ipx", pad(llc(macBC, macA, cat([]byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x81, 0x37}, repeat(0xff, 30)))))
	add("802.3 raw ipx", pad(llc(macBC, macA, cat([]byte{0xff, 0xff}, repeat(0, 30)))))
	add("llc ipx sap", pad(llc(macBC, macA, cat([]byte{0xe0, 0xe0, 0x03}, repeat(0xff, 30)))))
	add("llc netbeui", pad(llc(macBC, macA, cat([]byte{0xf0, 0xf0, 0x03}, repeat(0, 30)))))
	add("llc ip sap", pad(llc(macB, macA, cat([]byte{0x06, 0x06, 0x03}, v4("10.0.0.1", "10.0.0.2", 17, udp(1, 53, nil))))))
	add("llc snap appletalk", pad(llc(macBC, macA, cat([]byte{0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b}, repeat(0, 30)))))
	add("llc snap aarp", pad(llc(macBC, macA, cat([]byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x80, 0xf3}, repeat(0, 30)))))
	add("llc snap cdp", pad(llc("01:00:0c:cc:cc:cc", macA, cat([]byte{0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x20, 0}, repeat(0, 30)))))
	add("iso clnp", iso(0x81, 0x1c))
	add("iso es-is", iso(0x82, 2))
	add("isis l1 lan iih", iso(0x83, 15))
	add("isis l2 lan iih", iso(0x83, 16))
	add("isis ptp iih", iso(0x83, 17))
	add("isis l1 lsp", iso(0x83, 18))
	add("isis l2 lsp", iso(0x83, 20))
	add("isis l1 csnp", iso(0x83, 24))
	add("isis l2 psnp", iso(0x83, 27))
	add("llc sap 0x42 length 1500", cat(mac(macST), mac(macA), be16(1500), []byte{0x42, 0x42, 0x03}, repeat(0, 43)))
}

func addShort(add func(string, []byte)) {
	tcp80 := eth(macB, macA, 0x0800, v4("10.0.0.1", "10.0.0.2", 6, tcp(12345, 80, fSYN, nil)))
	six := eth(macB, macA, 0x86dd, ip6("2001:db8::1", "2001:db8::2", 17, udp(5000, 53, []byte("q"))))
	arp := eth(macBC, macA, 0x0806, arpBody(1, macA, "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2"))
	vlan := tagged(macB, macA, [][2]uint16{{0x8100, 100}}, 0x0800, v4("10.0.0.1", "10.0.0.2", 6, tcp(12345, 80, fSYN, nil)))
	for _, n := range []int{1, 6, 11, 12, 13, 14, 20, 23, 24, 27, 33, 34, 36, 37, 38, 47} {
		add(fmt.Sprintf("ipv4 tcp 80 cut at %d", n), tcp80[:n])
	}
	for _, n := range []int{20, 21, 30, 38, 50, 54, 56, 57} {
		add(fmt.Sprintf("ipv6 udp 53 cut at %d", n), six[:n])
	}
	for _, n := range []int{16, 18, 21, 28, 34, 38, 41} {
		add(fmt.Sprintf("vlan ipv4 tcp 80 cut at %d", n), vlan[:n])
	}
	for _, n := range []int{22, 30, 40} {
		add(fmt.Sprintf("arp cut at %d", n), arp[:n])
	}
	add("ipv4 ihl 15 cut inside options", eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6, ihl: 15}.build(tcp(1, 80, 0, nil)))[:60])
	add("ipv4 ihl 2 (malformed)", pad(eth(macB, macA, 0x0800, ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, ihl: 2}.build(udp(53, 53, nil)))))
	add("ipv4 udp header only, no ports", eth(macB, macA, 0x0800, v4("10.0.0.1", "10.0.0.2", 17, nil)))
	add("empty frame", []byte{})
}

// writePcap encodes frames as a pcap file, frame i at i seconds.
func writePcap(frames []corpusFrame) []byte { return writeCutPcap(frames, 0) }

// writeCutPcap is writePcap keeping snaplen bytes of each frame at most,
// and its original length, as tcpdump -s does; 0 keeps them whole.
func writeCutPcap(frames []corpusFrame, snaplen int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	hdr := make([]byte, 24)
	le.PutUint32(hdr[0:], 0xa1b2c3d4)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], 262144)
	le.PutUint32(hdr[20:], 1) // LINKTYPE_ETHERNET
	b.Write(hdr)
	for i, f := range frames {
		rec := make([]byte, 16)
		le.PutUint32(rec[0:], uint32(i))
		data := f.data
		if snaplen > 0 && len(data) > snaplen {
			data = data[:snaplen]
		}
		le.PutUint32(rec[8:], uint32(len(data)))
		le.PutUint32(rec[12:], uint32(len(f.data)))
		b.Write(rec)
		b.Write(data)
	}
	return b.Bytes()
}

// TestCorpusFile checks that testdata/corpus.pcap is what corpus()
// builds; with -update it writes it, and corpus.txt naming each frame.
func TestCorpusFile(t *testing.T) {
	frames := corpus()
	want := writePcap(frames)
	if *update {
		var names strings.Builder
		for i, f := range frames {
			fmt.Fprintf(&names, "%d\t%d bytes\t%s\n", i, len(f.data), f.name)
		}
		must(t, os.WriteFile("testdata/corpus.pcap", want, 0o644))
		must(t, os.WriteFile("testdata/corpus.txt", []byte(names.String()), 0o644))
	}
	got, err := os.ReadFile("testdata/corpus.pcap")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("testdata/corpus.pcap is not what corpus() builds (%v): run go test -run TestCorpusFile -update", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
