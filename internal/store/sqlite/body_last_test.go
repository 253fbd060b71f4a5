package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/google/go-cmp/cmp"
)

// bodyLastMigration is the migration that makes the body the articles
// table's last column.
const bodyLastMigration = 29

// Moving the body to the end of the articles table keeps every row of
// every table as it was (the search index's own tables included: nothing
// is indexed again, and the journal records no change), and the triggers
// it makes again work as before: a new, edited or deleted body is found
// or no longer found by search, an edit is journalled, and an article's
// comments still go with it.
func TestBodyLastMigrationKeepsArticles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dateline.db")
	old := openAtVersion(t, path, bodyLastMigration-1)
	// A body longer than a page, as most are: its row spills into
	// overflow pages.
	long := strings.Repeat("The ferry timetable changes in spring. ", 400) + "Lighthouse keepers vote."
	for _, q := range []string{
		`INSERT INTO authors (id, slug, name) VALUES (1, 'ines', 'Ines Okafor')`,
		`INSERT INTO tags (id, slug, name) VALUES (2, 'ferries', 'Ferries')`,
		`INSERT INTO articles (id, slug, title, description, body, status, published_at, created_at, updated_at, author_id, word_count, version, updates, search_tags)
		 VALUES (3, 'timetable', 'Timetable', 'Spring sailings.', '` + long + `', 'published', '2026-11-03T09:00:00.000000Z', '2026-11-03T09:00:00.000000Z', '2026-11-03T09:00:00.000000Z', 1, 2000, 4, '[{"at":"2026-11-04T09:00:00Z","text":"Corrected."}]', 'Ferries'),
		        (9, 'draft', 'Draft', '', 'Short text.', 'draft', NULL, '2026-11-04T09:00:00.000000Z', '2026-11-04T09:00:00.000000Z', NULL, 2, 1, '[]', '')`,
		`INSERT INTO article_tags (article_id, tag_id, position) VALUES (3, 2, 0)`,
		`INSERT INTO comments (id, article_id, author, email, body, body_hash, state, created_at)
		 VALUES (5, 3, 'Ana', 'ana@example.org', 'Good to know.', 'h1', 'approved', '2026-11-03T10:00:00.000000Z')`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	before := dumpTables(t, old)
	old.Close()

	db, err := Open(ctx, path, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	after := dumpTables(t, db.writer)
	for name := range after {
		if _, ok := before[name]; !ok {
			delete(after, name) // a later migration's
		}
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("rows changed by migrating (-before +after):\n%s", diff)
	}
	if cols := dumpQuery(t, db.writer, `SELECT name FROM pragma_table_info('articles') ORDER BY cid DESC LIMIT 1`); !slices.Equal(cols, []string{`map[string]interface {}{"name":"body"}`}) {
		t.Errorf("the last column of articles is %v, want body", cols)
	}
	search := func(word string) []string {
		return dumpQuery(t, db.writer, `SELECT rowid FROM article_search WHERE article_search MATCH '`+word+`'`)
	}
	if got := search("lighthouse"); len(got) != 1 {
		t.Errorf("searching the body for lighthouse after migrating found %v, want article 3", got)
	}

	journal := len(dumpQuery(t, db.writer, `SELECT * FROM change_journal WHERE tbl = 'articles' AND row_id = 3`))
	a, err := db.Article(ctx, "timetable")
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != long || len(a.Updates) != 1 || a.Author == nil || a.Author.Slug != "ines" {
		t.Fatalf("Article(timetable) after migrating: body of %d bytes, %d updates, author %+v; want the stored ones", len(a.Body), len(a.Updates), a.Author)
	}
	a.Body = "The harbour master confirmed the winter sailings."
	if err := db.UpdateArticle(ctx, a, "rewritten"); err != nil {
		t.Fatal(err)
	}
	if got := search("lighthouse"); len(got) != 0 {
		t.Errorf("the old body is still found after an edit: %v", got)
	}
	if got := search("harbour"); len(got) != 1 {
		t.Errorf("searching the edited body for harbour found %v, want article 3", got)
	}
	if got := len(dumpQuery(t, db.writer, `SELECT * FROM change_journal WHERE tbl = 'articles' AND row_id = 3`)); got <= journal {
		t.Errorf("the edit of article 3 was not journalled: %d rows before, %d after", journal, got)
	}

	if err := db.DeleteArticle(ctx, "timetable"); err != nil {
		t.Fatal(err)
	}
	if got := search("harbour"); len(got) != 0 {
		t.Errorf("a deleted article is still found: %v", got)
	}
	added := &article.Article{Slug: "pier", Title: "Pier", Body: "The pier reopens to anglers.", Status: article.Draft}
	if err := db.CreateArticle(ctx, added); err != nil {
		t.Fatal(err)
	}
	if got := search("anglers"); len(got) != 1 {
		t.Errorf("searching a new article's body for anglers found %v, want it", got)
	}
	if got := dumpQuery(t, db.writer, `SELECT id FROM comments`); len(got) != 0 {
		t.Errorf("comments left after their article was deleted: %v", got)
	}
	if problems := dumpQuery(t, db.writer, `PRAGMA foreign_key_check`); len(problems) > 0 {
		t.Errorf("foreign key check after migrating: %v", problems)
	}
}
