package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// A transaction holding the writer's only connection looks up a prepared
// statement while another caller prepares a new one (which waits for that
// connection): the lookup must not wait for the preparing, or neither
// ever ends. Two admin requests writing at once hung so.
func TestStatementLookupDoesNotWaitForPreparing(t *testing.T) {
	pool, err := sql.Open("sqlite", "file:"+escapePath(filepath.Join(t.TempDir(), "x.db")))
	if err != nil {
		t.Fatal(err)
	}
	pool.SetMaxOpenConns(1)
	ctx := context.Background()
	s := newStmts(pool)
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	prepared := make(chan error, 1)
	go func() {
		_, err := s.get(ctx, "SELECT 2", true) // waits for the connection
		prepared <- err
	}()
	time.Sleep(50 * time.Millisecond) // let it start waiting
	looked := make(chan struct{})
	go func() {
		s.get(ctx, "SELECT 1", false)
		close(looked)
	}()
	select {
	case <-looked:
	case <-time.After(10 * time.Second):
		// Nothing is closed: with the bug, closing would wait forever too.
		t.Fatal("looking up a statement waited for another caller's preparing")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-prepared; err != nil {
		t.Fatal(err)
	}
	s.close()
	pool.Close()
}
