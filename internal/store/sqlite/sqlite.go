// Package sqlite is Dateline's embedded default store: one database file,
// the pure-Go modernc.org/sqlite driver (so CGO_ENABLED=0 builds work),
// WAL journaling, foreign keys and a busy timeout. Writes go through a pool
// of one connection, which is how SQLite serialises writers anyway, and
// reads through a separate pool so they never queue behind a write.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is a Dateline store in one SQLite file.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	// writes and reads hold the prepared statements of each pool.
	writes *stmts
	reads  *stmts
	now    func() time.Time
}

var _ store.Store = (*DB)(nil)

// pragmas are set on every connection through the DSN, not once on the pool,
// so that each new connection gets them. synchronous=NORMAL is the setting
// SQLite recommends with WAL: a crash cannot corrupt the file, and commits
// do not wait for an fsync.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

// Open opens (creating it if missing) the database file at path and brings
// its schema up to date. A schema newer than this binary wraps
// store.ErrSchema.
func Open(ctx context.Context, path string, opts store.Options) (_ *DB, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("open sqlite:%s: %w", path, err)
		}
	}()
	if err := opts.Check(); err != nil {
		return nil, err
	}
	if path == "" {
		return nil, errors.New("no file path given (want sqlite:PATH)")
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("directory %s does not exist", dir)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	uri := "file:" + escapePath(path) + "?" + pragmas
	// IMMEDIATE takes the write lock at BEGIN, so two writers wait for each
	// other (busy_timeout) instead of failing midway with SQLITE_BUSY.
	// temp_store=MEMORY keeps the sub-journal of SaveArticles' savepoints
	// (the pages each article changes, to roll back to) in memory rather
	// than in a temporary file: writing it was a fifth of an import's
	// store time.
	writer, err := sql.Open("sqlite", uri+"&_txlock=immediate&_pragma=temp_store(MEMORY)")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	reader, err := sql.Open("sqlite", uri+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(4)
	db := &DB{path: path, writer: writer, reader: reader, writes: newStmts(writer), reads: newStmts(reader), now: opts.Now}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, explain(err)
	}
	if err := db.writes.prepare(ctx, hotWrites...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkHeader refuses an existing non-empty file that is not an SQLite
// database. SQLite itself would quietly turn a short file of any kind into
// a new database, losing what it held.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file becomes a new database
	}
	if string(head[:n]) != sqliteHeader {
		return fmt.Errorf("%s exists and is not an SQLite database; name a new file or an existing database", path)
	}
	return nil
}

// explain turns the driver's terse errors about a bad file into words that
// name the problem.
func explain(err error) error {
	if strings.Contains(err.Error(), "file is not a database") {
		return fmt.Errorf("not an SQLite database: %w", err)
	}
	return err
}

func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close closes both connection pools.
func (db *DB) Close() error {
	db.writes.close()
	db.reads.close()
	return errors.Join(db.writer.Close(), db.reader.Close())
}

func (db *DB) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	ms, err := store.Migrations(sub)
	if err != nil {
		return err
	}
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	var current int
	if err := db.writer.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if err := store.CheckVersion(current, ms); err != nil {
		return err
	}
	for _, m := range ms[current:] {
		err := db.transact(ctx, func(c conn) error {
			// Migrations run once: executed directly, not cached.
			if _, err := c.tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := c.tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, m.Version)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// transact runs fn in a write transaction, committing when fn returns nil
// and rolling back otherwise.
func (db *DB) transact(ctx context.Context, fn func(conn) error) (err error) {
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

// timeLayout is fixed-width so that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return time.Parse(timeLayout, s.String)
}
