package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
)

// idsMigration is the migration that makes every table keep the highest
// ID it gave (0007 did articles).
const idsMigration = 11

// Issue 12: authors, tags and audit events cannot be deleted through the
// store, but follow the rule that an ID is never given again, for the day
// they can: deleted here by hand, the newest one's ID is not given again.
// (The conformance suite checks the entities the store deletes.)
func TestIDsNotGivenAgainAfterDeleteByHand(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "dateline.db"), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Each author and tag comes with an article of its own; deleting the
	// article leaves them unused.
	createArticle := func(t *testing.T, name string, by *article.Author, tags []article.Tag) *article.Article {
		t.Helper()
		a := &article.Article{Slug: "about-" + name, Title: name, Body: "Text.", Status: article.Draft, Author: by, Tags: tags}
		if err := db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, test := range []struct {
		table  string
		create func(t *testing.T, name string) int64
	}{
		{"authors", func(t *testing.T, name string) int64 {
			a := createArticle(t, name, &article.Author{Slug: name, Name: name}, nil)
			return a.Author.ID
		}},
		{"tags", func(t *testing.T, name string) int64 {
			createArticle(t, name, nil, []article.Tag{{Slug: name, Name: name}})
			tag, err := db.Tag(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return tag.ID
		}},
		{"audit_log", func(t *testing.T, name string) int64 {
			e := &user.AuditEvent{At: testOptions.Now(), Action: "test", Target: name}
			if err := db.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e.ID
		}},
	} {
		t.Run(test.table, func(t *testing.T) {
			first := test.create(t, test.table+"-first")
			second := test.create(t, test.table+"-second")
			if _, err := db.writer.Exec(`DELETE FROM articles WHERE slug LIKE 'about-%'`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.writer.Exec(`DELETE FROM `+test.table+` WHERE id = ?`, second); err != nil {
				t.Fatal(err)
			}
			if third := test.create(t, test.table+"-third"); third <= max(first, second) {
				t.Errorf("after the newest row (ID %d) was deleted, the next got ID %d; want more than %d", second, third, second)
			}
		})
	}
}

// Issue 12: migrating a database with rows to idsMigration keeps every
// row, ID and relation, and starts each table's mark at the highest ID it
// holds, so that the next rows get new IDs.
func TestIDsMigrationKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	old := openAtVersion(t, path, idsMigration-1)
	// IDs with gaps, as deletes leave them, and rows that refer to them.
	for _, q := range []string{
		`INSERT INTO authors (id, slug, name) VALUES (1, 'ines', 'Ines Okafor'), (4, 'ben', 'Ben Adeyemi')`,
		`INSERT INTO tags (id, slug, name) VALUES (2, 'floods', 'Floods'), (7, 'rivers', 'Rivers')`,
		`INSERT INTO users (id, email, email_key, name, role, created_at, disabled)
		 VALUES (1, 'Ada@example.com', 'ada@example.com', 'Ada', 'administrator', '2026-11-01T09:00:00.000000Z', 0),
		        (6, 'ben@example.com', 'ben@example.com', 'Ben', 'author', '2026-11-02T09:00:00.000000Z', 1)`,
		`INSERT INTO articles (id, slug, title, body, status, published_at, created_at, updated_at, author_id, owner_id)
		 VALUES (3, 'barrier', 'Barrier', 'Text.', 'published', '2026-11-03T09:00:00.000000Z', '2026-11-03T09:00:00.000000Z', '2026-11-03T09:00:00.000000Z', 1, 6),
		        (9, 'rivers', 'Rivers', 'Text.', 'draft', NULL, '2026-11-04T09:00:00.000000Z', '2026-11-04T09:00:00.000000Z', 4, NULL)`,
		`INSERT INTO article_tags (article_id, tag_id, position) VALUES (3, 2, 0), (3, 7, 1), (9, 7, 0)`,
		`INSERT INTO article_requested_links (article_id, position, title) VALUES (3, 0, 'Rivers')`,
		`INSERT INTO revisions (article_id, number, title, slug, description, body, status, tags, requested_links, saved_at, note)
		 VALUES (3, 1, 'Barrier', 'barrier', '', 'Old text.', 'draft', '["floods"]', '[]', '2026-11-03T08:00:00.000000Z', 'first')`,
		`INSERT INTO article_views_daily (article_id, day, views) VALUES (3, '2026-11-03', 12)`,
		`INSERT INTO comments (id, article_id, parent_id, author, email, body, body_hash, state, created_at)
		 VALUES (2, 3, NULL, 'Ana', 'ana@example.org', 'Root.', 'h1', 'approved', '2026-11-03T10:00:00.000000Z'),
		        (5, 3, 2, 'Cy', 'cy@example.org', 'Reply.', 'h2', 'pending', '2026-11-03T11:00:00.000000Z')`,
		`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (x'0102', 6, '2026-11-03T09:00:00.000000Z', '2026-12-03T09:00:00.000000Z')`,
		`INSERT INTO audit_log (id, at, actor, action, target) VALUES (1, '2026-11-03T09:00:00.000000Z', 'ada@example.com', 'published', 'barrier'),
		        (8, '2026-11-03T09:05:00.000000Z', 'ada@example.com', 'role changed', 'ben@example.com')`,
		`INSERT INTO redirects (from_path, to_path, created_at) VALUES ('/old/', '/barrier/', '2026-11-03T09:00:00.000000Z')`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	before := dumpTables(t, old)
	// This migration alone: later ones add tables and columns of their own.
	ms, err := sqlstore.Migrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(ms[idsMigration-1].SQL); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO schema_version (version) VALUES (?)`, idsMigration); err != nil {
		t.Fatal(err)
	}
	after := dumpTables(t, old)
	old.Close()

	db, err := Open(ctx, path, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name := range after {
		if _, ok := before[name]; !ok {
			if !strings.HasSuffix(name, "_id_high") {
				t.Errorf("the migration added table %s", name)
			}
			delete(after, name) // the new marks
		}
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("rows changed by migrating (-before +after):\n%s", diff)
	}
	if problems := dumpQuery(t, db.writer, `PRAGMA foreign_key_check`); len(problems) > 0 {
		t.Errorf("foreign key check after migrating: %v", problems)
	}

	// New rows get IDs above every ID the tables held.
	a := &article.Article{Slug: "new", Title: "New", Body: "Text.", Status: article.Draft,
		Author: &article.Author{Slug: "dee", Name: "Dee"}, Tags: []article.Tag{{Slug: "lakes", Name: "Lakes"}}}
	if err := db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	lakes, err := db.Tag(ctx, "lakes")
	if err != nil {
		t.Fatal(err)
	}
	c := &comment.Comment{ArticleID: 3, ParentID: 2, Author: "Eve", Email: "eve@example.org", Body: "Another reply.", State: comment.Approved}
	if err := db.CreateComment(ctx, c, "nonce", testOptions.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	u := &user.User{Email: "cy@example.com", Name: "Cy", Role: user.Editor}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	e := &user.AuditEvent{At: testOptions.Now(), Action: "test"}
	if err := db.AddAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	for _, got := range []struct {
		what    string
		id, max int64
	}{
		{"article", a.ID, 9},
		{"author", a.Author.ID, 4},
		{"tag", lakes.ID, 7},
		{"comment", c.ID, 5},
		{"user", u.ID, 6},
		{"audit event", e.ID, 8},
	} {
		if got.id != got.max+1 {
			t.Errorf("the first %s after migrating got ID %d, want %d (one above the highest before)", got.what, got.id, got.max+1)
		}
	}
	// The relations read back through the store.
	if got, err := db.Comment(ctx, 5); err != nil || got.ParentID != 2 || got.ArticleSlug != "barrier" {
		t.Errorf("Comment(5) = %+v, %v; want the reply to 2 on barrier", got, err)
	}
	if got, err := db.Article(ctx, "barrier"); err != nil || got.OwnerID != 6 || got.Author.Slug != "ines" || len(got.Tags) != 2 {
		t.Errorf("Article(barrier) = %+v, %v; want owner 6, author ines, two tags", got, err)
	}
}

// openAtVersion creates a database at path with the migrations up to and
// including version, as an older Dateline left it, and returns its
// connection (one, with the store's pragmas).
func openAtVersion(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	ms, err := sqlstore.Migrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+escapePath(path)+"?"+pragmas)
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	if _, err := raw.Exec(`CREATE TABLE schema_version (version INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:version] {
		if _, err := raw.Exec(m.SQL); err != nil {
			t.Fatalf("migration %s: %v", m.Name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_version (version) VALUES (?)`, m.Version); err != nil {
			t.Fatal(err)
		}
	}
	return raw
}

// dumpTables returns every row of every table but schema_version, each
// as text, sorted, by table name.
func dumpTables(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	tables := make(map[string][]string)
	for _, name := range names {
		tables[name] = dumpQuery(t, db, `SELECT * FROM `+name)
	}
	return tables
}

// dumpQuery returns the rows of a query, each as text (its columns by
// name, so that a column moved within its table reads the same), sorted.
func dumpQuery(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = vals[i]
		}
		out = append(out, fmt.Sprintf("%#v", row)) // fmt sorts a map's keys
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
