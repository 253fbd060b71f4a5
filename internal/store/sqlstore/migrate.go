package sqlstore

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/datelinehq/dateline/internal/store"
)

// Migrations reads a backend's migrations from the folder migrations of
// files.
func Migrations(files fs.FS) ([]store.Migration, error) {
	sub, err := fs.Sub(files, "migrations")
	if err != nil {
		return nil, err
	}
	return store.Migrations(sub)
}

// Migrate brings db's schema up to date with its migrations (in
// files, see Migrations). Each migration the
// database lacks runs in a transaction of its own, which first runs lock
// (a statement that holds off other nodes migrating, or "") and reads the
// schema version afresh, so that nodes starting together apply each
// migration once. A schema newer than this binary's wraps store.ErrSchema.
func Migrate(ctx context.Context, db Backend, files fs.FS, lock string) error {
	ms, err := Migrations(files)
	if err != nil {
		return err
	}
	for {
		var done bool
		err := db.Transact(ctx, func(tx Conn) error {
			if lock != "" {
				if _, err := tx.Exec(ctx, lock); err != nil {
					return fmt.Errorf("lock for migrating: %w", err)
				}
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
				return fmt.Errorf("create schema_version: %w", err)
			}
			current, err := readVersion(ctx, tx)
			if err != nil {
				return err
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

// CheckSchema refuses, for a store that does not migrate, a database
// without Dateline's schema (wrapping store.ErrNoDatabase, naming the
// database as what) or with another version of it than this binary's
// newest (store.ErrSchema). exists is the query that says whether the
// database has the schema_version table. It changes nothing.
func CheckSchema(ctx context.Context, c Conn, files fs.FS, exists, what string) error {
	ms, err := Migrations(files)
	if err != nil {
		return err
	}
	var found bool
	if err := c.QueryRow(ctx, exists).Scan(&found); err != nil {
		return fmt.Errorf("look for schema_version: %w", err)
	}
	if !found {
		return fmt.Errorf("%w: %s holds no Dateline tables", store.ErrNoDatabase, what)
	}
	current, err := readVersion(ctx, c)
	if err != nil {
		return err
	}
	return store.CheckCurrent(current, ms)
}

func readVersion(ctx context.Context, c Conn) (int, error) {
	var current int
	if err := c.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return current, nil
}
