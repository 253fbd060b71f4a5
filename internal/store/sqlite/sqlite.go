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
	"github.com/datelinehq/dateline/internal/store/sqlstore"
	sqlitedriver "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is a Dateline store in one SQLite file.
type DB struct {
	// Store holds the methods the backends share; those DB defines
	// itself are SQLite's own.
	*sqlstore.Store
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
// do not wait for an fsync. mmap_size maps the file into memory (up to
// SQLite's limit, 2 GiB here), so that reads (search's index above all)
// take pages from the OS's cache without a system call each: a search of
// 10,000 articles spent a third of its time in pread.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(17179869184)"

// readOnlyPragmas are those of a store opened ReadOnly: mode=rw opens the
// file without creating it, and query_only refuses every write. (mode=ro
// would leave the -wal and -shm files behind: only a connection that may
// write removes them as it closes. SQLite opens a file the process may not
// write read-only by itself.) The journal mode is the file's own, WAL, set
// when it was created.
const readOnlyPragmas = "mode=rw&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"

// Open opens the database file at path and brings its schema up to date,
// creating the file if it is missing. With opts.ReadOnly it neither
// creates nor migrates: a missing file, or one without Dateline's schema,
// wraps store.ErrNoDatabase, and a schema older than this binary wraps
// store.ErrSchema. A schema newer than this binary wraps store.ErrSchema.
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
	if err := checkFile(path, opts.ReadOnly); err != nil {
		return nil, err
	}
	if opts.ReadOnly {
		return openReadOnly(ctx, path, opts.Now)
	}
	uri := "file:" + escapePath(path) + "?" + pragmas
	// IMMEDIATE takes the write lock at BEGIN, so two writers wait for each
	// other (busy_timeout) instead of failing midway with SQLITE_BUSY.
	// temp_store=MEMORY keeps the sub-journal of SaveArticles' savepoints
	// (the pages each article changes, to roll back to) in memory rather
	// than in a temporary file: writing it was a fifth of an import's
	// store time.
	db, err := newDB(path, uri+"&_txlock=immediate&_pragma=temp_store(MEMORY)", uri+"&_pragma=query_only(1)", opts.Now)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, explain(path, false, err)
	}
	if err := db.writes.prepare(ctx, db.HotWrites()...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// newDB opens the pools of a database: the writers' one connection and
// the readers'.
func newDB(path, writerURI, readerURI string, now func() time.Time) (*DB, error) {
	writer, err := sql.Open("sqlite", writerURI)
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	reader, err := sql.Open("sqlite", readerURI)
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(4)
	db := &DB{path: path, writer: writer, reader: reader, writes: newStmts(writer), reads: newStmts(reader), now: now}
	db.Store = sqlstore.New(db, now)
	return db, nil
}

// openReadOnly opens an existing database to read it; see Open.
func openReadOnly(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	uri := "file:" + escapePath(path) + "?" + readOnlyPragmas
	db, err := newDB(path, uri, uri, now)
	if err != nil {
		return nil, err
	}
	err = db.checkSchema(ctx)
	if isAccessError(err) {
		// Reading a WAL database takes its -shm file, which SQLite cannot
		// make in a directory the process may not write. immutable=1 reads
		// the file without it, trusting that nobody writes meanwhile: a
		// writer would have made the -shm file, and the first try worked.
		db.Close()
		if db, err = newDB(path, uri+"&immutable=1", uri+"&immutable=1", now); err != nil {
			return nil, err
		}
		err = db.checkSchema(ctx)
	}
	if err != nil {
		db.Close()
		return nil, explain(path, true, err)
	}
	return db, nil
}

// Ready checks that the file answers a read and holds this binary's
// schema; see store.Store.
func (db *DB) Ready(ctx context.Context) error { return db.checkSchema(ctx) }

// QuickCheck runs SQLite's quick_check over the whole file: nil, or an
// error naming the first damage found (ErrDamaged). A file copied while
// it was written, or put back beside an older -wal file, opens without a
// word and fails later, on the page that is damaged.
func (db *DB) QuickCheck(ctx context.Context) error {
	rows, err := db.reader.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return fmt.Errorf("check %s: %w", absolute(db.path), err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check %s: %w", absolute(db.path), err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		if strings.Contains(err.Error(), "malformed") {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, absolute(db.path), err)
		}
		return fmt.Errorf("check %s: %w", absolute(db.path), err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrDamaged, absolute(db.path), strings.Join(problems, "; "))
	}
	return nil
}

// SnapshotTo writes a consistent copy of the database to path, a file
// that must not exist, while other connections go on writing (VACUUM INTO
// reads one snapshot of the file). Copying the file itself is not safe:
// writes under way and the -wal file's pages are missed.
func (db *DB) SnapshotTo(ctx context.Context, path string) error {
	// A connection of its own: the readers' may not write (query_only,
	// which VACUUM INTO counts as writing), and holding the writers' one
	// would hold every write for as long as the copy takes; in WAL mode
	// this one's read holds none.
	conn, err := sql.Open("sqlite", "file:"+escapePath(db.path)+"?"+pragmas)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		if full := diskFull(path, err); full != "" {
			return fmt.Errorf("snapshot %s into %s: %s", absolute(db.path), path, full)
		}
		return fmt.Errorf("snapshot %s into %s: %w", absolute(db.path), path, err)
	}
	return nil
}

// ErrDamaged is wrapped by QuickCheck's error for a damaged file.
var ErrDamaged = errors.New("the database file is damaged (restore it from a backup)")

// Pool adds up the writer's and the readers' connections; see
// store.Store.
func (db *DB) Pool() store.PoolStats {
	w, r := db.writer.Stats(), db.reader.Stats()
	return store.PoolStats{
		Max: w.MaxOpenConnections + r.MaxOpenConnections, Open: w.OpenConnections + r.OpenConnections, InUse: w.InUse + r.InUse,
		Waits: w.WaitCount + r.WaitCount, Waited: w.WaitDuration + r.WaitDuration,
	}
}

// checkSchema refuses a database without Dateline's schema or with
// another version of it than this binary's; see sqlstore.CheckSchema.
func (db *DB) checkSchema(ctx context.Context) error {
	return sqlstore.CheckSchema(ctx, db.Reader(), migrationFiles,
		`SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`, absolute(db.path))
}

// checkFile refuses, with the cause the operating system gives, a path
// SQLite could not use: one in a missing directory, a directory, a file
// that is not a database, and for a read-only store a missing file.
func checkFile(path string, readOnly bool) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	fi, err = os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && readOnly:
		return fmt.Errorf("%w: %s does not exist", store.ErrNoDatabase, absolute(path))
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.IsDir():
		return fmt.Errorf("%s is a directory", path)
	}
	return checkHeader(path)
}

// absolute is path made absolute where it can be, for messages: a
// relative path says little about where a command looked.
func absolute(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkHeader refuses an existing non-empty file that is not an SQLite
// database. SQLite itself would quietly turn a short file of any kind into
// a new database, losing what it held.
func checkHeader(path string) error {
	f, err := os.Open(path)
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

// SQLite's primary result codes for a file it could not open or write.
const (
	sqliteReadOnly = 8
	sqliteCantOpen = 14
)

// isAccessError reports whether err is SQLite failing to open or write a
// file: "unable to open database file", "attempt to write a readonly
// database", which name neither the file nor the cause.
func isAccessError(err error) bool {
	var se *sqlitedriver.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff // the primary code, without the extended part
	return code == sqliteReadOnly || code == sqliteCantOpen
}

// explain turns the driver's terse errors about a bad file into words that
// name the file and the problem. For a file SQLite could not open (or, for
// a writable store, write), it asks the operating system what SQLite was
// refused: the database, its -wal or -shm file (SQLite keeps them beside
// it), or the directory, where a writer creates those.
func explain(path string, readOnly bool, err error) error {
	if strings.Contains(err.Error(), "file is not a database") {
		return fmt.Errorf("not an SQLite database: %w", err)
	}
	if full := diskFull(path, err); full != "" {
		return fmt.Errorf("%s (SQLite: %w)", full, err)
	}
	if !isAccessError(err) {
		return err
	}
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	for _, file := range []string{path, path + "-wal", path + "-shm"} {
		f, ferr := os.OpenFile(file, flag, 0)
		if ferr == nil {
			f.Close()
		} else if !errors.Is(ferr, fs.ErrNotExist) {
			return fmt.Errorf("%w (SQLite: %w)", ferr, err)
		}
	}
	if readOnly {
		return err
	}
	dir := filepath.Dir(path)
	f, ferr := os.CreateTemp(dir, ".dateline-probe-*")
	if ferr != nil {
		var pe *fs.PathError
		if errors.As(ferr, &pe) {
			ferr = pe.Err
		}
		return fmt.Errorf("cannot create files in directory %s (%v), where SQLite keeps the database's -wal and -shm files (SQLite: %w)", absolute(dir), ferr, err)
	}
	f.Close()
	os.Remove(f.Name())
	return err
}

// diskFull names a full disk as the cause of err, SQLite's "disk full"
// or an I/O error (it cannot grow the -shm file and says only "disk I/O
// error (4874)"), when the file system holding path has no room left; ""
// otherwise.
func diskFull(path string, err error) string {
	var se *sqlitedriver.Error
	if !errors.As(err, &se) {
		return ""
	}
	if code := se.Code() & 0xff; code != sqliteIOErr && code != sqliteFull {
		return ""
	}
	dir := filepath.Dir(absolute(path))
	free, ok := freeSpace(dir)
	if !ok || free >= lowDiskSpace {
		return ""
	}
	return fmt.Sprintf("the disk holding %s is full (%d kB free): free some space there, then start again", dir, free>>10)
}

// lowDiskSpace is the free space below which an I/O error is put down to
// a full disk: SQLite grows its files a page or a 32 kB -shm block at a
// time.
const lowDiskSpace = 1 << 20

// SQLite's primary result codes for an I/O error and a full disk.
const (
	sqliteIOErr = 10
	sqliteFull  = 13
)

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
	return sqlstore.Migrate(ctx, db, migrationFiles, "")
}

// WatchChanges polls PRAGMA data_version on a connection of its own, which
// moves whenever another connection (of this process or another) commits;
// see store.Store.
func (db *DB) WatchChanges(ctx context.Context, changed func(table string)) error {
	conn, err := db.reader.Conn(ctx)
	if err != nil {
		return fmt.Errorf("watch changes: %w", err)
	}
	defer conn.Close()
	version := func() (v int64, err error) {
		err = conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
		return v, err
	}
	last, err := version()
	if err != nil {
		return fmt.Errorf("watch changes: %w", err)
	}
	tick := time.NewTicker(store.ChangePoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		v, err := version()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("watch changes: %w", err)
		}
		if v != last {
			last = v
			changed("")
		}
	}
}
