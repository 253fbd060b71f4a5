package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/store/sqlstore"
	sqlitedriver "modernc.org/sqlite"
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

// sharedConn runs the shared store's statements on a conn.
type sharedConn struct{ c conn }

func (s sharedConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.c.exec(ctx, sqliteQuery(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s sharedConn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := s.c.query(ctx, sqliteQuery(query), args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (s sharedConn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return s.c.queryRow(ctx, sqliteQuery(query), args...)
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// Reader runs reads on the readers' pool; see sqlstore.Backend.
func (db *DB) Reader() sqlstore.Conn { return sharedConn{db.readConn()} }

// Writer runs one statement on the writer's connection.
func (db *DB) Writer() sqlstore.Conn { return sharedConn{conn{stmts: db.writes}} }

// Transact runs fn in a write transaction.
func (db *DB) Transact(ctx context.Context, fn func(sqlstore.Conn) error) error {
	return db.transact(ctx, func(c conn) error { return fn(sharedConn{c}) })
}

// Name names the backend in errors.
func (db *DB) Name() string { return "sqlite" }

// Time stores a time as fixed-width text, which sorts as the times do.
func (db *DB) Time(t time.Time) any { return formatTime(t) }

// Date is t's day in UTC.
func (db *DB) Date(t time.Time) any {
	return t.UTC().Format(time.DateOnly)
}

// NullTime stores the zero time as NULL.
func (db *DB) NullTime(t time.Time) any { return nullTime(t) }

// idHigh names the table that keeps the highest ID each table ever gave
// (migrations 0007 and 0011): SQLite would give the newest row's ID again
// once it is deleted.
var idHigh = map[string]string{
	"articles": "article_id_high", "comments": "comment_id_high", "users": "user_id_high",
	"authors": "author_id_high", "tags": "tag_id_high", "audit_log": "audit_id_high",
}

// NewID is one more than the highest ID the table ever gave.
func (db *DB) NewID(table string) string {
	high, ok := idHigh[table]
	if !ok {
		panic("sqlite: no ID mark for table " + table)
	}
	return "(SELECT id + 1 FROM " + high + ")"
}

// Strings passes a list as a JSON array, for json_each.
func (db *DB) Strings(ss []string) any {
	if ss == nil {
		ss = []string{}
	}
	b, _ := json.Marshal(ss) // strings always marshal
	return string(b)
}

// Each is the table of a JSON array's elements.
func (db *DB) Each(p string) string { return "json_each(" + p + ") AS k" }

// Bytewise is SQLite's own order (BINARY).
func (db *DB) Bytewise(col string) string { return col }

// LockTable is not needed: SQLite has one writer at a time.
func (db *DB) LockTable(string) string { return "" }

// SQLite's extended result codes for broken constraints.
const (
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// Constraint names a broken unique constraint as PostgreSQL would
// (table_column_key), from SQLite's "UNIQUE constraint failed:
// users.email_key"; a foreign key's has no name in SQLite.
func (db *DB) Constraint(err error) (string, sqlstore.Violation) {
	var se *sqlitedriver.Error
	if !errors.As(err, &se) {
		return "", sqlstore.NoViolation
	}
	switch se.Code() {
	case sqliteConstraintForeignKey:
		return "", sqlstore.ForeignKeyViolation
	case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
		_, cols, _ := strings.Cut(se.Error(), "constraint failed: ")
		cols, _, _ = strings.Cut(cols, " (")
		var table string
		var names []string
		for _, c := range strings.Split(cols, ", ") {
			t, col, _ := strings.Cut(strings.TrimSpace(c), ".")
			table = t
			names = append(names, col)
		}
		return table + "_" + strings.Join(names, "_") + "_key", sqlstore.UniqueViolation
	}
	return "", sqlstore.NoViolation
}

// Int64s passes a list of IDs as a JSON array, for json_each.
func (db *DB) Int64s(ids []int64) any {
	if ids == nil {
		ids = []int64{}
	}
	b, _ := json.Marshal(ids) // numbers always marshal
	return string(b)
}

// Greatest is SQLite's two-argument max.
func (db *DB) Greatest(a, b string) string { return "MAX(" + a + ", " + b + ")" }

// ForUpdate is not needed: SQLite has one writer at a time.
func (db *DB) ForUpdate() string { return "" }

// ForKeyShare is not needed: SQLite has one writer at a time.
func (db *DB) ForKeyShare() string { return "" }

// In matches the elements of a JSON array.
func (db *DB) In(col, p string) string { return col + " IN (SELECT value FROM json_each(" + p + "))" }
