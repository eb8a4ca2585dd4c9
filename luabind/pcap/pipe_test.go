package pcap

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// mkfifo makes a FIFO in a directory removed when the test ends. At the
// end it opens the FIFO's other end once, without waiting, so that an
// open the test left waiting returns.
func mkfifo(t *testing.T) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "in.pcap")
	if err := unix.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if fd, err := unix.Open(name, unix.O_WRONLY|unix.O_NONBLOCK, 0); err == nil {
			unix.Close(fd)
		}
	})
	return name
}

// openFDs counts the descriptors of this process open on the file name.
func openFDs(t *testing.T, name string) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && target == name {
			n++
		}
	}
	return n
}

// eventually waits up to 10 s for cond, checking every few milliseconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

// pcap.read of a FIFO that no writer has opened waits with its file open
// (not inside open(2), where no signal ends a wait), and ^C ends the wait.
func TestReadFIFOWithoutWriterInterrupted(t *testing.T) {
	fifo := mkfifo(t)
	runtimes := make(chan *luabind.Runtime, 1)
	done := make(chan error, 1)
	go func() {
		_, err := testlab.RunLuaWith(t, globals("FIFO", fifo)+`require("pcap").read(FIFO)`,
			func(rt *luabind.Runtime) { runtimes <- rt }, luaModules()...)
		done <- err
	}()
	rt := <-runtimes
	eventually(t, "descriptor open on the FIFO", func() bool { return openFDs(t, fifo) == 1 })
	rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
	select {
	case err := <-done:
		var intr *luabind.Interrupt
		if !errors.As(err, &intr) {
			t.Errorf("pcap.read of a FIFO, interrupted: %v, want the interrupt", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("pcap.read of a FIFO still waits 10 s after the interrupt")
	}
	if n := openFDs(t, fifo); n != 0 {
		t.Errorf("%d descriptors still open on the FIFO", n)
	}
}

// Once the writer has come, a read that waits for data (in the header or
// between records) ends at the end of its context, with its cause.
func TestReadFIFOWaitingForDataInterrupted(t *testing.T) {
	errStop := errors.New("stop")
	t.Run("header", func(t *testing.T) {
		fifo := mkfifo(t)
		ctx, cancel := context.WithCancelCause(context.Background())
		opened := make(chan error, 1)
		go func() {
			r, err := Open(ctx, fifo)
			if err == nil {
				r.Close()
			}
			opened <- err
		}()
		var w int
		eventually(t, "reader on the FIFO", func() bool {
			fd, err := unix.Open(fifo, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
			w = fd
			return err == nil // ENXIO until a reader has it open
		})
		defer unix.Close(w)
		cancel(errStop)
		if err := waitFor(t, opened); !errors.Is(err, errStop) {
			t.Errorf("Open waiting for the header: %v, want %v", err, errStop)
		}
	})
	t.Run("record", func(t *testing.T) {
		fifo := mkfifo(t)
		file, recs := writeFile(t, WriterOptions{}, 60, 70)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.OpenFile(fifo, os.O_RDWR, 0) // opens at once on Linux
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		w.Write(data[:headerLen+recordLen+len(recs[0])]) // the second record comes later
		ctx, cancel := context.WithCancelCause(context.Background())
		r, err := Open(ctx, fifo)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if got, _, err := r.Next(ctx); err != nil || len(got) != len(recs[0]) {
			t.Fatalf("the first record: %d bytes, %v", len(got), err)
		}
		next := make(chan error, 1)
		go func() { _, _, err := r.Next(ctx); next <- err }()
		cancel(errStop)
		if err := waitFor(t, next); !errors.Is(err, errStop) {
			t.Errorf("Next waiting for a record: %v, want %v", err, errStop)
		}
	})
}

// waitFor waits up to 10 s for the error a goroutine sends.
func waitFor(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting 10 s after the end of the context")
		return nil
	}
}

// A FIFO reads like a file: every record, then the end, as its writer
// writes them and closes.
func TestReadFIFO(t *testing.T) {
	fifo := mkfifo(t)
	file, recs := writeFile(t, WriterOptions{}, 60, 70, 1500)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		for len(data) > 0 { // a little at a time: reads find the FIFO empty
			n := min(len(data), 50)
			w.Write(data[:n])
			data = data[n:]
			time.Sleep(time.Millisecond)
		}
		w.Close()
	}()
	r, err := Open(context.Background(), fifo)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i, want := range recs {
		got, rec, err := r.Next(context.Background())
		if err != nil || string(got) != string(want) || !rec.TS.Equal(stamp(i)) {
			t.Fatalf("record %d: %d bytes at %v, %v", i, len(got), rec.TS, err)
		}
	}
	if _, _, err := r.Next(context.Background()); err != io.EOF {
		t.Errorf("after the last record: %v, want io.EOF", err)
	}
}
