package filter

import (
	"math/rand/v2"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/testlab"
)

// TestKernelAccepts attaches every program of the lists, and random
// ones, compiled for files and for live sockets, to a packet socket with
// SO_ATTACH_FILTER: the kernel's checker must take them all. The socket
// has protocol 0, so it receives nothing.
func TestKernelAccepts(t *testing.T) {
	testlab.Privileged(t)
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	exprs := append(append(allExprs(), protochainExprs...), geneveExprs...)
	r := rand.New(rand.NewPCG(7, 7))
	for range 500 {
		exprs = append(exprs, randomExpr(r, 4))
	}
	attached := 0
	for _, e := range exprs {
		for _, compile := range []func(string) (*Program, error){Compile, CompileLive} {
			p, err := compile(e)
			if err != nil {
				continue
			}
			raw := p.Raw()
			prog := unix.SockFprog{Len: uint16(len(raw)), Filter: (*unix.SockFilter)(unsafe.Pointer(&raw[0]))}
			if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &prog); err != nil {
				t.Errorf("%q (live %v): the kernel refuses the program: %v\n%s", e, p.live, err, p.Dump())
			}
			attached++
		}
	}
	t.Logf("the kernel took all %d programs", attached)
}
