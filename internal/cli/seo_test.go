package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type seoCheckResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

type seoResult struct {
	Slug           string           `json:"slug"`
	Title          string           `json:"title"`
	FocusKeyphrase string           `json:"focus_keyphrase"`
	Score          *int             `json:"score"`
	Checks         []seoCheckResult `json:"checks"`
}

func (r seoResult) status(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func seoCheck(t *testing.T, args ...string) []seoResult {
	t.Helper()
	out := mustRun(t, append([]string{"seo", "check", "--json"}, args...)...)
	var got []seoResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("seo check --json printed invalid JSON: %v\n%s", err, out)
	}
	for _, r := range got {
		if r.Slug == "" || r.Title == "" || r.Score == nil || *r.Score < 0 || *r.Score > 100 || len(r.Checks) == 0 {
			t.Errorf("report lacks a field or has a score out of 0–100: %+v", r)
		}
		for _, c := range r.Checks {
			if c.ID == "" || c.Name == "" || c.Reason == "" || (c.Status != "ok" && c.Status != "improve" && c.Status != "problem") {
				t.Errorf("%s: malformed check %+v", r.Slug, c)
			}
		}
	}
	return got
}

const referenceSlug = "pakistan-signals-possible-cross-border-military-action-against-ttp-after-failed-peace-talks"

func TestSEOCheckReferenceArticle(t *testing.T) {
	t.Parallel()
	fixture := sharedFixture(t, "reference-article.txt")
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, fixture)

	got := seoCheck(t, referenceSlug, "--db", db)
	if len(got) != 1 {
		t.Fatalf("seo check SLUG gave %d reports, want 1", len(got))
	}
	r := got[0]
	if r.Slug != referenceSlug || !strings.HasPrefix(r.Title, "Pakistan Signals") {
		t.Errorf("report is for %q (%q)", r.Slug, r.Title)
	}
	for id, want := range map[string]string{
		"keyphrase":          "improve",
		"title-length":       "improve",
		"description-length": "improve",
		"single-h1":          "ok",
		"heading-levels":     "ok",
		"internal-links":     "improve",
		"outbound-links":     "improve",
		"image-alt":          "ok",
		"text-length":        "ok",
	} {
		if got := r.status(id); got != want {
			t.Errorf("%s: status %q, want %q", id, got, want)
		}
	}

	text := mustRun(t, "seo", "check", referenceSlug, "--db", db)
	t.Logf("seo check %s:\n%s", referenceSlug, text)
	for _, want := range []string{
		r.Title + "\n",
		referenceSlug + "  score ",
		"improve  Title length",
		"the title has 91 characters",
		"ok       Single H1",
		"Flesch reading ease",
		// The command line's advice is a command (Issue 14).
		`set the search phrase the article should be found by with 'dateline seo keyphrase ` + referenceSlug + ` "PHRASE"'`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	if lines := strings.Count(text, "\n"); lines != 2+len(r.Checks) {
		t.Errorf("text output has %d lines, want 2 and one per check (%d)", lines, len(r.Checks))
	}

	// With a keyphrase, its checks replace the reminder.
	out := mustRun(t, "seo", "keyphrase", referenceSlug, "Cross-border military action", "--db", db)
	if !strings.Contains(out, `"Cross-border military action"`) {
		t.Errorf("seo keyphrase printed %q", out)
	}
	r = seoCheck(t, referenceSlug, "--db", db)[0]
	if r.FocusKeyphrase != "Cross-border military action" {
		t.Errorf("focus_keyphrase = %q", r.FocusKeyphrase)
	}
	for id, want := range map[string]string{
		"keyphrase":             "",
		"keyphrase-title":       "ok",
		"keyphrase-description": "improve",
		"keyphrase-intro":       "improve",
		"keyphrase-subheading":  "improve",
		"keyphrase-slug":        "ok",
		"keyphrase-density":     "improve",
	} {
		if got := r.status(id); got != want {
			t.Errorf("with a keyphrase: %s: status %q, want %q", id, got, want)
		}
	}
	if show := show(t, db, referenceSlug); show.Version != 2 {
		t.Errorf("after setting the keyphrase the article is at version %d, want 2", show.Version)
	}
	revs := mustRun(t, "article", "revisions", referenceSlug, "--db", db)
	if !strings.Contains(revs, "focus keyphrase") {
		t.Errorf("the revision kept is not labelled focus keyphrase:\n%s", revs)
	}

	// Setting it again changes nothing; "" removes it.
	if out := mustRun(t, "seo", "keyphrase", referenceSlug, " Cross-border  military action", "--db", db); !strings.Contains(out, "nothing changed") {
		t.Errorf("setting the same keyphrase again printed %q", out)
	}
	mustRun(t, "seo", "keyphrase", referenceSlug, "", "--db", db)
	if r := seoCheck(t, referenceSlug, "--db", db)[0]; r.status("keyphrase") != "improve" || r.FocusKeyphrase != "" {
		t.Errorf("after removing the keyphrase: %+v", r)
	}

	// Restoring the revision kept by the removal brings the keyphrase back:
	// a revision keeps every field an edit can change.
	mustRun(t, "article", "restore", referenceSlug, "2", "--db", db)
	if r := seoCheck(t, referenceSlug, "--db", db)[0]; r.FocusKeyphrase != "Cross-border military action" {
		t.Errorf("article restore left the keyphrase %q, want the one revision 2 had", r.FocusKeyphrase)
	}
}

func TestSEOCheckEveryArticle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	write := func(name, content string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	older := write("older.md", "---\ntitle: Ferry timetable changes for the winter season\ndate: 2024-01-02T10:00:00Z\n---\n\nThe ferry runs less often. See [the timetable](https://ferry.example.net/) and [our guide](/guides/ferry/).\n\n![](ferry.jpg)\n")
	newer := write("newer.md", "---\ntitle: Harbour bridge reopens after repairs\ndate: 2024-03-04T10:00:00Z\nfocus_keyphrase: harbour bridge\n---\n\n# A second H1\n\nThe harbour bridge opens again. Read [more](https://news.example.org/bridge-history/).\n")
	mustRun(t, "import", "--db", db, older, newer)

	got := seoCheck(t, "--db", db)
	if len(got) != 2 || got[0].Slug != "harbour-bridge-reopens-after-repairs" || got[1].Slug != "ferry-timetable-changes-for-the-winter-season" {
		t.Fatalf("seo check gave %+v, want the two articles newest first", got)
	}
	newest, oldest := got[0], got[1]
	for _, test := range []struct {
		r        seoResult
		id, want string
	}{
		{newest, "keyphrase-title", "ok"},
		{newest, "keyphrase-intro", "ok"},
		{newest, "single-h1", "problem"},
		{newest, "description-length", "problem"},
		{newest, "internal-links", "improve"}, // no base URL: the absolute link is outbound
		{newest, "outbound-links", "ok"},
		{newest, "text-length", "problem"},
		{oldest, "keyphrase", "improve"},
		{oldest, "internal-links", "ok"},
		{oldest, "outbound-links", "ok"},
		{oldest, "image-alt", "problem"},
	} {
		if got := test.r.status(test.id); got != test.want {
			t.Errorf("%s: %s: status %q, want %q", test.r.Slug, test.id, got, test.want)
		}
	}

	// The site's own address makes its absolute links internal.
	got = seoCheck(t, "harbour-bridge-reopens-after-repairs", "--db", db, "--base-url", "https://news.example.org")
	if got[0].status("internal-links") != "ok" || got[0].status("outbound-links") != "improve" {
		t.Errorf("with --base-url: internal %q, outbound %q; want ok, improve", got[0].status("internal-links"), got[0].status("outbound-links"))
	}

	text := mustRun(t, "seo", "check", "--db", db)
	first, second := strings.Index(text, "Harbour bridge reopens"), strings.Index(text, "Ferry timetable")
	if first < 0 || second < first || !strings.Contains(text, "\n\nFerry timetable") {
		t.Errorf("text output does not list both articles newest first, apart:\n%s", text)
	}
}

func TestSEOCheckEmpty(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "migrate", "--db", db)
	if out := mustRun(t, "seo", "check", "--json", "--db", db); strings.TrimSpace(out) != "[]" {
		t.Errorf("seo check --json on an empty site printed %q, want []", out)
	}
	out, errOut, code := dateline(t, "seo", "check", "--db", db)
	if code != 0 || out != "" || !strings.Contains(errOut, "no articles yet") {
		t.Errorf("seo check on an empty site: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestSEOErrors(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "migrate", "--db", db) // creates the database before the parallel runs
	for _, test := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"check unknown slug", []string{"seo", "check", "x"}, 1, `dateline seo check: article "x" not found`},
		{"keyphrase unknown slug", []string{"seo", "keyphrase", "x", "a phrase"}, 1, `dateline seo keyphrase: article "x" not found`},
		{"check two slugs", []string{"seo", "check", "a", "b"}, 2, "at most one article"},
		{"keyphrase without phrase", []string{"seo", "keyphrase", "x"}, 2, "name the article's slug and the focus keyphrase"},
		{"keyphrase too long", []string{"seo", "keyphrase", "x", strings.Repeat("word ", 30)}, 2, "more than 100"},
		{"bad base URL", []string{"seo", "check", "--base-url", "news.example.org"}, 2, "--base-url / DATELINE_BASE_URL"},
		{"unknown subcommand", []string{"seo", "frobnicate"}, 2, `unknown command "frobnicate"`},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := dateline(t, append(test.args, "--db", db)...)
			if code != test.code || !strings.Contains(errOut, test.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q (stdout %q)", code, errOut, test.code, test.stderr, out)
			}
		})
	}
}

// Issue 15: the SEO title (Yoast's and Ghost's meta title) is what the
// page's <title>, its share cards and the SEO check use; the headline
// stays the page's headline, and the title is kept in revisions.
func TestSEOTitle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	file := filepath.Join(dir, "barrier.md")
	if err := os.WriteFile(file, []byte("---\ntitle: The barrier held\nfocus_keyphrase: Ems flood barrier\n---\nThe Ems flood barrier held through the night as the river peaked.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "import", "--db", db, file)
	if r := seoCheck(t, "the-barrier-held", "--db", db)[0]; r.status("keyphrase-title") != "problem" {
		t.Errorf("keyphrase-title %q before the SEO title", r.status("keyphrase-title"))
	}
	out := mustRun(t, "seo", "title", "the-barrier-held", "Ems flood barrier holds as the river peaks", "--db", db)
	if !strings.Contains(out, `set the SEO title of the-barrier-held to "Ems flood barrier holds as the river peaks"`) {
		t.Errorf("seo title printed %q", out)
	}
	if r := seoCheck(t, "the-barrier-held", "--db", db)[0]; r.status("keyphrase-title") != "ok" {
		t.Errorf("keyphrase-title %q with the SEO title, want ok", r.status("keyphrase-title"))
	}
	url, stop := startServe(t, "--db", db)
	defer stop()
	resp, err := http.Get(url + "/the-barrier-held/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"<title>Ems flood barrier holds as the river peaks – ", `<meta property="og:title" content="Ems flood barrier holds as the river peaks">`, "<h1", ">The barrier held</h1>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if out := mustRun(t, "seo", "title", "the-barrier-held", "", "--db", db); !strings.Contains(out, "removed the SEO title") {
		t.Errorf("removing the SEO title printed %q", out)
	}
	mustRun(t, "article", "restore", "the-barrier-held", "2", "--db", db)
	if got := show(t, db, "the-barrier-held"); got.SEOTitle != "Ems flood barrier holds as the river peaks" {
		t.Errorf("restoring the revision gave the SEO title %q", got.SEOTitle)
	}
}
