package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// stmts caches prepared statements of one pool. Preparing is a good part of
// the cost of a small statement in SQLite, and an import runs the same few
// statements thousands of times.
type stmts struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
}

func newStmts(pool *sql.DB) *stmts { return &stmts{pool: pool, m: map[string]*sql.Stmt{}} }

// cached returns the statement for query if it was prepared before.
func (s *stmts) cached(query string) (*sql.Stmt, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[query]
	return st, ok
}

// get prepares query on the pool, once. It must not be called while a
// transaction holds the pool's only connection: that would wait forever.
func (s *stmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.m[query]; ok {
		return st, nil
	}
	st, err := s.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.m[query] = st
	return st, nil
}

func (s *stmts) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.m {
		st.Close()
	}
	s.m = nil
}

// conn runs cached statements on a pool, or inside a transaction of that
// pool when tx is set.
type conn struct {
	stmts *stmts
	tx    *sql.Tx
}

type scanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func (c conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if c.tx == nil {
		return c.stmts.get(ctx, query)
	}
	// The writer pool has one connection and the transaction holds it, so
	// only statements prepared at Open can be reused here.
	if st, ok := c.stmts.cached(query); ok {
		return c.tx.StmtContext(ctx, st), nil
	}
	return c.tx.PrepareContext(ctx, query)
}

// prepare readies the statements that writes run most.
func (s *stmts) prepare(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := s.get(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) scanner {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}
