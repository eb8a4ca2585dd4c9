package netns_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/testlab"
	"golang.org/x/sys/unix"
)

// inodeOf is the namespace inode a /proc ns link points to.
func inodeOf(t *testing.T, path string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// newNS makes a namespace closed at the end of the test.
func newNS(t *testing.T) *netns.NS {
	t.Helper()
	ns, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	return ns
}

func TestNewIsAnotherNamespace(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	ino, err := ns.Inode()
	if err != nil {
		t.Fatal(err)
	}
	if home := inodeOf(t, "/proc/self/ns/net"); ino == home {
		t.Fatalf("netns.New returned the process's own namespace %d", home)
	}
	if s := ns.String(); !strings.HasPrefix(s, "net:[") {
		t.Errorf("String() = %q", s)
	}
}

func TestDoRunsInside(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	want, _ := ns.Inode()
	var got uint64
	err := ns.Do(func() error {
		got = inodeOf(t, "/proc/thread-self/ns/net")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("inside netns.Do the thread is in %d, want %d", got, want)
	}
}

func TestDoReturnsFnError(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	boom := errors.New("boom")
	if err := ns.Do(func() error { return boom }); err != boom {
		t.Fatalf("netns.Do = %v, want fn's error unchanged", err)
	}
}

// Every thread of the process must be back home after many switches.
func TestDoLeavesNoThreadInside(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ns.Do(func() error { return nil })
		}()
	}
	wg.Wait()
	home := inodeOf(t, "/proc/self/ns/net")
	tasks, _ := filepath.Glob("/proc/self/task/*/ns/net")
	for _, task := range tasks {
		var st unix.Stat_t
		if unix.Stat(task, &st) == nil && st.Ino != home {
			t.Errorf("%s is in namespace %d, want %d", task, st.Ino, home)
		}
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	testlab.Privileged(t)
	ns := newNS(t)
	for i := range 2 {
		if err := ns.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	if fd := ns.FD(); fd != -1 {
		t.Errorf("FD after Close = %d, want -1", fd)
	}
	if err := ns.Do(func() error { return nil }); !errors.Is(err, netns.ErrClosed) {
		t.Errorf("netns.Do after Close = %v, want ErrClosed", err)
	}
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name, path string
		want       error // nil: opens
		wantText   string
	}{
		{name: "own namespace", path: "/proc/self/ns/net"},
		{name: "missing", path: testlab.AbsentPath(t), want: fs.ErrNotExist},
		{name: "not a namespace", path: "/proc/self/status", wantText: "not a network namespace"},
		{name: "another kind of namespace", path: "/proc/self/ns/uts", wantText: "not a network namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, err := netns.Open(tt.path)
			if tt.want == nil && tt.wantText == "" {
				if err != nil {
					t.Fatal(err)
				}
				ns.Close()
				return
			}
			if err == nil {
				ns.Close()
				t.Fatalf("netns.Open(%s) succeeded", tt.path)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("netns.Open(%s) = %v, want %v", tt.path, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) || !strings.HasPrefix(err.Error(), "netns.open: ") {
				t.Errorf("netns.Open(%s) = %q, want netns.open: ...%s", tt.path, err, tt.wantText)
			}
		})
	}
}

// A descriptor below 3 would read as "no namespace" to netlink.Config.
func TestOpenNeverReturnsLowFD(t *testing.T) {
	testlab.Privileged(t)
	ns, err := netns.Open("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	if ns.FD() < 3 {
		t.Fatalf("FD() = %d", ns.FD())
	}
}

func TestNetlinkFD(t *testing.T) {
	if fd, err := (*netns.NS)(nil).NetlinkFD(); fd != 0 || err != nil {
		t.Errorf("nil namespace: %d, %v; want 0 (the current namespace)", fd, err)
	}
	testlab.Privileged(t)
	ns := newNS(t)
	if fd, err := ns.NetlinkFD(); fd != ns.FD() || fd <= 0 || err != nil {
		t.Errorf("open namespace: %d, %v; want its descriptor %d", fd, err, ns.FD())
	}
	ns.Close()
	if _, err := ns.NetlinkFD(); !errors.Is(err, netns.ErrClosed) {
		t.Errorf("closed namespace: %v, want ErrClosed", err)
	}
}

func TestMain(m *testing.M) { testlab.Main(m) }
