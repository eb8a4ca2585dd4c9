package memlimit

import "testing"

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"2GiB", 2 << 30}, {"2G", 2 << 30}, {"512MiB", 512 << 20}, {"64M", 64 << 20},
		{"100KiB", 100 << 10}, {"1TiB", 1 << 40}, {"1048576", 1 << 20}, {"4096B", 4096}, {"off", Off},
	} {
		if got, err := Parse(tt.in); err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "lots", "-1G", "0", "1.5G", "2GB", "9999999999T"} {
		if got, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", bad, got)
		}
	}
}

func TestDefaultCeiling(t *testing.T) {
	for _, tt := range []struct{ physical, cgroup, want int64 }{
		{16 << 30, 0, 1 << 30},           // a big machine: the 1 GiB cap
		{1 << 30, 0, 512 << 20},          // a small one: half of it
		{16 << 30, 512 << 20, 256 << 20}, // a container: half its limit
		{0, 0, 1 << 30},                  // unknown
	} {
		if got := defaultCeiling(tt.physical, tt.cgroup); got != tt.want {
			t.Errorf("defaultCeiling(%d, %d) = %d, want %d", tt.physical, tt.cgroup, got, tt.want)
		}
	}
}
