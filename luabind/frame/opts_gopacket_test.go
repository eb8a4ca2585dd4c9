package frame

import (
	"testing"
)

// gopacket decodes the option vectors' TCP and IPv4 options, kind, length
// and data, and the headers around them, to the same values as parse.
func TestOptsVectorsGopacket(t *testing.T) {
	checked := checkGopacketFile(t, optsVectorFile, gopacketBaseCheckers(), nil)
	wantAtLeast(t, checked, map[string]int{"ipv4": 25, "tcp": 25, "ipv4.options": 150, "tcp.options": 150})
}
