package sqlite

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"sync"

	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

// The shared store's statements are written with $1, $2, ...; SQLite
// reads ?1, ?2, ... as the same numbered parameters.
var dollarParam = regexp.MustCompile(`\$([0-9]+)`)

// rewritten caches the SQLite spelling of each shared statement.
var rewritten sync.Map

func sqliteQuery(q string) string {
	if !strings.Contains(q, "$") {
		return q
	}
	if r, ok := rewritten.Load(q); ok {
		return r.(string)
	}
	r := dollarParam.ReplaceAllString(q, "?$1")
	rewritten.Store(q, r)
	return r
}

// stmts caches prepared statements of one pool. Preparing is a good part of
// the cost of a small statement in SQLite, and an import runs the same few
// statements thousands of times.
type stmts struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
}

func newStmts(pool *sql.DB) *stmts { return &stmts{pool: pool, m: map[string]*sql.Stmt{}} }

// get prepares query on the pool, once. With prepare false it only
// returns a statement prepared before, or nil: a transaction holds the
// writer pool's only connection, so preparing on the pool then would wait
// forever.
//
// The lock is not held while preparing: preparing waits for a connection,
// and a transaction holding the writer's only one may itself be waiting
// for the lock to look up a statement (a deadlock seen when two admin
// requests wrote at once). Two callers may then prepare the same query;
// the second keeps the first's statement.
func (s *stmts) get(ctx context.Context, query string, prepare bool) (*sql.Stmt, error) {
	s.mu.Lock()
	st, ok := s.m[query]
	s.mu.Unlock()
	if ok || !prepare {
		return st, nil
	}
	st, err := s.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if first, ok := s.m[query]; ok || s.m == nil {
		// Prepared meanwhile, or the store closed meanwhile.
		st.Close()
		if s.m == nil {
			return nil, sql.ErrConnDone
		}
		return first, nil
	}
	s.m[query] = st
	return st, nil
}

// prepare readies the statements that writes run most, as the shared
// store writes them.
func (s *stmts) prepare(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := s.get(ctx, sqliteQuery(q), true); err != nil {
			return err
		}
	}
	return nil
}

func (s *stmts) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.m {
		st.Close()
	}
	s.m = nil
}

// conn runs the shared store's statements on a pool, prepared once, or
// inside a transaction of that pool when tx is set, where only those
// prepared at Open are reused and the rest run unprepared.
type conn struct {
	stmts *stmts
	tx    *sql.Tx
}

// statement is query, in SQLite's spelling, and its prepared statement
// in c, or nil for one to run unprepared in c's transaction.
func (c conn) statement(ctx context.Context, query string) (*sql.Stmt, string, error) {
	query = sqliteQuery(query)
	st, err := c.stmts.get(ctx, query, c.tx == nil)
	if st != nil && c.tx != nil {
		st = c.tx.StmtContext(ctx, st)
	}
	return st, query, err
}

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	st, query, err := c.statement(ctx, query)
	if err != nil {
		return 0, err
	}
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = c.tx.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	st, query, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = c.tx.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (c conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	st, query, err := c.statement(ctx, query)
	switch {
	case err != nil:
		return errRow{err}
	case st != nil:
		return st.QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, query, args...)
}

// Pipeline runs the statements one after the other: SQLite is in the
// process, so a round trip costs nothing.
func (c conn) Pipeline(ctx context.Context, stmts []sqlstore.Statement) error {
	return sqlstore.RunEach(ctx, c, stmts)
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
