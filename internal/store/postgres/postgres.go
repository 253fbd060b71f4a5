// Package postgres is Dateline's PostgreSQL store, for sites that run
// several Dateline nodes against one database or already run PostgreSQL.
// It talks to the server through a pgx connection pool with pgx's own API
// (not database/sql), keeps its schema as embedded migrations in
// PostgreSQL's dialect, and behaves exactly like the sqlite store, as the
// storetest suite checks.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is a Dateline store in a PostgreSQL database.
type DB struct {
	// Store holds the methods the backends share; those DB defines
	// itself are PostgreSQL's own.
	*sqlstore.Store
	pool *pgxpool.Pool
	now  func() time.Time
}

var _ store.Store = (*DB)(nil)

// defaultConnectTimeout bounds connecting when the DSN sets no
// connect_timeout, so that an unreachable server fails Open quickly instead
// of after pgxpool's two minutes.
const defaultConnectTimeout = 5 * time.Second

// migrateLockKey is the pg_advisory_xact_lock key that serialises
// migrations, so that Dateline nodes starting together do not race: the
// bytes of "Dateline".
const migrateLockKey int64 = 0x446174656c696e65

// Open connects to the PostgreSQL database at dsn, a postgres:// URL or a
// key=value string as libpq takes, checks that the server answers and
// brings the schema up to date. A schema newer than this binary wraps
// store.ErrSchema. With opts.ReadOnly it migrates nothing and every
// transaction is read-only: a database without Dateline's schema wraps
// store.ErrNoDatabase, and one older than this binary store.ErrSchema.
// Error texts never contain the DSN's password.
func Open(ctx context.Context, dsn string, opts store.Options) (_ *DB, err error) {
	secrets := dsnPasswords(dsn)
	defer func() {
		if err != nil {
			err = &redactedError{err: fmt.Errorf("open postgres: %w", err), secrets: secrets}
		}
	}()
	if err := opts.Check(); err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.ConnConfig.Password != "" {
		secrets = append(secrets, cfg.ConnConfig.Password)
	}
	// connect_timeout=0 means "no limit" to libpq but parses the same as a
	// missing setting, so it gets the default too.
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	if opts.ReadOnly {
		// The server, not only this code, then refuses every write.
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	cfg.AfterConnect = useLZ4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// The pool connects lazily; ping so that a wrong address or password
	// fails here and not at the first request.
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	db := &DB{pool: pool, now: opts.Now}
	db.Store = sqlstore.New(db, opts.Now)
	migrate := db.migrate
	if opts.ReadOnly {
		migrate = db.checkSchema
	}
	if err := migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// useLZ4 makes a connection compress long values (article bodies) with LZ4
// where the server has it (PostgreSQL 14 and later, built with lz4). The
// default, pglz, took two fifths of the server's time to store an imported
// article; LZ4 takes a sixth of that, for bodies somewhat larger on disk
// (half again as large in the import benchmark). Values already stored
// stay as they are: both read the same.
func useLZ4(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `
		SELECT set_config('default_toast_compression', 'lz4', false)
		FROM pg_settings
		WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`)
	return err
}

// Close closes the connection pool, waiting for connections in use to be
// returned.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// checkSchema refuses, for a store that does not migrate, a database
// without Dateline's schema (wrapping store.ErrNoDatabase) or with another
// version of it than this binary's newest (store.ErrSchema).
func (db *DB) checkSchema(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return fmt.Errorf("look for schema_version: %w", err)
	}
	if !exists {
		return fmt.Errorf("%w: the database holds no Dateline tables", store.ErrNoDatabase)
	}
	var current int
	if err := db.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	return store.CheckCurrent(current, ms)
}

func migrations() ([]store.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return store.Migrations(sub)
}

// migrate applies the migrations this database lacks, each in its own
// transaction. Every transaction first takes an advisory lock and reads the
// schema version afresh, so nodes migrating at once apply each migration
// exactly once.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for {
		var done bool
		err := db.transact(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLockKey); err != nil {
				return fmt.Errorf("lock for migrating: %w", err)
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
				return fmt.Errorf("create schema_version: %w", err)
			}
			var current int
			if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
				return fmt.Errorf("read schema version: %w", err)
			}
			if err := store.CheckVersion(current, ms); err != nil {
				return err
			}
			if current == len(ms) {
				done = true
				return nil
			}
			m := ms[current]
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, m.Version); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			return nil
		})
		if err != nil || done {
			return err
		}
	}
}

// transact runs fn in a transaction, committing when fn returns nil and
// rolling back otherwise.
func (db *DB) transact(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// redactedError masks passwords in the text of err while keeping it
// matchable with errors.Is and errors.As. pgx already leaves passwords out
// of its errors; this makes sure of it for every error Open returns.
type redactedError struct {
	err     error
	secrets []string
}

func (e *redactedError) Error() string {
	s := e.err.Error()
	for _, secret := range e.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "xxxxx")
		}
	}
	return s
}

func (e *redactedError) Unwrap() error { return e.err }

// dsnPasswords returns the passwords a postgres:// URL carries, in the user
// info or as a query parameter, even when pgx cannot parse the rest of it.
func dsnPasswords(dsn string) []string {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil
	}
	var ps []string
	if p, ok := u.User.Password(); ok {
		// Also as written in the URL, where it may be percent-encoded.
		ps = append(ps, p, strings.TrimPrefix(url.UserPassword("", p).String(), ":"))
	}
	q := u.Query()
	for _, key := range []string{"password", "sslpassword"} {
		ps = append(ps, q[key]...)
	}
	return ps
}

// dbTime is how a time is stored: in UTC, cut to the microseconds that a
// TIMESTAMPTZ keeps (PostgreSQL would round instead).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = dbTime(t)
	return &t
}
