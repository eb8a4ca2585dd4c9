package ledger

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestLedgerUnwindsNewestFirst(t *testing.T) {
	var l Ledger
	var order []string
	for _, name := range []string{"namespace", "veth", "rule"} {
		l.Add(name, func() error { order = append(order, name); return nil })
	}
	if err := l.Unwind(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"rule", "veth", "namespace"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if l.Len() != 0 {
		t.Errorf("%d entries left", l.Len())
	}
}

func TestUndoRunIsIdempotent(t *testing.T) {
	var l Ledger
	n := 0
	u := l.Add("socket", func() error { n++; return nil })
	other := l.Add("other", func() error { return nil })
	u.Run()
	u.Run()
	if n != 1 || l.Len() != 1 {
		t.Fatalf("ran %d times, %d entries left; want 1 and 1", n, l.Len())
	}
	l.Unwind()
	if n != 1 {
		t.Errorf("Unwind ran a closed entry again")
	}
	if err := other.Run(); err != nil {
		t.Errorf("Run after Unwind: %v", err)
	}
}

func TestUnwindReportsEveryFailure(t *testing.T) {
	var l Ledger
	ran := false
	l.Add("first", func() error { ran = true; return nil })
	l.Add("table", func() error { return errors.New("busy") })
	l.Add("queue", func() error { return errors.New("gone") })
	err := l.Unwind()
	if err == nil || !strings.Contains(err.Error(), "undo table: busy") || !strings.Contains(err.Error(), "undo queue: gone") {
		t.Errorf("error %v does not name both failures", err)
	}
	if !ran {
		t.Error("a failure stopped the unwinding")
	}
}

func TestUnwindGoesOnAfterAPanic(t *testing.T) {
	var l Ledger
	ran := false
	l.Add("first", func() error { ran = true; return nil })
	l.Add("buggy", func() error {
		var m map[string]int
		//lint:ignore SA5000 the undo must fail with a Go runtime error, not a plain panic
		m["x"] = 1 // a Go panic: assignment to entry in nil map
		return nil
	})
	err := l.Unwind()
	if err == nil || !strings.Contains(err.Error(), "undo buggy: internal error: assignment to entry in nil map (a bug in netlua") {
		t.Errorf("error %v does not report the panic", err)
	}
	if !ran || l.Len() != 0 {
		t.Errorf("the panic stopped the unwinding: first ran %v, %d entries left", ran, l.Len())
	}
}
