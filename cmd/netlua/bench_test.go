package main

import (
	"os/exec"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// BenchmarkStartup measures `netlua -e ”`, the whole process: exec, Lua
// state, module registry, exit. The goal is 10 ms or less (importing Scapy
// takes about 270 ms). It also reports the peak resident memory.
func BenchmarkStartup(b *testing.B) {
	bin := testlab.Binary(b)
	var maxRSS int64
	for b.Loop() {
		cmd := exec.Command(bin, "-e", "")
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		maxRSS = max(maxRSS, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	}
	b.ReportMetric(float64(maxRSS), "maxRSS-KiB")
}
