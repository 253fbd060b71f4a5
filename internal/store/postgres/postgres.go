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
// Ready checks that the server answers and the database holds this
// binary's schema; see store.Store.
func (db *DB) Ready(ctx context.Context) error { return db.checkSchema(ctx) }

// Pool describes pgxpool's connections; see store.Store.
func (db *DB) Pool() store.PoolStats {
	st := db.pool.Stat()
	return store.PoolStats{
		Max: int(st.MaxConns()), Open: int(st.TotalConns()), InUse: int(st.AcquiredConns()),
		Waits: st.EmptyAcquireCount(), Waited: st.EmptyAcquireWaitTime(),
	}
}

// without Dateline's schema or with another version of it than this
// binary's; see sqlstore.CheckSchema.
func (db *DB) checkSchema(ctx context.Context) error {
	return sqlstore.CheckSchema(ctx, db.Reader(), migrationFiles, `SELECT to_regclass('schema_version') IS NOT NULL`, "the database")
}

// migrate applies the migrations this database lacks; an advisory lock
// keeps nodes starting together from racing.
func (db *DB) migrate(ctx context.Context) error {
	return sqlstore.Migrate(ctx, db, migrationFiles, fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d)`, migrateLockKey))
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

// changesChannel is the channel of the notices migration 0025's triggers
// send.
const changesChannel = "dateline_changes"

// WatchChanges listens on a connection of its own to the notices every
// write readers see sends; see store.Store.
func (db *DB) WatchChanges(ctx context.Context, changed func(table string)) error {
	pooled, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("watch changes: %w", err)
	}
	// The connection listens until it is closed: it never goes back to
	// the pool.
	conn := pooled.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return fmt.Errorf("watch changes: %w", err)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("watch changes: %w", err)
		}
		changed(n.Payload)
	}
}
