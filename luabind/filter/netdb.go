package filter

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The system's name databases, read once, as libpcap reads them through
// getaddrinfo and getprotobyname: port names from /etc/services and
// protocol names from /etc/protocols. Without the files (a bare
// container) a few well-known names still work.

// netdb holds the names of ports and IP protocols.
type netdb struct {
	tcp, udp map[string]int    // service name or alias -> port
	protos   map[string]uint32 // protocol name or alias -> number
}

var systemDB = sync.OnceValue(func() *netdb {
	db := &netdb{tcp: map[string]int{}, udp: map[string]int{}, protos: map[string]uint32{}}
	if !readDB("/etc/services", db.addService) {
		db.tcp = map[string]int{"ssh": 22, "domain": 53, "http": 80, "www": 80, "https": 443}
		db.udp = map[string]int{"domain": 53, "bootps": 67, "bootpc": 68, "ntp": 123, "https": 443}
	}
	if !readDB("/etc/protocols", db.addProto) {
		db.protos = map[string]uint32{"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17,
			"ipv6-icmp": 58, "sctp": 132}
	}
	return db
})

// readDB feeds each line's fields, comment removed, to add.
func readDB(path string, add func(fields []string)) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	scanLines(f, add)
	return true
}

func scanLines(r io.Reader, add func(fields []string)) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if fields := strings.Fields(line); len(fields) >= 2 {
			add(fields)
		}
	}
}

// addService reads "http 80/tcp www"; the first entry of a name wins, as
// with getservbyname.
func (db *netdb) addService(f []string) {
	num, proto, ok := strings.Cut(f[1], "/")
	port, err := strconv.Atoi(num)
	if !ok || err != nil {
		return
	}
	m := map[string]map[string]int{"tcp": db.tcp, "udp": db.udp}[proto]
	if m == nil {
		return
	}
	for _, name := range append([]string{f[0]}, f[2:]...) {
		if _, dup := m[name]; !dup {
			m[name] = port
		}
	}
}

// addProto reads "tcp 6 TCP". Numbers above 255 (mptcp is 262) are kept
// as libpcap keeps them: "ip proto mptcp" compares the one-byte field
// with 262 and so matches nothing, in tcpdump as here.
func (db *netdb) addProto(f []string) {
	n, err := strconv.ParseUint(f[1], 10, 31)
	if err != nil {
		return
	}
	for _, name := range append([]string{f[0]}, f[2:]...) {
		if _, dup := db.protos[name]; !dup {
			db.protos[name] = uint32(n)
		}
	}
}

// port looks up a port name as pcap_nametoport does: a decimal string is
// a port of both; a name in both tables with the same port is either
// (ipAnyPort); otherwise the protocol of the table that has it.
func (db *netdb) port(name string) (port int, ipProto int, ok bool) {
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return int(min(n, 1<<20)), ipAnyPort, true
	}
	tcp, inTCP := db.tcp[name]
	udp, inUDP := db.udp[name]
	switch {
	case inTCP && inUDP && tcp == udp:
		return tcp, ipAnyPort, true
	case inTCP:
		return tcp, ipTCP, true
	case inUDP:
		return udp, ipUDP, true
	}
	return 0, 0, false
}

// portRange looks up "lo-hi" as pcap_nametoportrange does: two decimal
// numbers, else two port names (or numbers) around the first '-'.
func (db *netdb) portRange(name string) (lo, hi int, ipProto int, ok bool) {
	if lo, hi, ok := scanRange(name); ok {
		return lo, hi, ipAnyPort, true
	}
	first, second, found := strings.Cut(name, "-")
	if !found {
		return 0, 0, 0, false
	}
	lo, p1, ok1 := db.port(first)
	hi, p2, ok2 := db.port(second)
	if !ok1 || !ok2 {
		return 0, 0, 0, false
	}
	if p1 != p2 {
		p2 = ipAnyPort
	}
	return lo, hi, p2, true
}

// scanRange is sscanf(name, "%d-%d"): digits, '-', an optionally signed
// number, and whatever follows ignored.
func scanRange(s string) (lo, hi int, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || i == len(s) || s[i] != '-' {
		return 0, 0, false
	}
	lo64, err := strconv.ParseInt(s[:i], 10, 32)
	if err != nil {
		return 0, 0, false
	}
	rest := s[i+1:]
	j := 0
	if j < len(rest) && (rest[j] == '-' || rest[j] == '+') {
		j++
	}
	start := j
	for j < len(rest) && isDigit(rest[j]) {
		j++
	}
	if j == start {
		return 0, 0, false
	}
	hi64, err := strconv.ParseInt(rest[:j], 10, 32)
	if err != nil {
		return 0, 0, false
	}
	return int(lo64), int(hi64), true
}
