package sqlite

import (
	"context"
	"errors"
	"github.com/datelinehq/dateline/internal/testclock"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/storetest"
)

// testOptions open the stores of the tests that are not about time.
var testOptions = store.Options{Now: testclock.New(testclock.Date(2026, 11, 27, 12, 0)).Now}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts store.Options) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), opts)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	db, err := Open(ctx, path, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.Exec(`INSERT INTO schema_version (version) VALUES (9999)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path, testOptions)
	if !errors.Is(err, store.ErrSchema) || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("Open of a newer schema: err = %v, want ErrSchema naming version 9999", err)
	}
}

func TestOpenTwiceKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	for range 2 {
		db, err := Open(ctx, path, testOptions)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.reader.QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&n); err != nil || n != migrationCount(t) {
			t.Fatalf("schema_version rows = %d, %v; want each of the %d migrations once", n, err, migrationCount(t))
		}
		db.Close()
	}
}

func TestOpenBadPaths(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database at all\n", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	tiny := filepath.Join(dir, "tiny.txt")
	if err := os.WriteFile(tiny, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct{ name, path, want string }{
		{"short file", tiny, "is not an SQLite database"},
		{"missing directory", filepath.Join(dir, "nope", "x.db"), "does not exist"},
		{"a directory", dir, "is a directory"},
		{"not a database", notDB, "is not an SQLite database"},
		{"empty", "", "no file path"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := Open(ctx, test.path, testOptions)
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Fatalf("Open(%q) error = %v, want it to contain %q", test.path, err, test.want)
			}
		})
	}
	if data, _ := os.ReadFile(notDB); !strings.HasPrefix(string(data), "not a database") {
		t.Error("Open changed a file that is not a database")
	}
	if data, _ := os.ReadFile(tiny); string(data) != "x" {
		t.Errorf("Open changed a short file that is not a database: %q", data)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, empty, testOptions)
	if err != nil {
		t.Fatalf("Open of an empty file: %v, want a new database", err)
	}
	db.Close()
}

// migrationCount is how many migrations this backend embeds.
func migrationCount(t *testing.T) int {
	t.Helper()
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.Migrations(sub)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

// The check every comment post makes must be one index lookup, not a read
// of every comment from the address (5.7 ms a post for a commenter with
// 1,500 comments in a soak test).
func TestHasApprovedCommentUsesItsIndex(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.reader.Query(`EXPLAIN QUERY PLAN `+hasApprovedCommentSQL, "ana@example.org", "Ana")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	const want = "SEARCH comments USING COVERING INDEX comments_approved_commenter (email=? AND author=?)"
	if !slices.Contains(plan, want) {
		t.Errorf("query plan:\n%s\nwant the line %q", strings.Join(plan, "\n"), want)
	}
}
