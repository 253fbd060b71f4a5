// Package devstore opens empty stores for the developer commands that
// measure Dateline on generated or labelled data: a SQLite file in a
// temporary directory, or a schema of its own in a PostgreSQL database,
// removed again when the measurement is done.
package devstore

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/jackc/pgx/v5"
)

// DB is an open store and where it lives.
type DB struct {
	store.Store
	// Path is the SQLite file, URL the PostgreSQL database with its
	// schema as search_path: one of them is set.
	Path, URL string
	remove    func()
}

// Close closes the store and removes what it held.
func (db *DB) Close() error {
	err := db.Store.Close()
	db.remove()
	return err
}

// Open opens an empty store of the backend ("sqlite", or "postgres" in
// a new schema of the database at pgURL) whose clock reads now; name
// names its file or schema.
func Open(ctx context.Context, backend, pgURL, name string, now time.Time) (*DB, error) {
	return open(ctx, backend, pgURL, name, now, false)
}

// Keep opens the store of the backend named name (a SQLite file in the
// temporary directory, or a schema of the PostgreSQL database at pgURL),
// made empty the first time and kept by Close, so that a measurement can
// run again on what an earlier run stored.
func Keep(ctx context.Context, backend, pgURL, name string, now time.Time) (*DB, error) {
	return open(ctx, backend, pgURL, name, now, true)
}

func open(ctx context.Context, backend, pgURL, name string, now time.Time, keep bool) (*DB, error) {
	opts := store.Options{Now: func() time.Time { return now }}
	switch backend {
	case "sqlite":
		if keep {
			path := filepath.Join(os.TempDir(), name+".db")
			s, err := sqlite.Open(ctx, path, opts)
			if err != nil {
				return nil, err
			}
			return &DB{Store: s, Path: path, remove: func() {}}, nil
		}
		dir, err := os.MkdirTemp("", name)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, name+".db")
		s, err := sqlite.Open(ctx, path, opts)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		return &DB{Store: s, Path: path, remove: func() { os.RemoveAll(dir) }}, nil
	case "postgres":
	default:
		return nil, fmt.Errorf("devstore: unknown backend %q (sqlite or postgres)", backend)
	}
	if pgURL == "" {
		return nil, fmt.Errorf("devstore: no PostgreSQL database given")
	}
	schema := fmt.Sprintf("%s_%d", name, os.Getpid())
	create := `CREATE SCHEMA ` + schema
	if keep {
		schema = name
		create = `CREATE SCHEMA IF NOT EXISTS ` + schema
	}
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, create); err != nil {
		return nil, err
	}
	drop := func() {
		if keep {
			return
		}
		if c, err := pgx.Connect(context.Background(), pgURL); err == nil {
			c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			c.Close(context.Background())
		}
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		drop()
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String(), opts)
	if err != nil {
		drop()
		return nil, err
	}
	return &DB{Store: s, URL: u.String(), remove: drop}, nil
}
