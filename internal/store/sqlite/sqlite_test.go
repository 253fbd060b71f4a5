package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
	"github.com/datelinehq/dateline/internal/store/storetest"
	"github.com/datelinehq/dateline/internal/testclock"
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

// newTestDB makes a database at path with one article, and closes it.
func newTestDB(t *testing.T, path string) {
	t.Helper()
	db, err := Open(context.Background(), path, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &article.Article{Slug: "kept", Title: "Kept", Body: "Text.", Status: article.Draft, Author: &article.Author{Name: "Ines", Slug: "ines"}}
	if err := db.CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

// readOnly is testOptions for a store opened ReadOnly.
var readOnly = store.Options{Now: testOptions.Now, ReadOnly: true}

// Issue: read-only commands created dateline.db wherever they ran.
func TestOpenReadOnlyCreatesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "dateline.db")
	_, err := Open(ctx, missing, readOnly)
	if !errors.Is(err, store.ErrNoDatabase) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(missing, ReadOnly) = %v, want ErrNoDatabase naming %s", err, missing)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Open(missing, ReadOnly) left %d files in the directory, want none", len(entries))
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, empty, readOnly); !errors.Is(err, store.ErrNoDatabase) {
		t.Errorf("Open(empty file, ReadOnly) = %v, want ErrNoDatabase", err)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("Open(empty file, ReadOnly) changed it: %v, %v", fi, err)
	}
}

func TestOpenReadOnlyReadsAndNeverWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	newTestDB(t, path)
	db, err := Open(ctx, path, readOnly)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Article(ctx, "kept"); err != nil {
		t.Errorf("Article on a read-only store: %v", err)
	}
	if err := db.DeleteArticle(ctx, "kept"); err == nil {
		t.Error("DeleteArticle on a read-only store succeeded")
	}
	db.Close()
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("a read-only store left %d files beside the database, want none", len(entries)-1)
	}
}

func TestOpenReadOnlyRefusesOlderSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	newTestDB(t, path)
	db, err := Open(ctx, path, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.Exec(`DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path, readOnly)
	if !errors.Is(err, store.ErrSchema) || !strings.Contains(err.Error(), "dateline migrate") {
		t.Errorf("Open(older schema, ReadOnly) = %v, want ErrSchema saying to migrate", err)
	}
}

// A database whose -shm file SQLite cannot make (here a directory is in
// its way, which stops root too) is read as one in a directory nobody may
// write would be.
func TestOpenReadOnlyWithoutSharedMemoryFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	newTestDB(t, path)
	if err := os.Mkdir(path+"-shm", 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path, readOnly)
	if err != nil {
		t.Fatalf("Open(ReadOnly) without a -shm file: %v", err)
	}
	defer db.Close()
	if _, err := db.Article(ctx, "kept"); err != nil {
		t.Errorf("Article: %v", err)
	}
}

// Issue: permission errors read "create schema_version: unable to open
// database file (14)", naming neither the file nor the cause.
func TestOpenNamesFileSQLiteCannotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dateline.db")
	newTestDB(t, path)
	if err := os.Mkdir(path+"-wal", 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, testOptions)
	if err == nil || !strings.Contains(err.Error(), path+"-wal") || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Open with a directory for its -wal file = %v, want an error naming %s-wal and that it is a directory", err, path)
	}
}

// The permission half of the tests above: root may write anything, so it
// runs for other users only.
func TestOpenReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions; run the tests as another user to check a read-only directory")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "site")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "dateline.db")
	newTestDB(t, path)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })

	db, err := Open(ctx, path, readOnly)
	if err != nil {
		t.Fatalf("Open(ReadOnly) of a read-only file in a read-only directory: %v", err)
	}
	if _, err := db.Article(ctx, "kept"); err != nil {
		t.Errorf("Article: %v", err)
	}
	db.Close()

	_, err = Open(ctx, path, testOptions)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Open of a read-only file = %v, want an error naming %s and permission denied", err, path)
	}
	_, err = Open(ctx, filepath.Join(dir, "new.db"), testOptions)
	if err == nil || !strings.Contains(err.Error(), "directory "+dir) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Open of a new file in a read-only directory = %v, want an error naming the directory and permission denied", err)
	}
}

// migrationCount is how many migrations this backend embeds.
func migrationCount(t *testing.T) int {
	t.Helper()
	ms, err := sqlstore.Migrations(migrationFiles)
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
	plan := queryPlan(t, db, sqlstore.HasApprovedCommentSQL, "ana@example.org", "Ana")
	const want = "SEARCH comments USING COVERING INDEX comments_approved_commenter (email=? AND author=?)"
	if !slices.Contains(plan, want) {
		t.Errorf("query plan:\n%s\nwant the line %q", strings.Join(plan, "\n"), want)
	}
}

// queryPlan is the plan SQLite makes for query, one line a step.
func queryPlan(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.reader.Query(`EXPLAIN QUERY PLAN `+sqliteQuery(query), args...)
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
	return plan
}

// The versions of every public story, which each export after an edit
// asks for (the link memo, the linking index), are read from the
// listing's index alone: reading each story's row read a page of its body.
func TestStoryVersionsReadTheIndexAlone(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	query, args := db.ArticleVersionsSQL(store.ArticleQuery{PublicAt: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), Kind: article.Story})
	plan := queryPlan(t, db, query, args...)
	if len(plan) != 1 || !strings.Contains(plan[0], "USING COVERING INDEX articles_listing") {
		t.Errorf("query plan:\n%s\nwant one step, a search of the covering index articles_listing", strings.Join(plan, "\n"))
	}
}

// Issue 17: search reindex repairs an index emptied or damaged outside
// the store (by hand, or a file copied without its FTS tables' pages).
func TestReindexSearchRepairsIndex(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "dateline.db"), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &article.Article{Kind: article.Story, Slug: "ferry-strike", Title: "Ferry crews strike", Body: "The crews of the lighthouse ferry walked out.",
		Status: article.Published, PublishedAt: testclock.Date(2026, 11, 1, 9, 0), Tags: []article.Tag{{Name: "Transport", Slug: "transport"}}}
	if err := db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO article_search (article_search) VALUES ('delete-all')`); err != nil {
		t.Fatal(err)
	}
	if res, err := db.SearchArticles(ctx, search.Parse("lighthouse"), search.Options{}); err != nil || res.Total != 0 {
		t.Fatalf("before the repair: %d found, %v; want none (the index is empty)", res.Total, err)
	}
	if err := db.ReindexSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"lighthouse", "transport"} {
		if res, err := db.SearchArticles(ctx, search.Parse(q), search.Options{}); err != nil || res.Total != 1 {
			t.Errorf("after ReindexSearch, %q: %d found, %v; want the article", q, res.Total, err)
		}
	}
}
