// Package sqlstore holds the Go that the SQL backends share: every
// method of the store written once, over a small connection interface that
// each backend implements on its own driver (database/sql with SQLite, pgx
// with PostgreSQL). A backend keeps only what is its own: opening the
// database, its migrations, its Conn and its Dialect.
//
// Statements are written once, in PostgreSQL's placeholder syntax ($1,
// $2, ...); the SQLite backend runs them as ?1, ?2, ..., which SQLite
// reads the same way. Where the two dialects truly differ (how a time is
// stored, how a new row gets an ID that is never given again, a list
// passed as one parameter, table locks), the backend's Dialect says so,
// and the statement is built around it: a dialect layer this small, and
// no more, so that no statement is written twice for its placeholders.
// Writes that need not wait for each other's answers (a batch of new
// articles) go through Conn.Pipeline: one round trip to PostgreSQL,
// statement after statement in SQLite's process.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
)

// Row is one result row, as QueryRow gives it. Scanning no row at all
// gives an error matching sql.ErrNoRows, on both drivers.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set being read.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Conn runs statements on a pool, or within a transaction.
type Conn interface {
	// Exec runs a statement and says how many rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Pipeline runs statements in order, handing each answer to its
	// statement, and stops at the first that fails, returning its error.
	// PostgreSQL sends them all in one round trip.
	Pipeline(ctx context.Context, stmts []Statement) error
}

// Dialect is what differs between the backends' SQL.
type Dialect interface {
	// Time is a time as a statement's parameter: stored in UTC, to the
	// microsecond. NullTime is the same, with the zero time as NULL.
	Time(t time.Time) any
	NullTime(t time.Time) any
	// Date is a day (of t, in UTC) as a statement's parameter; Day
	// scans one back.
	Date(t time.Time) any
	// NewID is the value for the id column of a new row of table: one
	// no row of it ever had. NewIDs is the same for the rows of one
	// INSERT ... SELECT, each given a different number n (an expression
	// of the SELECT, from 1): it names the id column with its value and
	// a comma ("id, " and "..., "), or is empty for both where the
	// database gives the ID itself.
	NewID(table string) string
	NewIDs(table, n string) (column, value string)
	// Strings passes a list of strings as one parameter; Each is a
	// table named alias of the list's elements, for the parameter
	// written p ($1): columns value and position (from 1).
	Strings(ss []string) any
	Each(p, alias string) string
	// In is the condition that col is one of the list passed as the
	// parameter written p (Strings or Int64s): a form each database
	// finds through col's index.
	In(col, p string) string
	// Int64s passes a list of IDs as one parameter, for In.
	Int64s(ids []int64) any
	// NewestFirst reports whether a page of a tag's or topic's articles
	// is looked for among the site's newest articles before the tag's
	// are listed and sorted (see Store.newestOf): on SQLite, whose
	// planner has no statistics to choose between the two. PostgreSQL
	// chooses by itself, and would read every article to find where the
	// newest end.
	NewestFirst() bool
	// IDList is the aggregate of a group's IDs in col as one text,
	// separated by commas: a list read as one value, not row by row.
	IDList(col string) string
	// ArticlesByID is the articles table, named a, for a list that finds
	// its articles by ID (those of a tag): read through an index that
	// holds the columns a listing filters on, where the database would
	// otherwise read each whole row.
	ArticlesByID() string
	// Search is how the database's own full-text engine finds articles
	// (a, with its section se and author au) matching q, ranked by
	// Dateline's weights or, when plain, by the engine's defaults with
	// every field alike (see search.Options.Plain); arg adds a parameter
	// and returns its placeholder. See SearchSQL.
	Search(q search.Query, plain bool, arg func(any) string) SearchSQL
	// Snippets is a query of (id, snippet) for the articles whose IDs
	// are the parameter written ids (an Int64s), each snippet the part
	// of the body that best matches q, matches marked with
	// search.SnippetStart and SnippetEnd.
	Snippets(q search.Query, ids string, arg func(any) string) string
	// SearchWordsQuery lists the search index's words from $1 up to (not
	// including) $2, at most $3.
	SearchWordsQuery() string
	// Pairs is a table, named v, of two Int64s lists of one length side
	// by side, in columns id (from the list written p) and n (from q).
	Pairs(p, q string) string
	// WritingWith reports whether a WITH clause may hold an INSERT ...
	// RETURNING that the rest of the statement reads (PostgreSQL), so
	// that writes that depend on each other go in one statement.
	WritingWith() bool
	// Greatest is the larger of two values.
	Greatest(a, b string) string
	// ForUpdate ends a SELECT that locks the rows it reads until the
	// transaction ends, or is "" where a transaction alone does.
	ForUpdate() string
	// ForKeyShare ends a SELECT that keeps the rows it reads from being
	// deleted until the transaction ends, or is "" where a transaction
	// alone does.
	ForKeyShare() string
	// Bytewise orders by col byte by byte, whatever the database's
	// collation.
	Bytewise(col string) string
	// LockTable is the statement that holds off other writers of table
	// until the transaction ends, or "" where a transaction alone does
	// (SQLite has one writer).
	LockTable(table string) string
	// Constraint names the constraint a unique or foreign key violation
	// broke, and which it was; "" for any other error.
	Constraint(err error) (name string, kind Violation)
	// Unavailable reports whether err says the database could not be
	// reached, or was busy past the store's wait: worth trying again.
	Unavailable(err error) bool
}

// Violation is a kind of broken constraint.
type Violation int

// The violations the store turns into its errors.
const (
	NoViolation Violation = iota
	UniqueViolation
	ForeignKeyViolation
)

// Backend is a database as the shared store uses it.
type Backend interface {
	Dialect
	// Reader runs reads outside a transaction; Writer runs a write of
	// one statement that needs no transaction around it.
	Reader() Conn
	Writer() Conn
	// Transact runs fn in a write transaction, committing when it
	// returns nil and rolling back otherwise.
	Transact(ctx context.Context, fn func(Conn) error) error
	// Name names the backend in errors: "sqlite", "postgres".
	Name() string
}

// SearchSQL is a full-text search as a dialect writes it.
type SearchSQL struct {
	// Found selects the articles that match the query, as rows (id,
	// rank, whole, phrase, published): rank is the relevance (higher is
	// better), phrase 1 when the article holds the query's words as one
	// phrase (those rank first; see search.Query.PhraseWords), published
	// the time it was published (or made, for a draft), and whole 1 when
	// the row is one of the newest matches, at most window of them (a
	// placeholder), taken in the order of the articles' ids. A dialect
	// may add other matches it can rank without reading every match
	// (those whose head, title, standfirst or tags, matches), with whole
	// 0. The articles are a, joined with joins; where is "" or conditions
	// on them, each after AND.
	Found func(joins, where, window string) string
	// Age is the age in days, at the time written by the placeholder now,
	// of an article published at the time of the column published.
	Age func(published, now string) string
}

// Store implements the store's methods shared by the backends.
type Store struct {
	db  Backend
	now func() time.Time
}

// New returns the shared store over db, with now as its clock.
func New(db Backend, now func() time.Time) *Store { return &Store{db: db, now: now} }

// wrap names the store operation in an error, keeping it matchable with
// errors.Is.
func (s *Store) wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	if !errors.Is(*errp, store.ErrUnavailable) && s.db.Unavailable(*errp) {
		*errp = fmt.Errorf(s.db.Name()+": "+format+": %w: %w", append(args, store.ErrUnavailable, *errp)...)
		return
	}
	*errp = fmt.Errorf(s.db.Name()+": "+format+": %w", append(args, *errp)...)
}

// each runs query on c and calls fn with every row it returns, stopping
// at fn's first error.
func each(ctx context.Context, c Conn, query string, args []any, fn func(Row) error) error {
	rows, err := c.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// list runs query on c and collects what scan reads of every row.
func list[T any](ctx context.Context, c Conn, query string, args []any, scan func(Row, *T) error) ([]T, error) {
	var ts []T
	err := each(ctx, c, query, args, func(row Row) error {
		var t T
		if err := scan(row, &t); err != nil {
			return err
		}
		ts = append(ts, t)
		return nil
	})
	return ts, err
}

// noRows reports whether err is a query that found no row.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// oneRow turns a write that changed no row into store.ErrNotFound.
func oneRow(n int64, err error) error {
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// Time scans a stored time, or NULL as the zero time, in UTC: a
// TIMESTAMPTZ from PostgreSQL, the fixed-width text SQLite keeps.
func Time(t *time.Time) sql.Scanner { return timeScanner{t} }

type timeScanner struct{ t *time.Time }

// TextTimeLayout is how SQLite keeps times: fixed-width, so that they
// sort as text.
const TextTimeLayout = "2006-01-02T15:04:05.000000Z"

func (s timeScanner) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("cannot read a time from %T", v)
	}
	return nil
}

func (s timeScanner) parse(text string) error {
	t, err := time.Parse(TextTimeLayout, text)
	if err != nil {
		return err
	}
	*s.t = t
	return nil
}

// Day scans a stored day as "2006-01-02": a DATE from PostgreSQL, the
// text SQLite keeps.
func Day(day *string) sql.Scanner { return dayScanner{day} }

type dayScanner struct{ day *string }

func (s dayScanner) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*s.day = v.Format(time.DateOnly)
	case string:
		*s.day = v
	case []byte:
		*s.day = string(v)
	default:
		return fmt.Errorf("cannot read a day from %T", v)
	}
	return nil
}
