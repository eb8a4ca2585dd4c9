package packet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// s:blast's workers: the result sums them and lists each; the default is
// one per CPU at full speed and one for a slow paced blast; b receives
// every frame.
func TestLuaBlastWorkers(t *testing.T) {
	cpus, err := AllowedCPUs()
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := blastLua(t, `
		local frame = f.build{ f.ether{ src = a.mac, dst = b.mac }, f.ipv4{ src = a.ip, dst = b.ip }, f.udp{}, ("x"):rep(18) }
		local function show(r)
			local sum, cpus = 0, {}
			for _, w in ipairs(r.workers or {}) do
				sum = sum + w.sent + w.errors
				cpus[#cpus + 1] = w.cpu
				assert(w.seconds > 0 and w.pps > 0, "a worker's seconds and pps")
			end
			print(r.sent + r.errors, r.workers and #r.workers, sum, table.concat(cpus, ","))
		end
		show(sa:blast(frame, { count = 1001, workers = 3 }))
		show(sa:blast(frame, { count = 1000 }))
		show(sa:blast(frame, { count = 5, rate = 1000 }))
		show(sa:blast(frame, { count = 5, workers = 1 }))
		for i = 1, 50 do if sb:stats().received >= 2011 then break end sleep(0.02) end
		print(sb:stats().received)
		print(select(2, pcall(sa.blast, sa, frame, { count = 1, workers = 0 })):match("bad argument.*"))
	`, nil)
	if err != nil {
		t.Fatal(err)
	}
	cpuList := func(n int) string {
		l := make([]string, n)
		for i := range l {
			l[i] = fmt.Sprint(cpus[i%len(cpus)])
		}
		return strings.Join(l, ",")
	}
	byDefault := fmt.Sprintf("1000\t%d\t1000\t%s", len(cpus), cpuList(len(cpus)))
	if len(cpus) == 1 {
		byDefault = "1000\tnil\t0\t"
	}
	want := strings.Join([]string{
		"1001\t3\t1001\t" + cpuList(3), byDefault, "5\tnil\t0\t", "5\tnil\t0\t", "2011",
		"bad argument #2 to 'blast' (option 'workers' must be 1 to 1024)", ""}, "\n")
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// s:capture{ workers = n }: one time-ordered file, or with per_worker one
// file per worker named FILE-k.ext, which together hold every frame; the
// result lists each worker's figures.
func TestLuaCaptureWorkers(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	a, b := pair(t)
	dir := t.TempDir()
	// Fewer frames than the socket's buffer holds, so that no frame is
	// lost whether the blast comes before the capture's rings or after.
	const count = 8000
	frame := labtest.Frame(a, b, 0)
	sa := openOn(t, a, Config{Proto: benchProto})
	out, err := testlab.RunLuaWith(t, pairLua(a, b)+fmt.Sprintf(`
		local dir, count = %q, %d
		for _, per in ipairs{ false, true } do
			start_blast()
			local r = sb:capture{ file = dir .. "/cap.pcap", workers = 2, per_worker = per, count = count, duration = 20 }
			local sum = 0
			for _, w in ipairs(r.workers) do sum = sum + w.captured end
			print(r.captured, r.dropped, #r.workers, sum, r.late, r.workers[1].file, r.workers[2].file)
		end
		print(select(2, pcall(sb.capture, sb, { file = dir .. "/x.pcap", workers = 2, spread = "round" })):match("bad argument.*"))
	`, dir, count), func(rt *luabind.Runtime) {
		rt.L.SetGlobal("start_blast", rt.L.NewFunction(func(*lua.LState) int {
			// Most likely into the rings: the frames come once the capture has begun.
			time.AfterFunc(200*time.Millisecond, func() {
				sa.Blast(context.Background(), frame, BlastOptions{Limits: Limits{Count: count}, Workers: 2})
			})
			return 0
		}))
	}, luaModules()...)
	if err != nil {
		t.Fatal(err)
	}
	c := func(name string) string { return filepath.Join(dir, name) }
	want := fmt.Sprintf("%d\t0\t2\t%[1]d\t0\tnil\tnil\n%[1]d\t0\t2\t%[1]d\tnil\t%s\t%s\n", count, c("cap-1.pcap"), c("cap-2.pcap")) +
		"bad argument #1 to 'capture' (option 'spread' is \"cpu\" or \"hash\")\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	checkTimeOrder(t, tcpdump, c("cap.pcap"), count)
	n1, n2 := len(tcpdumpFrames(t, tcpdump, c("cap-1.pcap"))), len(tcpdumpFrames(t, tcpdump, c("cap-2.pcap")))
	if n1+n2 != count {
		t.Errorf("the workers' files hold %d and %d frames, want %d in all", n1, n2, count)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("files left: %v, want cap.pcap, cap-1.pcap, cap-2.pcap", entries)
	}
}
