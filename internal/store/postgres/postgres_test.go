package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
	"github.com/datelinehq/dateline/internal/store/storetest"
	"github.com/datelinehq/dateline/internal/testclock"
)

// testOptions open the stores of the tests that are not about time.
var testOptions = store.Options{Now: testclock.New(testclock.Date(2026, 11, 27, 12, 0)).Now}

func openTest(t *testing.T, dsn string, opts store.Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	pgtest.URL(t) // skip once here rather than in every subtest
	storetest.Run(t, func(t *testing.T, opts store.Options) store.Store {
		return openTest(t, pgtest.NewSchemaDSN(t), opts)
	})
}

func TestSchemaDSNSetsSearchPath(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchemaDSN(t)
	db := openTest(t, dsn, testOptions)
	defer db.Close()
	var schema string
	if err := db.pool.QueryRow(context.Background(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(schema, "dateline_test_") || !strings.Contains(dsn, "search_path="+schema) {
		t.Fatalf("current_schema() = %q with DSN %s; want the test's own schema", schema, dsn)
	}
	var n int
	err := db.pool.QueryRow(context.Background(), `
		SELECT COUNT(*)
		FROM information_schema.tables
		WHERE table_schema = $1 AND table_name IN ('articles', 'schema_version')`, schema).Scan(&n)
	if err != nil || n != 2 {
		t.Fatalf("tables in schema %s = %d, %v; want articles and schema_version there", schema, n, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.NewSchemaDSN(t)
	db := openTest(t, dsn, testOptions)
	if _, err := db.pool.Exec(ctx, `INSERT INTO schema_version (version) VALUES (9999)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(ctx, dsn, testOptions)
	if err == nil {
		db.Close()
	}
	if !errors.Is(err, store.ErrSchema) || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("Open of a newer schema: err = %v, want ErrSchema naming version 9999", err)
	}
}

// Issue: read-only commands created the schema in whatever database they
// were pointed at.
func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	readOnly := store.Options{Now: testOptions.Now, ReadOnly: true}
	dsn := pgtest.NewSchemaDSN(t)
	_, err := Open(ctx, dsn, readOnly)
	if !errors.Is(err, store.ErrNoDatabase) {
		t.Fatalf("Open(empty database, ReadOnly) = %v, want ErrNoDatabase", err)
	}
	db := openTest(t, dsn, testOptions) // creates the schema
	latest := migrationCount(t)
	if _, err := db.pool.Exec(ctx, `DELETE FROM schema_version WHERE version = $1`, latest); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, dsn, readOnly)
	if !errors.Is(err, store.ErrSchema) || !strings.Contains(err.Error(), "dateline migrate") {
		t.Errorf("Open(older schema, ReadOnly) = %v, want ErrSchema saying to migrate", err)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, latest); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateArticle(ctx, &article.Article{Slug: "kept", Title: "Kept", Body: "Text.", Status: article.Draft}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro := openTest(t, dsn, readOnly)
	defer ro.Close()
	if _, err := ro.Article(ctx, "kept"); err != nil {
		t.Errorf("Article on a read-only store: %v", err)
	}
	if err := ro.DeleteArticle(ctx, "kept"); err == nil {
		t.Error("DeleteArticle on a read-only store succeeded")
	}
}

func TestOpenTwiceKeepsData(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchemaDSN(t)
	for range 2 {
		db := openTest(t, dsn, testOptions)
		var n int
		if err := db.pool.QueryRow(context.Background(), `SELECT COUNT(*) FROM schema_version`).Scan(&n); err != nil || n != migrationCount(t) {
			t.Fatalf("schema_version rows = %d, %v; want each of the %d migrations once", n, err, migrationCount(t))
		}
		db.Close()
	}
}

// Several nodes starting at once on an empty database must apply each
// migration once, not fail on tables another one created.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchemaDSN(t)
	var wg sync.WaitGroup
	dbs := make([]*DB, 4)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = Open(context.Background(), dsn, testOptions) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	var n int
	if err := dbs[0].pool.QueryRow(context.Background(), `SELECT COUNT(*) FROM schema_version`).Scan(&n); err != nil || n != migrationCount(t) {
		t.Fatalf("schema_version rows = %d, %v; want each of the %d migrations once", n, err, migrationCount(t))
	}
}

// Creates racing for one slug all pass the check for a free slug before
// any commits; the unique index then refuses all but one, and that must
// read as ErrConflict too.
func TestRacingCreatesConflict(t *testing.T) {
	t.Parallel()
	db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
	defer db.Close()
	for _, test := range []struct {
		name   string
		change func(a *article.Article, i int)
	}{
		{"same slug", func(a *article.Article, i int) { a.Slug, a.Source = "racing", fmt.Sprintf("/racing-%d.md", i) }},
		{"same source", func(a *article.Article, i int) { a.Slug, a.Source = fmt.Sprintf("racing-%d", i), "/racing.md" }},
	} {
		t.Run(test.name, func(t *testing.T) {
			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					a := &article.Article{Title: "Racing", Body: "Body.", Status: article.Draft}
					test.change(a, i)
					errs[i] = db.CreateArticle(context.Background(), a)
				})
			}
			wg.Wait()
			created := 0
			for _, err := range errs {
				switch {
				case err == nil:
					created++
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("racing CreateArticle: err = %v, want nil or ErrConflict", err)
				}
			}
			if created != 1 {
				t.Errorf("%d racing creates succeeded, want 1", created)
			}
		})
	}
}

// The constraint names that Conflict maps must be those in the migration.
func TestUniqueViolationIsConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
	defer db.Close()
	a := &article.Article{Slug: "taken", Title: "Taken", Body: "Body.", Status: article.Draft, Source: "/taken.md"}
	if err := db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct{ name, slug, source, want string }{
		{"slug", "taken", "/free.md", `slug "taken"`},
		{"source", "free", "/taken.md", `source "/taken.md"`},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := db.pool.Exec(ctx, `
				INSERT INTO articles (slug, title, body, status, created_at, updated_at, source)
				VALUES ($1, 'x', 'x', 'draft', now(), now(), $2)`, test.slug, test.source)
			err = db.Conflict(err, &article.Article{Slug: test.slug, Source: test.source})
			if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), test.want) {
				t.Errorf("duplicate %s: err = %v, want ErrConflict naming %s", test.name, err, test.want)
			}
		})
	}
}

// Every connection of the pool compresses bodies with LZ4, when the server
// has it.
func TestConnectionsUseLZ4(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
	defer db.Close()
	var has bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))`).Scan(&has); err != nil {
		t.Fatal(err)
	}
	if !has {
		t.Skip("the server has no LZ4 compression")
	}
	var got string
	if err := db.pool.QueryRow(ctx, `SHOW default_toast_compression`).Scan(&got); err != nil || got != "lz4" {
		t.Errorf("default_toast_compression = %q, %v; want lz4", got, err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name, dsn, want string
	}{
		{"nothing listening", "postgres://postgres@127.0.0.1:1/test?sslmode=disable", "127.0.0.1:1"},
		{"password not shown", "postgres://u:sekret@127.0.0.1:1/x?sslmode=disable", "127.0.0.1:1"},
		{"password not shown in a DSN pgx cannot parse", "postgres://u:sekret@127.0.0.1:notaport/x", "cannot parse"},
		{"password not shown in a key=value DSN", "host=127.0.0.1 port=1 user=u password=sekret dbname=x sslmode=disable", "127.0.0.1:1"},
		{"password parameter not shown", "postgres://u@127.0.0.1:1/x?password=sekret&sslmode=disable", "127.0.0.1:1"},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			db, err := Open(context.Background(), test.dsn, testOptions)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", test.dsn)
			}
			if elapsed := time.Since(start); elapsed > defaultConnectTimeout+time.Second {
				t.Errorf("Open took %v, want a quick failure", elapsed)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "open postgres: ") || !strings.Contains(msg, test.want) {
				t.Errorf("Open error = %q, want it to start with %q and contain %q", msg, "open postgres: ", test.want)
			}
			if strings.Contains(msg, "sekret") {
				t.Errorf("Open error shows the password: %q", msg)
			}
		})
	}
}

// A server that accepts connections but never answers must not hold Open
// for long: connect_timeout bounds it, and without one the default does.
func TestOpenSilentServerTimesOut(t *testing.T) {
	t.Parallel()
	addr := listenSilently(t)
	for _, test := range []struct {
		name  string
		param string
		max   time.Duration
	}{
		{"connect_timeout given", "&connect_timeout=1", 1500 * time.Millisecond},
		{"default", "", defaultConnectTimeout + 500*time.Millisecond},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			if test.max > 2*time.Second && testing.Short() {
				t.Skip("waits for the default connect timeout")
			}
			start := time.Now()
			db, err := Open(context.Background(), "postgres://postgres@"+addr+"/test?sslmode=disable"+test.param, testOptions)
			if err == nil {
				db.Close()
				t.Fatal("Open of a silent server succeeded")
			}
			if elapsed := time.Since(start); elapsed > test.max {
				t.Errorf("Open of a silent server failed after %v, want within %v: %v", elapsed, test.max, err)
			}
			if !strings.Contains(err.Error(), "timeout") {
				t.Errorf("Open error = %q, want it to say it timed out", err)
			}
		})
	}
}

// listenSilently accepts connections on a loopback port and never answers
// them. It returns the address.
func listenSilently(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
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

// The check every comment post makes must be able to use its index (one
// lookup, not a read of every comment from the address). The planner
// scans a test's tiny table instead, so sequential scans are turned off
// for the question.
func TestHasApprovedCommentUsesItsIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
	defer db.Close()
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, `EXPLAIN `+sqlstore.HasApprovedCommentSQL, "ana@example.org", "Ana")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(plan, "\n"); !strings.Contains(text, "Index Only Scan using comments_approved_commenter") {
		t.Errorf("query plan:\n%s\nwant an index-only scan of comments_approved_commenter", text)
	}
}

// Issue 17: search reindex repairs tsvectors written while the trigger
// that keeps them was off (by hand, or by a restore without triggers).
func TestReindexSearchRepairsVectors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
	defer db.Close()
	a := &article.Article{Kind: article.Story, Slug: "ferry-strike", Title: "Ferry crews strike", Body: "The crews of the lighthouse ferry walked out.",
		Status: article.Published, PublishedAt: testclock.Date(2026, 11, 1, 9, 0), Tags: []article.Tag{{Name: "Transport", Slug: "transport"}}}
	if err := db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`ALTER TABLE articles DISABLE TRIGGER article_search_vector`,
		`UPDATE articles SET search = ''::tsvector, search_tags = ''`,
		`ALTER TABLE articles ENABLE TRIGGER article_search_vector`,
	} {
		if _, err := db.pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := db.SearchArticles(ctx, search.Parse("lighthouse"), search.Options{}); err != nil || res.Total != 0 {
		t.Fatalf("before the repair: %d found, %v; want none (the vectors are empty)", res.Total, err)
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

// The articles' change notice and journal entry go out for a write of any
// column a page shows, and not for the view counts each node adds every few
// seconds (nor the search columns PostgreSQL computes): a column added to
// the table without being added to the triggers would change pages that no
// node hears of.
func TestArticlesNoticeNamesEveryColumn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
	defer db.Close()
	quiet := map[string]bool{"view_count": true, "search": true, "search_head": true}
	rows, err := db.pool.Query(ctx, `
		SELECT t.tgname, a.attname, a.attnum = ANY(t.tgattr::int2[])
		FROM pg_trigger t
		JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE t.tgname IN ('articles_notify', 'articles_journal') AND t.tgrelid = 'articles'::regclass`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var trigger, column string
		var named bool
		if err := rows.Scan(&trigger, &column, &named); err != nil {
			t.Fatal(err)
		}
		n++
		if named == quiet[column] {
			t.Errorf("articles.%s: named by the trigger %s %v; want %v", column, trigger, named, !quiet[column])
		}
	}
	if err := rows.Err(); err != nil || n < 2 {
		t.Fatalf("read the trigger's columns: %d, %v", n, err)
	}
}
