package frame

import (
	"strings"
	"testing"
)

func TestShow(t *testing.T) {
	data := frameOf(t, mustLayer(t, Ether, "src", "02:00:00:00:00:01"), mustLayer(t, IPv4, "flags", "DF"),
		mustLayer(t, TCP, "flags", "SA"), Raw([]byte("it's\x00")))
	// As Scapy 2.5 shows Ether(raw(p)), but for names and enums.
	want := `###[ ether ]###
  dst       = ff:ff:ff:ff:ff:ff
  src       = 02:00:00:00:00:01
  type      = 0x800
###[ ipv4 ]###
     version   = 4
     ihl       = 5
     tos       = 0x0
     len       = 45
     id        = 1
     flags     = DF
     frag      = 0
     ttl       = 64
     proto     = 6
     chksum    = 0x3cc8
     src       = 127.0.0.1
     dst       = 127.0.0.1
     options   = {}
###[ tcp ]###
        sport     = 20
        dport     = 80
        seq       = 0
        ack       = 0
        dataofs   = 5
        reserved  = 0
        flags     = SA
        window    = 8192
        chksum    = 0x80
        urgptr    = 0
        options   = {}
###[ payload ]###
           load      = 'it\'s\x00'
`
	if got := Parse(data).Show(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	p := Parse(data[:20])
	if got := p.Show(); !strings.HasSuffix(got, "###[ error ]###\n        error     = ipv4 at byte 14: truncated header: 6 of 20 bytes\n") {
		t.Errorf("a frame cut short:\n%s", got)
	}
}

func TestHexdump(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"", ""},
		{"A", "0x0000:  41                                       A\n"},
		{"0123456789abcdef", "0x0000:  3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\n"},
		{"0123456789abcdef\x00\x7f\xff", "0x0000:  3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\n" +
			"0x0010:  007f ff                                  ...\n"},
	} {
		if got := Hexdump([]byte(c.data)); got != c.want {
			t.Errorf("Hexdump(%q):\n got %q\nwant %q", c.data, got, c.want)
		}
	}
}
