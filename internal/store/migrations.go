package store

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered, forward-only schema change of a backend.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations reads the migrations in the root of fsys, named
// NNNN_description.sql, in order. Numbering must start at 1 and have no
// gaps or repeats, so that every database walks the same path.
func Migrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and an underscore", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d (numbers start at 1, without gaps or repeats)", m.Name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations found")
	}
	return ms, nil
}

// CheckVersion refuses a database whose schema is newer than the newest
// migration this binary has: it was written by a newer Dateline, and
// running an older one against it could lose data.
func CheckVersion(current int, ms []Migration) error {
	if latest := ms[len(ms)-1].Version; current > latest {
		return fmt.Errorf("%w: database schema is at version %d but this dateline knows only up to %d; run a newer dateline", ErrSchema, current, latest)
	}
	return nil
}

// CheckCurrent refuses, for a store that does not migrate (one opened
// ReadOnly), a schema other than this binary's newest: an older one must
// be migrated first, a newer one is refused as by CheckVersion. Both wrap
// ErrSchema.
func CheckCurrent(current int, ms []Migration) error {
	if err := CheckVersion(current, ms); err != nil {
		return err
	}
	if latest := ms[len(ms)-1].Version; current < latest {
		return fmt.Errorf("%w: database schema is at version %d but this dateline needs %d; migrate it first (dateline migrate)", ErrSchema, current, latest)
	}
	return nil
}
