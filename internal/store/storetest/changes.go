package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

var changeTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"WatchChangesSeesWrites", testWatchChanges},
	{"ReadyAndPool", testReadyAndPool},
}

// A watcher hears of a write committed by another connection, named by
// its table where the store can tell (PostgreSQL: "redirects"; SQLite
// cannot), and stops without an error when its context ends.
func testWatchChanges(t *testing.T, s store.Store) {
	watching, stop := context.WithCancel(ctx)
	// Only the notices a redirect can send count: on PostgreSQL the
	// channel is the database's, and tests in other schemas write too.
	changed := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.WatchChanges(watching, func(table string) {
			if table != "" && table != "redirects" {
				return
			}
			select {
			case changed <- table:
			default:
			}
		})
	}()
	// The watch may not be listening yet when the first write commits:
	// write until it hears one.
	heard := false
	for i := 0; i < 50 && !heard; i++ {
		if _, err := s.AddRedirect(ctx, fmt.Sprintf("/old-%d/", i), "/new/"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changed:
			heard = true
		case <-time.After(4 * store.ChangePoll):
		}
	}
	if !heard {
		t.Fatal("the watch heard of none of 50 writes")
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("WatchChanges ended with %v; want nil once its context is done", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WatchChanges did not return once its context was done")
	}
}

// A node's readiness: the database answers and holds this binary's
// schema. The connections it reports are there to be counted.
func testReadyAndPool(t *testing.T, s store.Store) {
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready = %v on a migrated store", err)
	}
	mustCreate(t, s, sample("counted"))
	if p := s.Pool(); p.Open < 1 || p.InUse < 0 || p.InUse > p.Open || p.Max != 0 && p.Open > p.Max || p.Waits < 0 {
		t.Errorf("Pool = %+v after a write: want open connections within the limit", p)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Ready(cancelled); err == nil {
		t.Error("Ready answered nil for a cancelled check: it did not ask the database")
	}
}
