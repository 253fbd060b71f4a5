package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/datelinehq/dateline/internal/store/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The SQLSTATEs of a unique and a foreign key violation.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// pgxConn is what a pool and a transaction both offer.
type pgxConn interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// sharedConn runs the shared store's statements on a pool or in a
// transaction.
type sharedConn struct{ c pgxConn }

func (s sharedConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := s.c.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (s sharedConn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	return s.c.Query(ctx, query, args...)
}

func (s sharedConn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return s.c.QueryRow(ctx, query, args...)
}

// Pipeline sends the statements in one batch, in one round trip. The
// server skips what follows a failed statement.
func (s sharedConn) Pipeline(ctx context.Context, stmts []sqlstore.Statement) error {
	b := &pgx.Batch{}
	for _, st := range stmts {
		q := b.Queue(st.SQL, st.Args...)
		switch {
		case st.Row != nil:
			q.QueryRow(func(row pgx.Row) error {
				if err := st.Row(row); err != nil {
					return err
				}
				if st.Done != nil {
					st.Done()
				}
				return nil
			})
		case st.Rows != nil:
			q.Query(func(rows pgx.Rows) error {
				for rows.Next() {
					if err := st.Rows(rows); err != nil {
						return err
					}
				}
				if err := rows.Err(); err != nil {
					return err
				}
				if st.Done != nil {
					st.Done()
				}
				return nil
			})
		case st.Done != nil:
			q.Exec(func(pgconn.CommandTag) error {
				st.Done()
				return nil
			})
		}
	}
	return s.c.SendBatch(ctx, b).Close()
}

// Reader runs reads on the pool; see sqlstore.Backend.
func (db *DB) Reader() sqlstore.Conn { return sharedConn{db.pool} }

// Writer runs one statement on the pool.
func (db *DB) Writer() sqlstore.Conn { return sharedConn{db.pool} }

// Transact runs fn in a transaction, committing when fn returns nil and
// rolling back otherwise.
func (db *DB) Transact(ctx context.Context, fn func(sqlstore.Conn) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return fn(sharedConn{tx}) })
}

// Name names the backend in errors.
func (db *DB) Name() string { return "postgres" }

// Time stores a time in UTC, cut to the microseconds that a TIMESTAMPTZ
// keeps (PostgreSQL would round instead).
func (db *DB) Time(t time.Time) any { return t.UTC().Truncate(time.Microsecond) }

// Date is t's day in UTC.
func (db *DB) Date(t time.Time) any {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// NullTime stores the zero time as NULL.
func (db *DB) NullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return db.Time(t)
}

// NewID lets the identity column give the ID: it never gives one again.
func (db *DB) NewID(string) string { return "DEFAULT" }

// NewIDs leaves the id column to its identity.
func (db *DB) NewIDs(string, string) (string, string) { return "", "" }

// Strings passes a list as a text array.
func (db *DB) Strings(ss []string) any { return array(ss) }

// array is a list as an array parameter, empty (not NULL) for none.
func array[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// Each is the table of a text array's elements.
func (db *DB) Each(p, alias string) string {
	return "unnest(" + p + "::text[]) WITH ORDINALITY AS " + alias + " (value, position)"
}

// Bytewise orders by the C collation.
func (db *DB) Bytewise(col string) string { return col + ` COLLATE "C"` }

// LockTable holds off other writers of table, not readers.
func (db *DB) LockTable(table string) string {
	return "LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE"
}

// Unavailable is a server that cannot be reached or answered too late: a
// refused or cut connection, a connection or statement timeout, a deadline,
// and the server's own connection exceptions (class 08), lack of resources
// (class 53: too many connections) and shutdowns (57P01-57P03).
func (db *DB) Unavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		code := pgErr.Code
		return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53") ||
			code == "57P01" || code == "57P02" || code == "57P03" || code == "57014"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// Constraint names a broken unique or foreign key constraint.
func (db *DB) Constraint(err error) (string, sqlstore.Violation) {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return "", sqlstore.NoViolation
	}
	switch pgErr.Code {
	case uniqueViolation:
		return pgErr.ConstraintName, sqlstore.UniqueViolation
	case foreignKeyViolation:
		return pgErr.ConstraintName, sqlstore.ForeignKeyViolation
	}
	return "", sqlstore.NoViolation
}

// Int64s passes a list of IDs as a bigint array.
func (db *DB) Int64s(ids []int64) any { return array(ids) }

// NewestFirst is false: PostgreSQL's planner chooses by its statistics.
func (db *DB) NewestFirst() bool { return false }

// IDList is PostgreSQL's string_agg.
func (db *DB) IDList(col string) string { return "string_agg(" + col + "::text, ',')" }

// WritingWith is true: PostgreSQL runs an INSERT in a WITH clause.
func (db *DB) WritingWith() bool { return true }

// Greatest is PostgreSQL's GREATEST.
func (db *DB) Greatest(a, b string) string { return "GREATEST(" + a + ", " + b + ")" }

// ForUpdate locks the rows read until the transaction ends.
func (db *DB) ForUpdate() string { return " FOR UPDATE" }

// ForKeyShare keeps the rows read from being deleted.
func (db *DB) ForKeyShare() string { return " FOR KEY SHARE" }

// In matches the elements of an array, through col's index.
func (db *DB) In(col, p string) string { return col + " = ANY(" + p + ")" }

// ArticlesByID is the articles table: a PostgreSQL row keeps its long
// body apart, so reading it whole costs little.
func (db *DB) ArticlesByID() string { return "articles a" }

// Pairs zips two bigint arrays by position.
func (db *DB) Pairs(p, q string) string {
	return "unnest(" + p + "::bigint[], " + q + "::bigint[]) AS v (id, n)"
}
