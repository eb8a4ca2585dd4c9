package lua

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// blockingReader never returns, as a FIFO with no writer or a chunk so big
// that its compile takes minutes.
type blockingReader struct{ started chan struct{} }

func (r blockingReader) Read([]byte) (int, error) {
	close(r.started)
	select {}
}

// TestLoadEndsWithItsContext: netlua patch 6, a load under a context that
// ends returns the context's cause instead of waiting for the compile.
func TestLoadEndsWithItsContext(t *testing.T) {
	L := NewState()
	defer L.Close()
	cause := errors.New("interrupted (SIGINT)")
	ctx, cancel := context.WithCancelCause(context.Background())
	L.SetContext(ctx)
	r := blockingReader{started: make(chan struct{})}
	go func() { <-r.started; cancel(cause) }()
	_, err := L.Load(r, "big.lua")
	var apiErr *ApiError
	if !errors.As(err, &apiErr) || apiErr.Cause != cause {
		t.Fatalf("Load returned %v, want the context's cause", err)
	}
	// An ended context fails the next load at once, even a valid one.
	if _, err := L.Load(strings.NewReader("return 1"), "ok.lua"); err == nil {
		t.Fatal("Load under an ended context succeeded")
	}
	L.RemoveContext()
	if _, err := L.Load(strings.NewReader("return 1"), "ok.lua"); err != nil {
		t.Fatalf("Load without a context: %v", err)
	}
}
