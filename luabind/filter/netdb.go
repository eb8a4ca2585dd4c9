package filter

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The name databases a compile reads besides host names, as libpcap
// reads them through the C library: port names (/etc/services, by
// getaddrinfo), IP protocol names (/etc/protocols, getprotobyname),
// network names (/etc/networks, getnetbyname) and MAC address names
// (/etc/ethers, ether_hostton). A compile is given a NameDB (Options),
// so that a test can bring its own; without one it reads the system's,
// once. Without the files (a bare container) a few well-known port and
// protocol names still work.

// A NameDB holds port, protocol, network and MAC address names.
type NameDB struct {
	tcp, udp map[string]int    // service name or alias -> port
	protos   map[string]uint32 // protocol name or alias -> number
	nets     map[string]uint32 // lower-case network name or alias -> network number
	ethers   map[string][]byte // lower-case host name -> MAC address
}

// NameFiles are the texts of the databases, in the formats of the files
// they stand for. A nil reader is an empty database.
type NameFiles struct {
	Services  io.Reader // as /etc/services: "http 80/tcp www"
	Protocols io.Reader // as /etc/protocols: "tcp 6 TCP"
	Networks  io.Reader // as /etc/networks: "loopback 127.0.0.0"
	Ethers    io.Reader // as /etc/ethers: "02:00:00:00:00:01 alpha"
}

// ReadNameDB reads the databases from f. Lines it cannot read are
// skipped, as the C library skips them.
func ReadNameDB(f NameFiles) (*NameDB, error) {
	db := &NameDB{tcp: map[string]int{}, udp: map[string]int{}, protos: map[string]uint32{},
		nets: map[string]uint32{}, ethers: map[string][]byte{}}
	for _, r := range []struct {
		in  io.Reader
		add func([]string)
	}{{f.Services, db.addService}, {f.Protocols, db.addProto}, {f.Networks, db.addNetwork}, {f.Ethers, db.addEther}} {
		if r.in == nil {
			continue
		}
		if err := scanLines(r.in, r.add); err != nil {
			return nil, err
		}
	}
	return db, nil
}

// SystemNameDB returns the machine's databases, read from /etc on the
// first call.
func SystemNameDB() *NameDB { return systemDB() }

var systemDB = sync.OnceValue(func() *NameDB {
	files := map[string]io.Reader{}
	for _, name := range []string{"services", "protocols", "networks", "ethers"} {
		if data, err := os.ReadFile("/etc/" + name); err == nil {
			files[name] = strings.NewReader(string(data))
		}
	}
	db, _ := ReadNameDB(NameFiles{Services: files["services"], Protocols: files["protocols"],
		Networks: files["networks"], Ethers: files["ethers"]}) // strings.Reader cannot fail
	if files["services"] == nil {
		db.tcp = map[string]int{"ssh": 22, "domain": 53, "http": 80, "www": 80, "https": 443}
		db.udp = map[string]int{"domain": 53, "bootps": 67, "bootpc": 68, "ntp": 123, "https": 443}
	}
	if files["protocols"] == nil {
		db.protos = map[string]uint32{"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17,
			"ipv6-icmp": 58, "sctp": 132}
	}
	return db
})

// scanLines feeds each line's fields, comment removed, to add.
func scanLines(r io.Reader, add func(fields []string)) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if fields := strings.Fields(line); len(fields) >= 2 {
			add(fields)
		}
	}
	return sc.Err()
}

// addService reads "http 80/tcp www"; the first entry of a name wins, as
// with getservbyname.
func (db *NameDB) addService(f []string) {
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
func (db *NameDB) addProto(f []string) {
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

// addNetwork reads "loopback 127.0.0.0". Names are matched without
// regard to case, as getnetbyname does; a number of fewer than four
// parts has ".0" parts added ("10.1" is 10.1.0.0), and one that does not
// read is 255.255.255.255 (inet_network's INADDR_NONE), as the C library
// reads the file.
func (db *NameDB) addNetwork(f []string) {
	n, ok := inetNetwork(f[1])
	if !ok {
		n = 0xffffffff
	}
	for _, name := range append([]string{f[0]}, f[2:]...) {
		if _, dup := db.nets[strings.ToLower(name)]; !dup {
			db.nets[strings.ToLower(name)] = n
		}
	}
}

// inetNetwork reads a network number of one to four dotted parts, each
// decimal, octal (leading 0) or hex (0x) and at most 255, missing parts
// being 0 on the right (glibc's inet_network after its padding).
func inetNetwork(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var n uint32
	for i := range 4 {
		var v uint32
		if i < len(parts) {
			var err error
			if v, err = parseNum(parts[i]); err != nil || parts[i] == "" || v > 255 || !numeric(parts[i]) {
				return 0, false
			}
		}
		n = n<<8 | v
	}
	return n, true
}

// numeric reports whether s is all number: digits, or 0x and hex digits.
func numeric(s string) bool { return numLen(s) == len(s) }

// addEther reads "02:00:00:00:00:01 alpha": six hex bytes of one or two
// digits between colons, as ether_aton reads them; names are matched
// without regard to case, as ether_hostton does.
func (db *NameDB) addEther(f []string) {
	mac, ok := etherLine(f[0])
	if !ok {
		return
	}
	if name := strings.ToLower(f[1]); db.ethers[name] == nil {
		db.ethers[name] = mac
	}
}

// etherLine reads a MAC address of /etc/ethers.
func etherLine(s string) ([]byte, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return nil, false
	}
	mac := make([]byte, 6)
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 || !isHex(p[0]) || !isHex(p[len(p)-1]) {
			return nil, false
		}
		v, _ := strconv.ParseUint(p, 16, 8)
		mac[i] = byte(v)
	}
	return mac, true
}

// network looks up a network name as pcap_nametonetaddr does; 0, the
// number of no network, is unknown.
func (db *NameDB) network(name string) (uint32, bool) {
	n := db.nets[strings.ToLower(name)]
	return n, n != 0
}

// ether looks up a MAC address name as pcap_ether_hostton does.
func (db *NameDB) ether(name string) ([]byte, bool) {
	mac, ok := db.ethers[strings.ToLower(name)]
	return mac, ok
}

// protocol looks up an IP protocol name as getprotobyname does.
func (db *NameDB) protocol(name string) (uint32, bool) {
	n, ok := db.protos[name]
	return n, ok
}

// port looks up a port name as pcap_nametoport does: a decimal string is
// a port of both; a name in both tables with the same port is either
// (ipAnyPort); otherwise the protocol of the table that has it.
func (db *NameDB) port(name string) (port int, ipProto int, ok bool) {
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
func (db *NameDB) portRange(name string) (lo, hi int, ipProto int, ok bool) {
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
