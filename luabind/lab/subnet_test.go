package lab

import (
	"net/netip"
	"strings"
	"testing"
)

func TestSubnetsInOrder(t *testing.T) {
	var s Subnets
	want := map[int]string{
		0:   "198.18.0.0/24",
		1:   "198.18.1.0/24",
		255: "198.18.255.0/24",
		256: "198.19.0.0/24",
		511: "198.19.255.0/24",
	}
	for i := range subnetCount {
		p, err := s.Next()
		if err != nil {
			t.Fatalf("subnet %d: %v", i, err)
		}
		if w, ok := want[i]; ok && p.String() != w {
			t.Errorf("subnet %d = %s, want %s", i, p, w)
		}
		if !netip.MustParsePrefix("198.18.0.0/15").Contains(p.Addr()) {
			t.Errorf("subnet %d = %s is outside 198.18.0.0/15", i, p)
		}
	}
	if _, err := s.Next(); err == nil || !strings.Contains(err.Error(), "512 lab subnets") {
		t.Errorf("subnet 513: err = %v, want all 512 in use", err)
	}
}

func TestHostAddrAndMAC(t *testing.T) {
	tests := []struct {
		subnet string
		n      byte
		addr   string
		mac    string
	}{
		{"198.18.0.0/24", 1, "198.18.0.1/24", "02:00:c6:12:00:01"},
		{"198.18.0.0/24", 2, "198.18.0.2/24", "02:00:c6:12:00:02"},
		{"198.19.255.0/24", 2, "198.19.255.2/24", "02:00:c6:13:ff:02"},
	}
	for _, tt := range tests {
		a := hostAddr(netip.MustParsePrefix(tt.subnet), tt.n)
		if a.String() != tt.addr {
			t.Errorf("hostAddr(%s, %d) = %s, want %s", tt.subnet, tt.n, a, tt.addr)
		}
		mac := macFor(a.Addr())
		if mac.String() != tt.mac {
			t.Errorf("macFor(%s) = %s, want %s", a.Addr(), mac, tt.mac)
		}
		if mac[0]&0x02 == 0 || mac[0]&0x01 != 0 {
			t.Errorf("%s is not a locally administered unicast MAC", mac)
		}
	}
}

// A released subnet is handed out again, the lowest free first, so labs
// made and closed in turn never run out.
func TestSubnetsReleased(t *testing.T) {
	var s Subnets
	first, _ := s.Next()
	second, _ := s.Next()
	for i := range 600 {
		p, err := s.Next()
		if err != nil {
			t.Fatalf("cycle %d: %v", i+1, err)
		}
		if p.String() != "198.18.2.0/24" {
			t.Fatalf("cycle %d: got %s, want the lowest free, 198.18.2.0/24", i+1, p)
		}
		s.Release(p)
	}
	s.Release(first)
	if p, _ := s.Next(); p != first {
		t.Errorf("after releasing %s, Next = %s", first, p)
	}
	s.Release(netip.MustParsePrefix("10.0.0.0/24")) // not one of ours: ignored
	if p, _ := s.Next(); p.String() != "198.18.2.0/24" {
		t.Errorf("Next = %s, want 198.18.2.0/24 (%s still in use)", p, second)
	}
}
