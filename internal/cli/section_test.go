package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const tram = "selvik-council-approves-night-tram-trial"

// sectionsOf lists the sections as 'section list --json' prints them.
func sectionsOf(t *testing.T, db string) []sectionJSON {
	t.Helper()
	var ss []sectionJSON
	if err := json.Unmarshal([]byte(mustRun(t, "section", "list", "--json", "--db", db)), &ss); err != nil {
		t.Fatal(err)
	}
	return ss
}

// sectionOf is the slug of an article's section as 'article show --json'
// prints it, "" for none.
func sectionOf(t *testing.T, db, slug string) string {
	t.Helper()
	var got struct {
		Section *struct {
			Name string `json:"name"`
			Slug string `json:"slug"`
		} `json:"section"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "article", "show", slug, "--json", "--db", db)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Section == nil {
		return ""
	}
	return got.Section.Slug
}

// wantFailure runs a command that must fail with the exit code and a
// one-line error containing want.
func wantFailure(t *testing.T, code int, want string, args ...string) {
	t.Helper()
	_, errOut, got := dateline(t, args...)
	if got != code || !strings.Contains(errOut, want) {
		t.Errorf("dateline %s: exit %d, stderr %q; want exit %d and %q", strings.Join(args, " "), got, errOut, code, want)
	}
	if got == exitFail && strings.Count(errOut, "\n") != 1 {
		t.Errorf("dateline %s: stderr is not one line: %q", strings.Join(args, " "), errOut)
	}
}

func TestSectionCommands(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md", "../../examples/articles/night-tram-trial.md")
			if _, errOut, code := dateline(t, "section", "list", "--db", db); code != 0 || !strings.Contains(errOut, "no sections yet") {
				t.Errorf("section list of a site without sections: exit %d, stderr %q", code, errOut)
			}

			if out := mustRun(t, "section", "add", "World", "--db", db); out != "added section World, front page /world/\n" {
				t.Errorf("section add printed %q", out)
			}
			mustRun(t, "section", "add", "Local News", "--description", "Selvik and the coast.", "--db", db)
			mustRun(t, "section", "add", "Analysis", "--slug", "opinion", "--db", db)
			want := []sectionJSON{
				{Position: 1, Slug: "world", Name: "World", Path: "/world/"},
				{Position: 2, Slug: "local-news", Name: "Local News", Description: "Selvik and the coast.", Path: "/local-news/"},
				{Position: 3, Slug: "opinion", Name: "Analysis", Path: "/opinion/"},
			}
			if diff := cmp.Diff(want, sectionsOf(t, db)); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}

			// Articles go in a section by slug or by name.
			if out := mustRun(t, "article", "set-section", cranes, "local-news", "--db", db); out != cranes+": section Local News (local-news)\n" {
				t.Errorf("set-section printed %q", out)
			}
			mustRun(t, "article", "set-section", tram, "Local News", "--db", db)
			if out := mustRun(t, "article", "set-section", tram, "local-news", "--db", db); !strings.Contains(out, "already") {
				t.Errorf("set-section to the article's own section printed %q", out)
			}
			if got := sectionOf(t, db, cranes); got != "local-news" {
				t.Errorf("after set-section the article is in %q", got)
			}
			if revs := mustRun(t, "article", "revisions", cranes, "--db", db); !strings.Contains(revs, "section") {
				t.Errorf("set-section kept no revision:\n%s", revs)
			}
			if out := mustRun(t, "article", "show", cranes, "--db", db); !strings.Contains(out, "Section:      Local News (local-news)\n") {
				t.Errorf("article show does not show the section:\n%s", out)
			}
			if out := mustRun(t, "article", "list", "--db", db); !strings.Contains(out, "SECTION") || !strings.Contains(out, "local-news") {
				t.Errorf("article list does not show the section:\n%s", out)
			}
			if list := mustRun(t, "section", "list", "--db", db); !strings.Contains(list, "local-news  Local News  2         Selvik and the coast.") {
				t.Errorf("section list:\n%s", list)
			}

			// Order.
			if out := mustRun(t, "section", "move", "opinion", "up", "--db", db); out != "order: world, opinion, local-news\n" {
				t.Errorf("section move printed %q", out)
			}
			if out := mustRun(t, "section", "move", "world", "up", "--db", db); !strings.HasPrefix(out, "world is first already; nothing changed") {
				t.Errorf("moving the first section up printed %q", out)
			}

			// Rename: the old front page redirects.
			out := mustRun(t, "section", "rename", "world", "--name", "International", "--slug", "international", "--db", db)
			if out != "section international: International, front page /international/\n/world/ → /international/ (readers of the old front page are redirected)\n" {
				t.Errorf("section rename printed %q", out)
			}
			if to := redirectsOf(t, db)["/world/"]; to != "/international/" {
				t.Errorf("/world/ redirects to %q, want /international/", to)
			}
			if out := mustRun(t, "section", "rename", "local-news", "--description", "The city and the coast.", "--db", db); strings.Contains(out, "→") {
				t.Errorf("a rename keeping the slug printed a redirect: %q", out)
			}
			descriptionOf := func(slug string) string {
				for _, se := range sectionsOf(t, db) {
					if se.Slug == slug {
						return se.Description
					}
				}
				t.Fatalf("no section %s", slug)
				return ""
			}
			mustRun(t, "section", "rename", "local-news", "--name", "Local", "--db", db)
			if got := descriptionOf("local-news"); got != "The city and the coast." {
				t.Errorf("a new name changed the description to %q", got)
			}
			mustRun(t, "section", "rename", "local-news", "--description", "", "--db", db)
			if got := descriptionOf("local-news"); got != "" {
				t.Errorf("--description \"\" left the description %q", got)
			}

			// Delete: refused with the count, then with --move-to.
			wantFailure(t, exitFail, "section local-news has 2 articles, so it was not deleted: give --move-to SLUG to move its articles to another section (international, opinion)",
				"section", "delete", "local-news", "--db", db)
			if got := sectionOf(t, db, cranes); got != "local-news" {
				t.Errorf("the refused delete moved the article to %q", got)
			}
			if out := mustRun(t, "section", "delete", "local-news", "--move-to", "opinion", "--db", db); out != "moved 2 articles to opinion and deleted section local-news\n" {
				t.Errorf("section delete --move-to printed %q", out)
			}
			if got := sectionOf(t, db, tram); got != "opinion" {
				t.Errorf("after the delete the article is in %q, want opinion", got)
			}
			if out := mustRun(t, "section", "delete", "international", "--db", db); out != "deleted section international\n" {
				t.Errorf("section delete printed %q", out)
			}
			wantFailure(t, exitFail, "section opinion has 2 articles and is the only section, so it was not deleted: add another with 'dateline section add NAME'",
				"section", "delete", "opinion", "--db", db)
			if diff := cmp.Diff([]sectionJSON{{Position: 1, Slug: "opinion", Name: "Analysis", Articles: 2, Path: "/opinion/"}}, sectionsOf(t, db)); diff != "" {
				t.Errorf("sections at the end (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSectionCommandErrors(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md")
			mustRun(t, "section", "add", "World", "--db", db)
			mustRun(t, "section", "add", "Politics", "--db", db)
			for _, test := range []struct {
				args []string
				code int
				want string
			}{
				// Slugs the site's own addresses or an article have.
				{[]string{"section", "add", "Admin"}, 1, `slug: "admin" is taken by the site's own addresses (/admin/); give the section another slug with --slug`},
				{[]string{"section", "add", "Feeds", "--slug", "feed"}, 1, `"feed" is taken by the site's own addresses`},
				{[]string{"section", "add", "New Harbour Cranes Cut Waiting Times at Port Selvik"}, 1, `an article has the slug "` + cranes + `", at /` + cranes + `/; give the section another slug with --slug`},
				{[]string{"section", "add", "Ports", "--slug", cranes}, 1, `an article has the slug "` + cranes + `"`},
				{[]string{"section", "add", "world"}, 1, `another section has the slug "world"`},
				{[]string{"section", "rename", "politics", "--slug", "world"}, 1, `another section has the slug "world"`},
				{[]string{"section", "rename", "politics", "--slug", "admin"}, 1, `slug: "admin" is taken by the site's own addresses`},
				{[]string{"section", "rename", "politics", "--slug", cranes}, 1, `an article has the slug "` + cranes + `"`},
				// Bad input.
				{[]string{"section", "add"}, 2, "name one section"},
				{[]string{"section", "add", "Local", "News"}, 2, "name one section (quote a name of several words"},
				{[]string{"section", "add", "Ports", "--slug", "Bad Slug"}, 2, "--slug: slug \"Bad Slug\" may hold only lowercase letters"},
				{[]string{"section", "add", "  "}, 1, "name: a section needs a name"},
				{[]string{"section", "add", strings.Repeat("x", 81)}, 1, "name: the name is 81 characters, more than 80"},
				{[]string{"section", "add", "Sport", "--description", strings.Repeat("x", 1001)}, 1, "description: the description is 1001 characters"},
				{[]string{"section", "list", "extra"}, 2, "takes no arguments"},
				{[]string{"section", "rename", "politics"}, 2, "give what to change: --name, --slug or --description"},
				{[]string{"section", "rename", "sport", "--name", "Sports"}, 1, `no section "sport"; the sections are world, politics`},
				{[]string{"section", "move", "world"}, 2, "name the section's slug and up or down"},
				{[]string{"section", "move", "world", "sideways"}, 2, `move world up or down, not "sideways"`},
				{[]string{"section", "move", "sport", "up"}, 1, `no section "sport"`},
				{[]string{"section", "delete"}, 2, "name one section by its slug"},
				{[]string{"section", "delete", "sport"}, 1, `no section "sport"; the sections are world, politics`},
				{[]string{"section", "delete", "world", "--move-to", "world"}, 2, "--move-to names the section being deleted"},
				{[]string{"section", "delete", "world", "--move-to", "sport"}, 1, `--move-to: no section "sport"`},
				{[]string{"article", "set-section", cranes}, 2, "name the article's slug and the section's slug or name"},
				{[]string{"article", "set-section", cranes, "Sport"}, 1, `no section "Sport"; the sections are world, politics; add it with 'dateline section add NAME'`},
				{[]string{"article", "set-section", "no-such-article", "world"}, 1, `article "no-such-article" not found`},
				{[]string{"section", "bogus"}, 2, `unknown command "bogus"`},
			} {
				wantFailure(t, test.code, test.want, append(test.args, "--db", db)...)
			}
			// The refusals changed nothing.
			if diff := cmp.Diff([]sectionJSON{
				{Position: 1, Slug: "world", Name: "World", Path: "/world/"},
				{Position: 2, Slug: "politics", Name: "Politics", Path: "/politics/"},
			}, sectionsOf(t, db)); diff != "" {
				t.Errorf("sections after the refusals (-want +got):\n%s", diff)
			}
			if got := sectionOf(t, db, cranes); got != "" {
				t.Errorf("the article was put in %q", got)
			}
			if _, errOut, code := dateline(t, "section", "--help"); code != 0 || errOut != "" {
				t.Errorf("section --help: exit %d, stderr %q", code, errOut)
			}
		})
	}
}

// TestImportSections: a file's section (or first category) makes the
// section; --section places the files that name none, plain text among
// them; and a re-import leaves an article where an editor moved it.
func TestImportSections(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			dir := t.TempDir()
			files := map[string]string{
				"tolls.txt": "Bridge tolls to double\n\nThe plan is not final.\n",
				"vote.md":   "---\ntitle: Budget vote delayed\nsection: Politics\ncategories: [Council]\n---\nThe vote moved to Thursday.\n",
				"derby.md":  "---\ntitle: Derby ends level\ncategories: [Sport, Football]\ntags: [Selvik FC]\n---\nOne all.\n",
				"ferry.md":  "# Ferry strike ends\n\nBoats sail again from Friday.\n",
			}
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantFailure(t, exitUsage, "--section: the name is 81 characters, more than 80", "import", "--db", db, "--section", strings.Repeat("x", 81), dir)

			out := mustRun(t, "import", "--db", db, "--section", "Local News", dir)
			if !strings.Contains(out, "4 imported, 0 updated, 0 unchanged, 0 failed") {
				t.Errorf("import summary %q", out)
			}
			got := map[string]string{}
			for _, slug := range []string{"bridge-tolls-to-double", "budget-vote-delayed", "derby-ends-level", "ferry-strike-ends"} {
				got[slug] = sectionOf(t, db, slug)
			}
			if diff := cmp.Diff(map[string]string{
				"bridge-tolls-to-double": "local-news",
				"budget-vote-delayed":    "politics",
				"derby-ends-level":       "sport",
				"ferry-strike-ends":      "local-news",
			}, got); diff != "" {
				t.Errorf("sections of the imported articles (-want +got):\n%s", diff)
			}
			var slugs []string
			for _, se := range sectionsOf(t, db) {
				slugs = append(slugs, se.Slug)
			}
			// Made in the order of the files, by path.
			if diff := cmp.Diff([]string{"sport", "local-news", "politics"}, slugs); diff != "" {
				t.Errorf("sections made by the import (-want +got):\n%s", diff)
			}
			derby := show(t, db, "derby-ends-level")
			var tags []string
			for _, tag := range derby.Tags {
				tags = append(tags, tag.Name)
			}
			if diff := cmp.Diff([]string{"Selvik FC", "Football"}, tags); diff != "" {
				t.Errorf("tags of a file with categories (-want +got):\n%s", diff)
			}

			// An editor moves the text article; its file changes and is
			// imported again, with and without --section.
			mustRun(t, "article", "set-section", "bridge-tolls-to-double", "politics", "--db", db)
			if err := os.WriteFile(filepath.Join(dir, "tolls.txt"), []byte("Bridge tolls to double\n\nThe plan is final.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if out := mustRun(t, "import", "--db", db, "--section", "Local News", dir); !strings.Contains(out, "0 imported, 1 updated, 3 unchanged") {
				t.Errorf("re-import summary %q", out)
			}
			if got := sectionOf(t, db, "bridge-tolls-to-double"); got != "politics" {
				t.Errorf("re-imported, the article the editor moved is in %q, want politics", got)
			}

			// A section the site's addresses keep fails the files that
			// would go there, alone, and stores nothing for them.
			if err := os.WriteFile(filepath.Join(dir, "admin.md"), []byte("---\ntitle: Office hours\nsection: Admin\n---\nOpen from nine.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, errOut, code := dateline(t, "import", "--db", db, dir); code != exitFail || !strings.Contains(errOut, `admin.md: section "Admin"`) || !strings.Contains(errOut, "taken by the site's own addresses") {
				t.Errorf("import of a file naming section Admin: exit %d, stderr %q", code, errOut)
			}
			if n := len(sectionsOf(t, db)); n != 3 {
				t.Errorf("%d sections after the failed file, want 3", n)
			}
		})
	}
}
