package frame

import (
	"errors"
	"fmt"
	"net/netip"

	"strings"
)

// DHCP options as Scapy 2.5's DHCPOptionsField reads and writes them: a
// list of {name, value, ...} with one value per field Scapy reads from
// the option's bytes, {"message-type", "discover"}, {"name_server",
// "198.18.0.1", "198.18.0.2"}, {"param_req_list", {1, 3, 6}},
// {"hostname", "h1"}; "end" and "pad" bare; {code, bytes} for a code
// Scapy has no name for; bare bytes for what it cannot read (a length
// past the end), which are written back as they are.

// A dhcpOption is an option code Scapy names, and the kind of its value:
// 's' bytes (Scapy names it by a string), 'S' bytes (a StrField), 'I' IPv4
// addresses, 'i', 'h', 'b' numbers of 4, 2, 1 bytes, 't' message types,
// 'l' a list of codes, 'r' classless static routes "198.18.0.0/15:198.18.0.1".
type dhcpOption struct {
	code byte
	name string
	kind byte
}

// dhcpOptions are Scapy 2.5's DHCPOptions.
var dhcpOptions = []dhcpOption{
	{0, "pad", 's'}, {1, "subnet_mask", 'I'}, {2, "time_zone", 'i'}, {3, "router", 'I'},
	{4, "time_server", 'I'}, {5, "IEN_name_server", 'I'}, {6, "name_server", 'I'},
	{7, "log_server", 'I'}, {8, "cookie_server", 'I'}, {9, "lpr_server", 'I'},
	{10, "impress-servers", 'I'}, {11, "resource-location-servers", 'I'}, {12, "hostname", 's'},
	{13, "boot-size", 'h'}, {14, "dump_path", 's'}, {15, "domain", 's'}, {16, "swap-server", 'I'},
	{17, "root_disk_path", 's'}, {18, "extensions-path", 's'}, {19, "ip-forwarding", 'b'},
	{20, "non-local-source-routing", 'b'}, {21, "policy-filter", 'I'},
	{22, "max_dgram_reass_size", 'h'}, {23, "default_ttl", 'b'}, {24, "pmtu_timeout", 'i'},
	{25, "path-mtu-plateau-table", 'h'}, {26, "interface-mtu", 'h'}, {27, "all-subnets-local", 'b'},
	{28, "broadcast_address", 'I'}, {29, "perform-mask-discovery", 'b'}, {30, "mask-supplier", 'b'},
	{31, "router-discovery", 'b'}, {32, "router-solicitation-address", 'I'}, {33, "static-routes", 'I'},
	{34, "trailer-encapsulation", 'b'}, {35, "arp_cache_timeout", 'i'},
	{36, "ieee802-3-encapsulation", 'b'}, {37, "tcp_ttl", 'b'}, {38, "tcp_keepalive_interval", 'i'},
	{39, "tcp_keepalive_garbage", 'b'}, {40, "NIS_domain", 'S'}, {41, "NIS_server", 'I'},
	{42, "NTP_server", 'I'}, {43, "vendor_specific", 's'}, {44, "NetBIOS_server", 'I'},
	{45, "NetBIOS_dist_server", 'I'}, {46, "NetBIOS_node_type", 'b'}, {47, "netbios-scope", 's'},
	{48, "font-servers", 'I'}, {49, "x-display-manager", 'I'}, {50, "requested_addr", 'I'},
	{51, "lease_time", 'i'}, {52, "dhcp-option-overload", 'b'}, {53, "message-type", 't'},
	{54, "server_id", 'I'}, {55, "param_req_list", 'l'}, {56, "error_message", 's'},
	{57, "max_dhcp_size", 'h'}, {58, "renewal_time", 'i'}, {59, "rebinding_time", 'i'},
	{60, "vendor_class_id", 'S'}, {61, "client_id", 'S'}, {62, "nwip-domain-name", 's'},
	{64, "NISplus_domain", 's'}, {65, "NISplus_server", 'I'}, {66, "tftp_server_name", 's'},
	{67, "boot-file-name", 'S'}, {68, "mobile-ip-home-agent", 'I'}, {69, "SMTP_server", 'I'},
	{70, "POP3_server", 'I'}, {71, "NNTP_server", 'I'}, {72, "WWW_server", 'I'},
	{73, "Finger_server", 'I'}, {74, "IRC_server", 'I'}, {75, "StreetTalk_server", 'I'},
	{76, "StreetTalk_Dir_Assistance", 'I'}, {77, "user_class", 's'}, {78, "slp_service_agent", 's'},
	{79, "slp_service_scope", 's'}, {81, "client_FQDN", 's'}, {82, "relay_agent_information", 's'},
	{85, "nds-server", 'I'}, {86, "nds-tree-name", 'S'}, {87, "nds-context", 'S'},
	{88, "bcms-controller-namesi", 's'}, {89, "bcms-controller-address", 'I'},
	{91, "client-last-transaction-time", 'i'}, {92, "associated-ip", 'I'},
	{93, "pxe_client_architecture", 's'}, {94, "pxe_client_network_interface", 's'},
	{97, "pxe_client_machine_identifier", 's'}, {98, "uap-servers", 'S'}, {100, "pcode", 'S'},
	{101, "tcode", 'S'}, {112, "netinfo-server-address", 'I'}, {113, "netinfo-server-tag", 'S'},
	{114, "default-url", 'S'}, {116, "auto-config", 'b'}, {117, "name-service-search", 'h'},
	{118, "subnet-selection", 'I'}, {121, "classless_static_routes", 'r'}, {124, "vendor_class", 's'},
	{125, "vendor_specific_information", 's'}, {128, "tftp_server_ip_address", 'I'},
	{136, "pana-agent", 'I'}, {137, "v4-lost", 's'}, {138, "capwap-ac-v4", 'I'},
	{141, "sip_ua_service_domains", 's'}, {146, "rdnss-selection", 's'},
	{150, "tftp_server_address", 'I'}, {159, "v4-portparams", 's'}, {160, "v4-captive-portal", 'S'},
	{161, "mud-url", 'S'}, {208, "pxelinux_magic", 's'}, {209, "pxelinux_configuration_file", 's'},
	{210, "pxelinux_path_prefix", 's'}, {211, "pxelinux_reboot_time", 's'}, {212, "option-6rd", 's'},
	{213, "v4-access-domain", 's'}, {255, "end", 's'},
}

// dhcpTypes are Scapy's names of DHCP message types.
var dhcpTypes = []string{1: "discover", "offer", "request", "decline", "ack", "nak", "release",
	"inform", "force_renew", "lease_query", "lease_unassigned", "lease_unknown", "lease_active"}

// dhcpOptionList is the codec of DHCP's options field.
var dhcpOptionList ListCodec = dhcpOptionCodec{}

type dhcpOptionCodec struct{}

// Form shows the items' form.
func (dhcpOptionCodec) Form() string {
	return `a list like {{"message-type", "discover"}, {"requested_addr", "198.18.0.9"}, {"param_req_list", {1, 3, 6}}, {"hostname", "h1"}, "end"} (Scapy's DHCPOptions names; {code, bytes} for others)`
}

func dhcpOptionByCode(code byte) *dhcpOption {
	for i := range dhcpOptions {
		if dhcpOptions[i].code == code {
			return &dhcpOptions[i]
		}
	}
	return nil
}

func dhcpOptionNamed(name string) *dhcpOption {
	for i := range dhcpOptions {
		if dhcpOptions[i].name == name {
			return &dhcpOptions[i]
		}
	}
	return nil
}

// Decode reads options as Scapy's DHCPOptionsField.m2i: a length past
// the end, or a value Scapy's field cannot read, leaves the rest as bare
// bytes.
func (dhcpOptionCodec) Decode(x []byte) []Item {
	var items []Item
	for len(x) > 0 {
		code := x[0]
		if code == 255 || code == 0 {
			items = append(items, Item{Values: []any{dhcpOptionByCode(code).name}})
			x = x[1:]
			continue
		}
		if len(x) < 2 || len(x) < int(x[1])+2 {
			return append(items, Item{Values: []any{string(x)}})
		}
		val := x[2 : 2+int(x[1])]
		opt := dhcpOptionByCode(code)
		switch {
		case opt == nil:
			items = append(items, Item{Values: []any{uint64(code), string(val)}})
		case opt.kind == 's':
			items = append(items, Item{Values: []any{opt.name, string(val)}})
		default:
			values, ok := opt.decodeValues(val)
			if !ok {
				return append(items, Item{Values: []any{string(x)}})
			}
			items = append(items, Item{Values: append([]any{opt.name}, values...)})
		}
		x = x[2+int(x[1]):]
	}
	return items
}

// decodeValues reads an option's value as Scapy's field, again and again
// until no byte is left; ok is false where Scapy's field fails.
func (o *dhcpOption) decodeValues(v []byte) (values []any, ok bool) {
	switch o.kind {
	case 'S':
		if len(v) == 0 {
			return nil, true
		}
		return []any{string(v)}, true
	case 'l':
		if len(v) == 0 {
			return nil, true
		}
		var codes Item
		for _, c := range v {
			codes.Values = append(codes.Values, uint64(c))
		}
		return []any{codes}, true
	case 'r':
		return decodeRoutes(v)
	}
	width := map[byte]int{'I': 4, 'i': 4, 'h': 2, 'b': 1, 't': 1}[o.kind]
	for len(v) > 0 {
		if len(v) < width {
			return nil, false
		}
		n := beUint(v[:width])
		switch {
		case o.kind == 'I':
			values = append(values, netip.AddrFrom4([4]byte(v[:4])).String())
		case o.kind == 't' && n > 0 && int(n) < len(dhcpTypes):
			values = append(values, dhcpTypes[n])
		default:
			values = append(values, n)
		}
		v = v[width:]
	}
	return values, true
}

// decodeRoutes reads classless static routes (RFC 3442) as Scapy writes
// them, "198.18.0.0/15:198.18.0.1"; a prefix over 32 or a route cut
// short is where Scapy fails.
func decodeRoutes(v []byte) ([]any, bool) {
	var routes []any
	for len(v) > 0 {
		prefix := int(v[0])
		octets := (prefix + 7) / 8
		if prefix > 32 || len(v) < 5+octets {
			return nil, false
		}
		var dst [4]byte
		copy(dst[:], v[1:1+octets])
		router := [4]byte(v[1+octets : 5+octets])
		routes = append(routes, fmt.Sprintf("%s/%d:%s", netip.AddrFrom4(dst), prefix, netip.AddrFrom4(router)))
		v = v[5+octets:]
	}
	return []any{Item{Values: routes}}, true
}

// Encode writes options as Scapy's DHCPOptionsField.i2m, but for an
// unknown name, an error here where Scapy skips it with a warning.
func (dhcpOptionCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeDHCPOption)
}

func encodeDHCPOption(dst []byte, it *Item) ([]byte, error) {
	if len(it.Fields) > 0 || len(it.Values) == 0 {
		return nil, errors.New(`a DHCP option is {name, value, ...}, a bare name ("end") or bytes`)
	}
	if len(it.Values) == 1 {
		return encodeBareDHCPOption(dst, it.Values[0])
	}
	var code byte
	var val []byte
	switch name := it.Values[0].(type) {
	case string:
		opt := dhcpOptionNamed(name)
		if opt == nil {
			return nil, unknownDHCPOption(name)
		}
		code = opt.code
		for _, v := range it.Values[1:] {
			var err error
			if val, err = opt.encodeValue(val, v); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
	default:
		c, err := itemUint(name, 8)
		if err != nil {
			return nil, fmt.Errorf("a DHCP option is {name, value} or {code, bytes}: code: %w", err)
		}
		code = byte(c)
		for _, v := range it.Values[1:] {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("code %d: the value of a code by number is bytes, got %s", c, valueText(v))
			}
			val = append(val, s...)
		}
	}
	if len(val) > 255 {
		return nil, fmt.Errorf("%s: %d bytes of value, the most is 255", valueText(it.Values[0]), len(val))
	}
	return append(append(dst, code, byte(len(val))), val...), nil
}

// encodeBareDHCPOption writes an option given alone as Scapy does: the
// code of a name Scapy gives no field ("end", "pad"), a code and a zero
// length for a number (and for a name with a field, as parse reads it),
// other bytes as they are.
func encodeBareDHCPOption(dst []byte, v any) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		c, err := itemUint(v, 8)
		if err != nil {
			return nil, fmt.Errorf(`a DHCP option alone is a name ("end"), a code or bytes: %w`, err)
		}
		return append(dst, byte(c), 0), nil
	}
	if opt := dhcpOptionNamed(s); opt != nil {
		if opt.kind != 's' {
			// Scapy reads {code, 0} of such an option as the name alone,
			// and would write the name's letters back: here it is
			// {code, 0} again.
			return append(dst, opt.code, 0), nil
		}
		return append(dst, opt.code), nil
	}
	return append(dst, s...), nil
}

func unknownDHCPOption(name string) error {
	names := make([]string, len(dhcpOptions))
	for i := range dhcpOptions {
		names[i] = dhcpOptions[i].name
	}
	// Scapy has 130 names: a near one is enough, else all of them.
	if near := didYouMean(name, names); near != "" {
		return fmt.Errorf("unknown DHCP option '%s' (%sa code by number takes bytes: {224, \"ab\"})", name, near)
	}
	return fmt.Errorf("unknown DHCP option '%s' (have: %s; or a code by number: {224, \"ab\"})", name, strings.Join(names, ", "))
}

// encodeValue appends one value of the option as Scapy's field writes it.
func (o *dhcpOption) encodeValue(dst []byte, v any) ([]byte, error) {
	switch o.kind {
	case 's', 'S':
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want bytes, got %s", valueText(v))
		}
		return append(dst, s...), nil
	case 'I':
		s, _ := v.(string)
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil, fmt.Errorf("want an IPv4 address, got %s", valueText(v))
		}
		b := a.As4()
		return append(dst, b[:]...), nil
	case 'l':
		codes, ok := v.(Item)
		if !ok {
			return nil, fmt.Errorf("want a list of codes {1, 3, 6}, got %s", valueText(v))
		}
		for _, c := range codes.Values {
			n, err := itemUint(c, 8)
			if err != nil {
				return nil, err
			}
			dst = append(dst, byte(n))
		}
		return dst, nil
	case 'r':
		return encodeRoutes(dst, v)
	case 't':
		if s, ok := v.(string); ok {
			for n, name := range dhcpTypes {
				if name == s && n > 0 {
					return append(dst, byte(n)), nil
				}
			}
			return nil, fmt.Errorf("unknown message type '%s' (%shave: %s)", s, didYouMean(s, dhcpTypes[1:]), strings.Join(dhcpTypes[1:], ", "))
		}
	}
	width := map[byte]int{'i': 4, 'h': 2, 'b': 1, 't': 1}[o.kind]
	n, err := itemUint(v, 8*width)
	if err != nil {
		return nil, err
	}
	for k := width - 1; k >= 0; k-- {
		dst = append(dst, byte(n>>(8*k)))
	}
	return dst, nil
}

// encodeRoutes writes classless static routes given as Scapy writes
// them, {"198.18.0.0/15:198.18.0.1", ...}.
func encodeRoutes(dst []byte, v any) ([]byte, error) {
	routes, ok := v.(Item)
	if !ok {
		return nil, fmt.Errorf(`want a list of routes {"198.18.0.0/15:198.18.0.1"}, got %s`, valueText(v))
	}
	for _, r := range routes.Values {
		s, _ := r.(string)
		net, router, found := strings.Cut(s, ":")
		p, err := netip.ParsePrefix(net)
		gw, err2 := netip.ParseAddr(router)
		if !found || err != nil || err2 != nil || !p.Addr().Is4() || !gw.Is4() {
			return nil, fmt.Errorf(`want a route "198.18.0.0/15:198.18.0.1", got %s`, valueText(r))
		}
		dstAddr, gwAddr := p.Addr().As4(), gw.As4()
		dst = append(dst, byte(p.Bits()))
		dst = append(dst, dstAddr[:(p.Bits()+7)/8]...)
		dst = append(dst, gwAddr[:]...)
	}
	return dst, nil
}
