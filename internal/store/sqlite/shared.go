package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store/sqlstore"
	sqlitedriver "modernc.org/sqlite"
)

// Reader runs reads on the readers' pool; see sqlstore.Backend.
func (db *DB) Reader() sqlstore.Conn { return conn{stmts: db.reads} }

// Writer runs one statement on the writer's connection.
func (db *DB) Writer() sqlstore.Conn { return conn{stmts: db.writes} }

// Transact runs fn in a write transaction, committing when fn returns
// nil and rolling back otherwise.
func (db *DB) Transact(ctx context.Context, fn func(sqlstore.Conn) error) (err error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := fn(conn{stmts: db.writes, tx: tx}); err != nil {
		return err
	}
	return tx.Commit()
}

// Name names the backend in errors.
func (db *DB) Name() string { return "sqlite" }

// Time stores a time as fixed-width text, which sorts as the times do.
func (db *DB) Time(t time.Time) any { return t.UTC().Format(sqlstore.TextTimeLayout) }

// Date is t's day in UTC.
func (db *DB) Date(t time.Time) any {
	return t.UTC().Format(time.DateOnly)
}

// NullTime stores the zero time as NULL.
func (db *DB) NullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return db.Time(t)
}

// idHigh names the table that keeps the highest ID each table ever gave
// (migrations 0007 and 0011): SQLite would give the newest row's ID again
// once it is deleted.
var idHigh = map[string]string{
	"articles": "article_id_high", "comments": "comment_id_high", "users": "user_id_high", "media": "media_id_high", "sections": "section_id_high",
	"authors": "author_id_high", "tags": "tag_id_high", "audit_log": "audit_id_high", "entities": "entity_id_high",
}

// NewID is one more than the highest ID the table ever gave.
func (db *DB) NewID(table string) string {
	high, ok := idHigh[table]
	if !ok {
		panic("sqlite: no ID mark for table " + table)
	}
	return "(SELECT id + 1 FROM " + high + ")"
}

// NewIDs numbers the rows of one statement from the highest ID the table
// gave before it.
func (db *DB) NewIDs(table, n string) (string, string) {
	return "id, ", "(SELECT id FROM " + idHigh[table] + ") + " + n + ", "
}

// Strings passes a list as a JSON array, for json_each.
func (db *DB) Strings(ss []string) any { return jsonArray(ss) }

// jsonArray is a list as a JSON array, [] for none.
func jsonArray[T string | int64](list []T) string {
	if list == nil {
		list = []T{}
	}
	b, _ := json.Marshal(list) // strings and numbers always marshal
	return string(b)
}

// Each is the table of a JSON array's elements.
func (db *DB) Each(p, alias string) string {
	return "(SELECT value, key + 1 AS position FROM json_each(" + p + ")) AS " + alias
}

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

// Unavailable is SQLite's busy and locked errors, which come once the
// busy timeout has passed with another writer holding the file, and a
// deadline that ended the wait sooner.
func (db *DB) Unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var se *sqlitedriver.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqliteBusy, sqliteLocked:
		return true
	}
	return false
}

// SQLite's primary result codes for a database held by another connection.
const (
	sqliteBusy   = 5
	sqliteLocked = 6
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
		// "constraint failed: UNIQUE constraint failed: users.email (2067)"
		const failed = "constraint failed: "
		msg := se.Error()
		at := strings.LastIndex(msg, failed)
		if at < 0 {
			return "", sqlstore.UniqueViolation
		}
		cols, _, _ := strings.Cut(msg[at+len(failed):], " (")
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
func (db *DB) Int64s(ids []int64) any { return jsonArray(ids) }

// NewestFirst is true: SQLite's planner keeps no statistics.
func (db *DB) NewestFirst() bool { return true }

// IDList is SQLite's group_concat.
func (db *DB) IDList(col string) string { return "group_concat(" + col + ", ',')" }

// WritingWith is false: SQLite's WITH clauses only read.
func (db *DB) WritingWith() bool { return false }

// Greatest is SQLite's two-argument max.
func (db *DB) Greatest(a, b string) string { return "MAX(" + a + ", " + b + ")" }

// ForUpdate is not needed: SQLite has one writer at a time.
func (db *DB) ForUpdate() string { return "" }

// ForKeyShare is not needed: SQLite has one writer at a time.
func (db *DB) ForKeyShare() string { return "" }

// In matches the elements of a JSON array.
func (db *DB) In(col, p string) string { return col + " IN (SELECT value FROM json_each(" + p + "))" }

// ArticlesByID reads the articles found by ID through the covering index
// of migration 0024: the planner would read each row, whose listing
// columns lie past its body.
func (db *DB) ArticlesByID() string { return "articles a INDEXED BY articles_search_filter" }

// Pairs zips two JSON arrays by position.
func (db *DB) Pairs(p, q string) string {
	return "(SELECT a.value AS id, b.value AS n FROM json_each(" + p + ") AS a JOIN json_each(" + q + ") AS b ON a.key = b.key) AS v"
}
