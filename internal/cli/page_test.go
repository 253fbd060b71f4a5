package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/testclock"
)

const budget = "what-the-2027-budget-means-for-selvik-households"

// planAt is when the examples' "ferry-plan" is scheduled: months after the
// tests' clock, moved with it.
var planAt = testclock.Date(2027, 3, 1, 8, 0)

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// examples imports the three example articles into a fresh database on
// the backend, with a draft ("ferry-draft") and a story scheduled for
// after the tests' clock ("ferry-plan"), and returns the database.
func examples(t *testing.T, dsn func(t *testing.T) string) string {
	t.Helper()
	db := dsn(t)
	dir := t.TempDir()
	mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md", "../../examples/articles/night-tram-trial.md", "../../examples/articles/budget-2027.md",
		writeFile(t, dir, "draft.md", "---\ntitle: Ferry Draft\nslug: ferry-draft\ndraft: true\nauthor: Jonas Ek\n---\nNot ready.\n"),
		writeFile(t, dir, "plan.md", "---\ntitle: Ferry Plan\nslug: ferry-plan\ndate: "+planAt.Format(time.RFC3339)+"\n---\nLater.\n"))
	return db
}

// kindOf is an article's kind as 'article show --json' prints it.
func kindOf(t *testing.T, db, slug string) string {
	t.Helper()
	var got struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "article", "show", slug, "--json", "--db", db)), &got); err != nil {
		t.Fatal(err)
	}
	return got.Kind
}

func TestArticleSetKind(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			mustRun(t, "section", "add", "Local", "--db", db)
			mustRun(t, "article", "set-section", budget, "local", "--db", db)

			out := mustRun(t, "article", "set-kind", budget, "about", "--db", db)
			if !strings.HasPrefix(out, budget+" is an About page now: outside the listings, feeds and sections\n") ||
				!strings.Contains(out, "dateline comment close "+budget) {
				t.Errorf("set-kind about printed %q", out)
			}
			if got := kindOf(t, db, budget); got != "about" {
				t.Errorf("kind after set-kind about: %q", got)
			}
			if got := sectionOf(t, db, budget); got != "" {
				t.Errorf("a page is in section %q, want none", got)
			}
			if show := mustRun(t, "article", "show", budget, "--db", db); !strings.Contains(show, "Kind:         about (a page of the site)\n") {
				t.Errorf("article show of a page:\n%.400s", show)
			}
			if revs := mustRun(t, "article", "revisions", budget, "--db", db); !strings.Contains(revs, "kind") {
				t.Errorf("set-kind kept no revision:\n%s", revs)
			}
			if out := mustRun(t, "article", "set-kind", budget, "About", "--db", db); out != budget+" is an About page already; nothing changed\n" {
				t.Errorf("set-kind to the same kind printed %q", out)
			}
			// Back to a story: into the first section again.
			if out := mustRun(t, "article", "set-kind", budget, "article", "--db", db); out != budget+" is a story now: it appears in the listings and feeds, in section local\n" {
				t.Errorf("set-kind article printed %q", out)
			}

			wantFailure(t, exitUsage, `unknown kind "post" (want article, page, about or contact)`, "article", "set-kind", budget, "post", "--db", db)
			wantFailure(t, exitUsage, "name the article's slug and its kind", "article", "set-kind", budget, "--db", db)
			wantFailure(t, exitFail, `article "nope" not found`, "article", "set-kind", "nope", "page", "--db", db)
		})
	}
}

func TestArticleNote(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			const text = "Corrected 27 November: water charges rise by 4 percent, not 5."
			if out := mustRun(t, "article", "note", budget, text, "--db", db); out != budget+": note 1 added, dated "+clock.Now().Format("2006-01-02 15:04")+" UTC\n" {
				t.Errorf("article note printed %q", out)
			}
			var got struct {
				Updates []struct {
					At   string `json:"at"`
					Text string `json:"text"`
				} `json:"updates"`
			}
			if err := json.Unmarshal([]byte(mustRun(t, "article", "show", budget, "--json", "--db", db)), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Updates) != 1 || got.Updates[0].Text != text || got.Updates[0].At != clock.Now().Format(time.RFC3339) {
				t.Errorf("updates after the note: %+v", got.Updates)
			}
			if show := mustRun(t, "article", "show", budget, "--db", db); !strings.Contains(show, "Updates:\n  "+clock.Now().Format("2006-01-02 15:04")+"  "+text+"\n") {
				t.Errorf("article show does not list the note:\n%s", show)
			}
			if out := mustRun(t, "article", "note", budget, "Updated: the council approved the budget.", "--db", db); !strings.Contains(out, "note 2 added") {
				t.Errorf("a second note printed %q", out)
			}

			wantFailure(t, exitFail, "only a published article takes update notes", "article", "note", "ferry-draft", "Too early.", "--db", db)
			wantFailure(t, exitFail, "only a published article takes update notes", "article", "note", "ferry-plan", "Too early.", "--db", db)
			wantFailure(t, exitFail, `article "nope" not found`, "article", "note", "nope", "Text.", "--db", db)
			wantFailure(t, exitUsage, "the note is empty", "article", "note", budget, "  ", "--db", db)
			wantFailure(t, exitFail, "update note 3 is 1001 characters, more than 1000", "article", "note", budget, strings.Repeat("x", 1001), "--db", db)
		})
	}
}

func TestArticleSetAuthor(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			if out := mustRun(t, "article", "set-author", budget, "mara-lindqvist", "--db", db); out != budget+": by Mara Lindqvist (mara-lindqvist)\n" {
				t.Errorf("set-author printed %q", out)
			}
			if got := show(t, db, budget); got.Author == nil || got.Author.Slug != "mara-lindqvist" || got.Author.Name != "Mara Lindqvist" {
				t.Errorf("author after set-author: %+v", got.Author)
			}
			// Crediting never renames, nor drops the bio.
			var authors []authorProfileJSON
			if err := json.Unmarshal([]byte(mustRun(t, "author", "list", "--json", "--db", db)), &authors); err != nil {
				t.Fatal(err)
			}
			for _, au := range authors {
				if au.Slug == "mara-lindqvist" && (au.Name != "Mara Lindqvist" || au.Bio != "Mara covers trade, shipping and the regional economy.") {
					t.Errorf("after set-author the author is %+v", au)
				}
			}
			if out := mustRun(t, "article", "set-author", budget, "mara-lindqvist", "--db", db); !strings.Contains(out, "already; nothing changed") {
				t.Errorf("set-author to the same author printed %q", out)
			}
			wantFailure(t, exitFail, `no author "nobody"; the authors are jonas-ek, mara-lindqvist`, "article", "set-author", budget, "nobody", "--db", db)
			wantFailure(t, exitFail, `article "nope" not found`, "article", "set-author", "nope", "jonas-ek", "--db", db)
			wantFailure(t, exitUsage, "name the article's slug and the author's slug", "article", "set-author", budget, "--db", db)
		})
	}
}

// Import reads the kind from the front matter, and Jekyll's and Hugo's
// ways of saying "page".
func TestImportPages(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	dir := t.TempDir()
	mustRun(t, "import", "--db", db,
		writeFile(t, dir, "about.md", "---\ntitle: About us\nslug: about\nkind: about\n---\nWho we are.\n"),
		writeFile(t, dir, "jekyll.md", "---\ntitle: Jekyll Page\nslug: jekyll-page\nlayout: page\n---\nText.\n"),
		writeFile(t, dir, "hugo.md", "---\ntitle: Hugo Page\nslug: hugo-page\ntype: page\n---\nText.\n"),
		writeFile(t, dir, "story.md", "---\ntitle: A Story\nslug: a-story\nlayout: post\n---\nText.\n"))
	for slug, want := range map[string]string{"about": "about", "jekyll-page": "page", "hugo-page": "page", "a-story": "article"} {
		if got := kindOf(t, db, slug); got != want {
			t.Errorf("%s imported as kind %q, want %q", slug, got, want)
		}
	}
	out, errOut, code := dateline(t, "import", "--db", db, writeFile(t, dir, "bad.md", "---\ntitle: Bad\nkind: post\n---\nText.\n"))
	if code != exitFail || !strings.Contains(out+errOut, `unknown kind "post"`) {
		t.Errorf("import of an unknown kind: exit %d, %q %q", code, out, errOut)
	}
}
