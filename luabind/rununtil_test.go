package luabind_test

import (
	"context"
	"errors"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// RunUntil runs the loop until done is closed, though nothing else is
// alive: a job posted from another goroutine closes it, after a timer
// that was due ran.
func TestRunUntilRunsTheLoopUntilDone(t *testing.T) {
	rt := luabind.New()
	defer rt.Close()
	var ran []string
	rt.Loop.Schedule(0, 0, func(*lua.LState, *luabind.Timer) error { ran = append(ran, "timer"); return nil })
	done := make(chan struct{})
	go func() {
		time.Sleep(10 * time.Millisecond) // after the loop has found nothing alive
		rt.Loop.Post(func(*lua.LState) error { ran = append(ran, "job"); close(done); return nil })
	}()
	if err := rt.Loop.RunUntil(rt.L, context.Background(), done); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 2 || ran[0] != "timer" || ran[1] != "job" {
		t.Errorf("ran %q, want the timer then the job", ran)
	}
}

// RunUntil returns the cause of its context's end, and a callback's
// error, with done still open.
func TestRunUntilEnds(t *testing.T) {
	rt := luabind.New()
	defer rt.Close()
	never := make(chan struct{})
	cause := errors.New("the cause")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	if err := rt.Loop.RunUntil(rt.L, ctx, never); err != cause {
		t.Errorf("RunUntil after the context's end = %v, want its cause", err)
	}
	boom := errors.New("boom")
	rt.Loop.Schedule(0, 0, func(*lua.LState, *luabind.Timer) error { return boom })
	if err := rt.Loop.RunUntil(rt.L, context.Background(), never); !errors.Is(err, boom) {
		t.Errorf("RunUntil with a failing timer = %v, want boom", err)
	}
}
