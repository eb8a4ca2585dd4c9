package nfqueue

import "fmt"

// newBytesError says why b, new bytes for the packet queued as orig,
// cannot stand for it, or returns nil. More than 65,535 bytes are no IP
// packet and overflow the verdict's netlink attribute; bytes that are
// not an IP packet of the queued version the stack cannot deliver. The
// kernel dropped the packet for either, without a word.
func newBytesError(orig []byte, b string) error {
	if len(orig) == 0 {
		return nil // nothing to check against: the kernel judges
	}
	version := orig[0] >> 4
	rule := fmt.Sprintf("new bytes must be an IP packet of the queued packet's version (IPv%d here), 20 to 65,535 bytes long", version)
	switch {
	case len(b) > 0xffff:
		return fmt.Errorf("the function returned %d bytes: %s", len(b), rule)
	case !isIP(b, version):
		return fmt.Errorf("the function returned %d bytes that are not an IPv%d packet: %s", len(b), version, rule)
	}
	return nil
}

// isIP reports whether b starts with a header of IP version (4 or 6)
// that it holds whole.
func isIP(b string, version byte) bool {
	if len(b) == 0 || b[0]>>4 != version {
		return false
	}
	if version == 6 {
		return len(b) >= 40
	}
	ihl := int(b[0]&0x0f) * 4
	return ihl >= 20 && ihl <= len(b)
}
