package frame

import (
	"fmt"
	"net/netip"
)

// ipv4AddrList is the codec of a list of IPv4 addresses: {"198.18.0.1",
// ...}; bytes that are no whole address decode as one item of raw bytes.
type ipv4AddrList struct{}

// Encode appends each address's 4 bytes.
func (ipv4AddrList) Encode(dst []byte, items []Item) ([]byte, error) {
	for n, it := range items {
		s, ok := it.Value(0).(string)
		a, okIP := parseIPv4(s)
		if !ok || !okIP || len(it.Values) != 1 || len(it.Fields) > 0 {
			return nil, itemErr(n, fmt.Errorf(`want an IPv4 address like "198.18.0.1", got %s`, valueText(it.Value(0))))
		}
		b := a.As4()
		dst = append(dst, b[:]...)
	}
	return dst, nil
}

// Decode reads 4 bytes per address.
func (ipv4AddrList) Decode(data []byte) []Item {
	var items []Item
	for ; len(data) >= 4; data = data[4:] {
		items = append(items, Item{Values: []any{netip.AddrFrom4([4]byte(data[:4])).String()}})
	}
	if len(data) > 0 {
		items = append(items, Item{Values: []any{string(data)}})
	}
	return items
}

// Form shows the items' form.
func (ipv4AddrList) Form() string {
	return `a list of IPv4 addresses like {"198.18.0.1", "198.18.0.2"} (parse returns {{"198.18.0.1"}, {"198.18.0.2"}})`
}
