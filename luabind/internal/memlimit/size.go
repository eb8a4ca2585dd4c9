package memlimit

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// EnvVar names the environment variable that sets the ceiling.
const EnvVar = "NETLUA_MEMORY"

// Off is the ceiling of NETLUA_MEMORY=off: none.
const Off = -1

// maxDefault caps the default ceiling: far above what a network script
// needs, low enough that a runaway one does not take a shared machine down.
const maxDefault = 1 << 30

// units are the suffixes a size may have, as multiples of a byte.
var units = []struct {
	suffix string
	bytes  int64
}{
	{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1},
}

// Parse reads a size such as 512MiB, 2GiB, 2G or 1048576 (bytes), or
// "off" for no ceiling.
func Parse(s string) (int64, error) {
	if s == "off" {
		return Off, nil
	}
	num, mult := s, int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSuffix(s, u.suffix), u.bytes
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (use a number of bytes with K, M, G or T, as in 2GiB, or off)", s)
	}
	return n * mult, nil
}

// FromEnv returns the ceiling NETLUA_MEMORY sets, or the default when it
// is not set.
func FromEnv() (int64, error) {
	s, ok := os.LookupEnv(EnvVar)
	if !ok || s == "" {
		return Default(), nil
	}
	n, err := Parse(s)
	if err != nil {
		return Default(), fmt.Errorf("%s: %w", EnvVar, err)
	}
	return n, nil
}

// Default is the ceiling without NETLUA_MEMORY: half the memory the
// process may use (the machine's, or its cgroup's limit if lower), at most
// 1 GiB.
func Default() int64 {
	return defaultCeiling(physical(), cgroupLimit())
}

// defaultCeiling is Default for the given physical memory and cgroup limit
// (0 when unknown or unlimited).
func defaultCeiling(physical, cgroup int64) int64 {
	avail := physical
	if cgroup > 0 && (avail <= 0 || cgroup < avail) {
		avail = cgroup
	}
	if avail <= 0 || avail/2 > maxDefault {
		return maxDefault
	}
	return avail / 2
}

// physical returns the machine's memory, or 0 if unknown.
func physical() int64 {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

// cgroupLimit returns the memory limit of the process's cgroup (v2, as a
// container sees it at /sys/fs/cgroup), or 0 if none.
func cgroupLimit() int64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil { // "max": no limit
		return 0
	}
	return n
}
