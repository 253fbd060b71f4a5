package cli

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/importer/site"
	"github.com/datelinehq/dateline/internal/importer/wordpress"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// harbourGazette is the importer's own WordPress export fixture.
const harbourGazette = "../importer/testdata/harbour-gazette.wxr"

const exportBase = "https://news.example.org"

// exportSite runs 'dateline export' of db in format to a file in dir and
// returns its path.
func exportSite(t *testing.T, db, format, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	mustRun(t, "export", "--db", db, "--format", format, "--base-url", exportBase, "--quiet", path)
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.tmp is left behind (%v)", path, err)
	}
	return path
}

// exported is the part of the JSON export the tests read.
type exported struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	ExportedAt string          `json:"exported_at"`
	BaseURL    string          `json:"base_url"`
	Site       json.RawMessage `json:"site"`
	Comments   json.RawMessage `json:"comment_settings"`
	Sections   []struct {
		Slug, Name, Description string
	} `json:"sections"`
	Menus   map[string]json.RawMessage `json:"menus"`
	Authors []struct {
		Slug, Name string
	} `json:"authors"`
	Tags []struct {
		Slug, Name string
	} `json:"tags"`
	Media []struct {
		ID           int64
		Alt, Caption string
		URL          string
	} `json:"media"`
	Redirects []struct {
		From, To string
	} `json:"redirects"`
	Pins []struct {
		Slug string `json:"slug"`
	} `json:"front_page_pins"`
	Articles []exportedArticle `json:"articles"`
}

type exportedArticle struct {
	Kind            string  `json:"kind"`
	Slug            string  `json:"slug"`
	Title           string  `json:"title"`
	Description     string  `json:"description"`
	Body            string  `json:"body_markdown"`
	Status          string  `json:"status"`
	PublishedAt     *string `json:"published_at"`
	Section         *string `json:"section"`
	FocusKeyphrase  string  `json:"focus_keyphrase"`
	CommentsClosed  bool    `json:"comments_closed"`
	FeaturedMediaID int64   `json:"featured_media_id"`
	Author          *struct {
		Slug, Name string
	} `json:"author"`
	Tags []struct {
		Slug, Name string
	} `json:"tags"`
	Comments []struct {
		ID        int64  `json:"id"`
		ParentID  int64  `json:"parent_id"`
		Author    string `json:"author"`
		Email     string `json:"email"`
		URL       string `json:"url"`
		Body      string `json:"body"`
		State     string `json:"state"`
		CreatedAt string `json:"created_at"`
	} `json:"comments"`
}

func readExport(t *testing.T, db string) exported {
	t.Helper()
	path := exportSite(t, db, "json", t.TempDir(), "site.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var x exported
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatalf("the JSON export does not parse: %v\n%.500s", err, b)
	}
	return x
}

// siteArticle is what must survive a round trip of an article or page.
type siteArticle struct {
	Kind, Title, Slug, Status, PublishedAt, Section, Author, Description, FocusKeyphrase string
	Tags                                                                                 []string
	CommentsClosed                                                                       bool
	// Text is the body's rendered text: the Markdown differs (WordPress
	// HTML comes back through the HTML-to-Markdown converter), what
	// readers see does not.
	Text     string
	Comments []siteComment
}

type siteComment struct {
	Author, Email, URL, Body, State, CreatedAt string
	// Parent is the index of the comment it replies to, -1 for none.
	Parent int
}

// siteOf reduces an export to what a round trip must keep, by slug.
func siteOf(t *testing.T, x exported) map[string]siteArticle {
	t.Helper()
	r := render.New()
	out := map[string]siteArticle{}
	for _, a := range x.Articles {
		s := siteArticle{Kind: a.Kind, Title: a.Title, Slug: a.Slug, Status: a.Status, Description: a.Description,
			FocusKeyphrase: a.FocusKeyphrase, CommentsClosed: a.CommentsClosed, Tags: []string{}}
		if a.PublishedAt != nil {
			s.PublishedAt = *a.PublishedAt
		}
		if a.Section != nil {
			s.Section = *a.Section
		}
		if a.Author != nil {
			s.Author = a.Author.Slug + "/" + a.Author.Name
		}
		for _, tg := range a.Tags {
			s.Tags = append(s.Tags, tg.Slug+"/"+tg.Name)
		}
		doc := r.Parse([]byte(a.Body))
		h, err := r.HTML(doc)
		if err != nil {
			t.Fatal(err)
		}
		s.Text = textOf(string(h))
		index := map[int64]int{}
		for i, c := range a.Comments {
			index[c.ID] = i
		}
		for _, c := range a.Comments {
			parent := -1
			if i, ok := index[c.ParentID]; ok && c.ParentID != 0 {
				parent = i
			}
			s.Comments = append(s.Comments, siteComment{Author: c.Author, Email: c.Email, URL: c.URL, Body: c.Body, State: c.State, CreatedAt: c.CreatedAt, Parent: parent})
		}
		out[a.Slug] = s
	}
	return out
}

// textOf is the text of rendered HTML, its runs of space made one.
func textOf(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		case html.StartTagToken, html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

// exportedRedirects maps each redirect's address to its target.
func exportedRedirects(x exported) map[string]string {
	m := map[string]string{}
	for _, r := range x.Redirects {
		m[r.From] = r.To
	}
	return m
}

// The site comes back the same through WXR twice: Harbour Gazette is
// imported into A, A exported and imported into B, B exported and
// imported into C. Articles are compared by their rendered text.
func TestExportWXRRoundTrip(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			dbA, dbB, dbC := b.dsn(t), b.dsn(t), b.dsn(t)
			mustRun(t, "import", "--db", dbA, "--quiet", harbourGazette)
			mustRun(t, "import", "--db", dbB, "--quiet", exportSite(t, dbA, "wxr", dir, "a.wxr"))
			mustRun(t, "import", "--db", dbC, "--quiet", exportSite(t, dbB, "wxr", dir, "b.wxr"))
			a, bx, c := readExport(t, dbA), readExport(t, dbB), readExport(t, dbC)
			siteA := siteOf(t, a)
			if len(siteA) != 5 || len(siteA["storm-closes-the-ferry-route"].Comments) != 4 {
				t.Fatalf("site A holds %d articles, want the fixture's 5 with 4 comments on the storm story:\n%+v", len(siteA), siteA)
			}
			for name, x := range map[string]exported{"B": bx, "C": c} {
				if diff := cmp.Diff(siteA, siteOf(t, x)); diff != "" {
					t.Errorf("site %s differs from site A (-A +%s):\n%s", name, name, diff)
				}
				pins := func(x exported) (s []string) {
					for _, p := range x.Pins {
						s = append(s, p.Slug)
					}
					return s
				}
				if diff := cmp.Diff(pins(a), pins(x)); diff != "" {
					t.Errorf("front page of %s (-A +%s):\n%s", name, name, diff)
				}
			}
			// A's redirects are the fixture's own links (permalinks and
			// /?p=ID): each leads to the same article in C.
			inC := exportedRedirects(c)
			if len(a.Redirects) < 6 {
				t.Fatalf("site A has %d redirects, want the fixture's links: %+v", len(a.Redirects), a.Redirects)
			}
			for _, r := range a.Redirects {
				if inC[r.From] != r.To {
					t.Errorf("in C, %s redirects to %q, want %s as in A", r.From, inC[r.From], r.To)
				}
			}
		})
	}
}

// wxrRead is what importer/wordpress reads of an export.
type wxrRead struct {
	site        site.Site
	authors     []site.Author
	terms       []site.Term
	attachments []site.Attachment
	items       []site.Item
	problems    []site.Problem
}

func readWXR(t *testing.T, path string) wxrRead {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Well-formed XML first, token by token.
	dec := xml.NewDecoder(f)
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	var r wxrRead
	err = wordpress.Read(context.Background(), f, site.Visitor{
		Site:       func(s site.Site) error { r.site = s; return nil },
		Author:     func(a site.Author) error { r.authors = append(r.authors, a); return nil },
		Term:       func(tm site.Term) error { r.terms = append(r.terms, tm); return nil },
		Attachment: func(a site.Attachment) error { r.attachments = append(r.attachments, a); return nil },
		Item:       func(it site.Item) error { r.items = append(r.items, it); return nil },
		Problem:    func(p site.Problem) error { r.problems = append(r.problems, p); return nil },
	})
	if err != nil {
		t.Fatalf("importer/wordpress cannot read the export: %v", err)
	}
	return r
}

// Our own WordPress reader reads back every part of the WXR export:
// articles and pages, authors, sections, tags, comments with their
// threads and states, and the library's images.
func TestExportWXRReadsBack(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			dir := t.TempDir()
			mustRun(t, "import", "--db", db, "--quiet", harbourGazette)
			photo := filepath.Join(dir, "quay.jpg")
			if err := os.WriteFile(photo, mediatest.JPEGWithGPS(800, 500), 0o644); err != nil {
				t.Fatal(err)
			}
			var added []mediaJSON
			out := mustRun(t, "media", "add", "--db", db, "--media", filepath.Join(dir, "media"), "--json",
				"--alt", "Waves & spray over the quay", "--caption", "Monday <morning> ]]> at the quay", photo)
			if err := json.Unmarshal([]byte(out), &added); err != nil || len(added) != 1 {
				t.Fatalf("media add: %s (%v)", out, err)
			}
			mustRun(t, "article", "set-image", "storm-closes-the-ferry-route", itoa(added[0].ID), "--db", db)

			x := readExport(t, db)
			r := readWXR(t, exportSite(t, db, "wxr", dir, "site.wxr"))
			if len(r.problems) != 0 {
				t.Errorf("problems reading the export: %+v", r.problems)
			}
			if r.site.URL != exportBase || r.site.Title == "" {
				t.Errorf("site %+v", r.site)
			}
			var authors, cats, tags []string
			for _, a := range r.authors {
				authors = append(authors, a.Slug+"/"+a.Name)
			}
			for _, tm := range r.terms {
				if tm.Kind == site.Category {
					cats = append(cats, tm.Slug+"/"+tm.Name)
				} else {
					tags = append(tags, tm.Slug+"/"+tm.Name)
				}
			}
			var wantAuthors, wantCats, wantTags []string
			for _, a := range x.Authors {
				wantAuthors = append(wantAuthors, a.Slug+"/"+a.Name)
			}
			for _, s := range x.Sections {
				wantCats = append(wantCats, s.Slug+"/"+s.Name)
			}
			for _, tg := range x.Tags {
				wantTags = append(wantTags, tg.Slug+"/"+tg.Name)
			}
			for _, l := range [][]string{authors, cats, tags, wantAuthors, wantCats, wantTags} {
				slices.Sort(l)
			}
			if diff := cmp.Diff([][]string{wantAuthors, wantCats, wantTags}, [][]string{authors, cats, tags}); diff != "" {
				t.Errorf("authors, categories, tags (-want +got):\n%s", diff)
			}

			if len(r.attachments) != 1 {
				t.Fatalf("attachments %+v, want the library's image", r.attachments)
			}
			at := r.attachments[0]
			if at.Alt != "Waves & spray over the quay" || at.Caption != "Monday <morning> ]]> at the quay" || !strings.HasPrefix(at.URL, exportBase+"/media/") {
				t.Errorf("attachment %+v", at)
			}

			items := map[string]site.Item{}
			for _, it := range r.items {
				items[it.Slug] = it
			}
			if len(r.items) != len(x.Articles) || len(items) != len(x.Articles) {
				t.Fatalf("read %d items, want %d articles and pages", len(r.items), len(x.Articles))
			}
			status := map[string]site.Status{"published": site.Publish, "scheduled": site.Future, "draft": site.Draft}
			for _, a := range x.Articles {
				it := items[a.Slug]
				wantKind := site.Post
				if a.Kind != "article" {
					wantKind = site.Page
				}
				if it.Title != a.Title || it.Kind != wantKind || it.Status != status[a.Status] || it.MetaDescription != a.Description ||
					it.FocusKeyphrase != a.FocusKeyphrase || it.CommentsClosed != a.CommentsClosed {
					t.Errorf("item %s: %+v\nwant as %+v", a.Slug, it, a)
				}
				if a.Author != nil && (len(it.Authors) != 1 || it.Authors[0] != a.Author.Slug) {
					t.Errorf("item %s credits %v, want %s", a.Slug, it.Authors, a.Author.Slug)
				}
				if len(it.Comments) != len(a.Comments) {
					t.Errorf("item %s has %d comments, want %d", a.Slug, len(it.Comments), len(a.Comments))
					continue
				}
				byID := map[string]int64{}
				for i, c := range it.Comments {
					byID[c.SourceID] = a.Comments[i].ID
				}
				for i, c := range it.Comments {
					w := a.Comments[i]
					wantState := map[string]site.CommentState{"approved": site.Approved, "pending": site.Held, "spam": site.Spam, "trash": site.Trashed}[w.State]
					if c.Author != w.Author || c.Email != w.Email || c.State != wantState || html.UnescapeString(c.Body) != w.Body || byID[c.ParentID] != w.ParentID {
						t.Errorf("comment %d of %s: %+v, want %+v", i, a.Slug, c, w)
					}
				}
			}
			storm := items["storm-closes-the-ferry-route"]
			if storm.FeaturedImage != at.SourceID || !storm.Sticky || !slices.Contains(storm.Categories, "ferries") {
				t.Errorf("the storm story: featured %q (want %q), sticky %v, categories %v", storm.FeaturedImage, at.SourceID, storm.Sticky, storm.Categories)
			}
			if n := len(storm.Comments); n < 2 || storm.Comments[1].ParentID != storm.Comments[0].SourceID {
				t.Errorf("the reply lost its thread: %+v", storm.Comments)
			}
		})
	}
}

// WordPress's Theme Unit Test export, exported again and imported into a
// fresh site, gives the same counts.
func TestExportThemeUnitTestData(t *testing.T) {
	export := sharedFixture(t, filepath.Join("wordpress", "themeunittestdata.wordpress.xml"))
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dbA, dbB := b.dsn(t), b.dsn(t)
			mustRun(t, "import", "--db", dbA, "--quiet", export)
			mustRun(t, "import", "--db", dbB, "--quiet", exportSite(t, dbA, "wxr", t.TempDir(), "a.wxr"))
			a, bx := readExport(t, dbA), readExport(t, dbB)
			count := func(x exported) map[string]int {
				n := map[string]int{"authors": len(x.Authors), "sections": len(x.Sections), "tags": len(x.Tags), "pins": len(x.Pins)}
				for _, ar := range x.Articles {
					n[ar.Kind+" "+ar.Status]++
					for _, c := range ar.Comments {
						n["comments "+c.State]++
					}
				}
				return n
			}
			// The statuses hang on the clock (the fixture's dates are
			// literal): the sanity check counts every status.
			if n := count(a); n["article published"]+n["article scheduled"] < 50 || n["page published"]+n["page scheduled"] < 15 || n["comments approved"] < 20 || n["tags"] < 100 {
				t.Errorf("site A holds less than the fixture: %v", n)
			}
			if diff := cmp.Diff(count(a), count(bx)); diff != "" {
				t.Errorf("counts (-A +B):\n%s", diff)
			}
		})
	}
}

// The JSON export parses, holds every part the format documents, and its
// counts are the site's.
func TestExportJSON(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, "--quiet", harbourGazette)
			path := exportSite(t, db, "json", t.TempDir(), "site.json")
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var top map[string]json.RawMessage
			if err := json.Unmarshal(raw, &top); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"format", "version", "exported_at", "base_url", "site", "comment_settings", "sections", "menus",
				"authors", "tags", "media", "redirects", "front_page_pins", "articles"} {
				if _, ok := top[key]; !ok {
					t.Errorf("the export has no %q", key)
				}
			}
			x := readExport(t, db)
			if x.Format != "dateline-export" || x.Version != 1 || x.BaseURL != exportBase || x.ExportedAt != clock.Now().UTC().Format("2006-01-02T15:04:05Z07:00") {
				t.Errorf("format %q version %d base %q exported at %q", x.Format, x.Version, x.BaseURL, x.ExportedAt)
			}
			comments := 0
			for _, a := range x.Articles {
				comments += len(a.Comments)
			}
			// The fixture: 4 posts and a page come in (one post is in the
			// trash), with 4 comments (and a pingback that does not).
			got := []int{len(x.Articles), comments, len(x.Authors), len(x.Sections), len(x.Tags), len(x.Redirects), len(x.Pins)}
			want := []int{5, 4, 2, 2, 3, 7, 1}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("articles, comments, authors, sections, tags, redirects, pins (-want +got):\n%s", diff)
			}
			list := mustRun(t, "article", "list", "--db", db)
			for _, a := range x.Articles {
				if !strings.Contains(list, a.Slug) {
					t.Errorf("article %s is exported but not listed", a.Slug)
				}
			}
			out := mustRun(t, "export", "--db", db, "--format", "json", "--base-url", exportBase, "-")
			if !json.Valid([]byte(out)) {
				t.Errorf("export to stdout is not JSON alone:\n%.300s", out)
			}
		})
	}
}

func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	mustRun(t, "import", "--db", db, "--quiet", harbourGazette)
	missing := filepath.Join(dir, "missing.db")
	for _, test := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown format", []string{"export", "--db", db, "--format", "html", "--base-url", exportBase, filepath.Join(dir, "x")}, exitUsage, `--format "html": unknown format; the formats are wxr and json`},
		{"no file", []string{"export", "--db", db, "--format", "wxr", "--base-url", exportBase}, exitUsage, "name one file to write"},
		{"no base URL", []string{"export", "--db", db, "--format", "wxr", filepath.Join(dir, "x")}, exitUsage, "--base-url (or DATELINE_BASE_URL) is required"},
		{"unwritable path", []string{"export", "--db", db, "--format", "json", "--base-url", exportBase, filepath.Join(dir, "no-such-dir", "site.json")}, exitFail,
			"cannot write " + filepath.Join(dir, "no-such-dir", "site.json")},
		{"missing database", []string{"export", "--db", "sqlite:" + missing, "--format", "wxr", "--base-url", exportBase, filepath.Join(dir, "x")}, exitFail, "no Dateline database at sqlite:" + missing},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Setenv("DATELINE_BASE_URL", "")
			out, errOut, code := dateline(t, test.args...)
			if code != test.code || !strings.Contains(errOut, test.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, test.code, test.want)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the export created the missing database (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused export wrote its file (%v)", err)
	}
}
