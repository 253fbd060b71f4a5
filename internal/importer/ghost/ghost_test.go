package ghost

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/importer/site"
)

// collected is what a read visited.
type collected struct {
	site        site.Site
	authors     []site.Author
	terms       []site.Term
	attachments []site.Attachment
	items       []site.Item
	problems    []site.Problem
}

func read(t *testing.T, r io.Reader, rd Reader) (*collected, error) {
	t.Helper()
	c := &collected{}
	err := rd.Read(context.Background(), r, site.Visitor{
		Site:       func(s site.Site) error { c.site = s; return nil },
		Author:     func(a site.Author) error { c.authors = append(c.authors, a); return nil },
		Term:       func(tm site.Term) error { c.terms = append(c.terms, tm); return nil },
		Attachment: func(a site.Attachment) error { c.attachments = append(c.attachments, a); return nil },
		Item:       func(it site.Item) error { c.items = append(c.items, it); return nil },
		Problem:    func(p site.Problem) error { c.problems = append(c.problems, p); return nil },
	})
	return c, err
}

const fixture = "../testdata/harbour-gazette.ghost.json"

func (c *collected) item(t *testing.T, slug string) site.Item {
	t.Helper()
	for _, it := range c.items {
		if it.Slug == slug {
			return it
		}
	}
	t.Fatalf("no item %q", slug)
	return site.Item{}
}

func (c *collected) problem(where, text string) bool {
	for _, p := range c.problems {
		if strings.Contains(p.Where, where) && strings.Contains(p.Message, text) {
			return true
		}
	}
	return false
}

// TestReadGhostExport: every table of a Ghost 5 export is joined to its
// posts, whatever the order of the tables, and each card of the editor
// becomes HTML or is named.
func TestReadGhostExport(t *testing.T) {
	f, err := os.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := read(t, f, Reader{Permalink: "/:year/:month/:slug/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.site.Title != "Harbour Gazette" || c.site.Language != "en" || c.site.Generator != "Ghost 5.96.0" {
		t.Errorf("site %+v", c.site)
	}
	if len(c.items) != 9 || len(c.authors) != 2 || len(c.terms) != 3 {
		t.Fatalf("%d items, %d authors, %d tags (the internal tag left out); want 9, 2, 3", len(c.items), len(c.authors), len(c.terms))
	}
	mara := c.authors[0]
	if mara.Name != "Mara Quinn" || mara.Bio == "" || mara.Photo != "/content/images/2025/11/mara.jpg" || len(mara.Links) != 3 || mara.Links[1].URL != "https://x.com/maraquinn" {
		t.Errorf("author %+v", mara)
	}

	bus := c.item(t, "night-buses-return")
	if bus.Kind != site.Post || bus.Status != site.Publish || !bus.Sticky || bus.Restricted != "" {
		t.Errorf("bus: %+v", bus)
	}
	if strings.Join(bus.Authors, " ") != "u1 u2" || strings.Join(bus.Categories, " ") != "t1" || strings.Join(bus.Tags, " ") != "t2" {
		t.Errorf("bus: authors %v, primary tag %v, tags %v", bus.Authors, bus.Categories, bus.Tags)
	}
	if bus.MetaTitle != "Night buses are back | Harbour Gazette" || bus.MetaDescription == "" || bus.Excerpt != "Two routes come back after a two-year pause." {
		t.Errorf("bus SEO: %q, %q, %q", bus.MetaTitle, bus.MetaDescription, bus.Excerpt)
	}
	if len(bus.OldURLs) != 1 || bus.OldURLs[0] != "/2026/02/night-buses-return/" {
		t.Errorf("bus's old address %v", bus.OldURLs)
	}
	if bus.FeaturedImage != "feature:"+bus.SourceID || len(c.attachments) != 1 || c.attachments[0].Alt != "A night bus waiting at the harbour" || c.attachments[0].URL != "/content/images/2026/02/night-bus.jpg" {
		t.Errorf("featured image %q, attachments %+v", bus.FeaturedImage, c.attachments)
	}
	for _, want := range []string{
		"<h2>What changes</h2>", "<strong>two-year</strong>", `<a href="/ferry-crews-agree-new-rota/">ferry rota</a><em> changes too.</em>`,
		"<ul><li>Route 22", "<li>Route 31 runs hourly<ul><li>except on Sundays</li>", "<ol><li>Buy a ticket",
		"<blockquote>We heard", `<figure><img src="/content/images/2026/02/bus-stop.jpg" alt="The harbour bus stop at night"><figcaption>The stop by the ferry terminal.</figcaption></figure>`,
		`src="https://www.youtube.com/embed/aBcDeFgHiJk`, "<h3>Fares</h3>", "<table>", `<pre><code class="language-text">22  00:15`,
		`<a href="https://transport.example/night-network">The night network map</a>`, "<abbr", "💡 Night buses are free",
	} {
		if !strings.Contains(bus.Content, want) {
			t.Errorf("bus's HTML lacks %s:\n%s", want, bus.Content)
		}
	}
	if bus.Format != site.StrictHTML {
		t.Errorf("format %q", bus.Format)
	}
	if !c.problem(`"Night buses`, `"product" card`) || !c.problem(`"Night buses`, "members-only divider") || !c.problem(`"Night buses`, "#wide-layout") {
		t.Errorf("the dropped cards and the internal tag are not reported: %+v", c.problems)
	}
	if len(bus.Comments) != 3 || bus.Comments[1].ParentID != "c1" || bus.Comments[1].Author != "Pat Byrne" || bus.Comments[1].Email != "reader.two@mail.example" || bus.Comments[2].State != site.Held {
		t.Errorf("comments %+v", bus.Comments)
	}

	rota := c.item(t, "ferry-crews-agree-new-rota")
	for _, want := range []string{"Ferry crews have agreed a <strong>new rota</strong>", "<br>", `<a href="https://union.example/rota">Read the agreement.</a>`,
		"<h2>What the crews won</h2>", "<ul><li>Shorter shifts</li>", `alt="Crew on the morning ferry"`, "<strong>eight hours</strong>", "<hr>", "<blockquote>It is a fair deal"} {
		if !strings.Contains(rota.Content, want) {
			t.Errorf("the Mobiledoc post's HTML lacks %s:\n%s", want, rota.Content)
		}
	}
	if !c.problem(`"Ferry crews`, "member mb7") || rota.Comments[0].Author != "Anonymous" {
		t.Errorf("a comment by a missing member: %+v, %+v", rota.Comments, c.problems)
	}
	if !c.problem(`"Ferry crews`, "replies to comment c99") || len(rota.Comments) != 2 || rota.Comments[1].ParentID != "" {
		t.Errorf("a comment by a missing member: %+v, %+v", rota.Comments, c.problems)
	}

	if wall := c.item(t, "harbour-wall-repairs-begin"); !strings.Contains(wall.Content, `<img src="/content/images/2026/03/wall.jpg"`) {
		t.Errorf("the HTML post: %s", wall.Content)
	}
	if vote := c.item(t, "council-to-vote-on-harbour-fees"); vote.Status != site.Future {
		t.Errorf("the scheduled post is %s", vote.Status)
	}
	if draft := c.item(t, "notes-on-the-night-bus-survey"); draft.Status != site.Draft || !draft.Date.IsZero() {
		t.Errorf("the draft: %s, %v", draft.Status, draft.Date)
	}
	if paid := c.item(t, "inside-the-harbour-masters-office"); paid.Restricted != "for paying members only" {
		t.Errorf("the members' post: %q", paid.Restricted)
	}
	if sent := c.item(t, "this-week-in-the-gazette"); sent.Status != site.Private || !strings.Contains(sent.Restricted, "newsletter") {
		t.Errorf("the newsletter: %s, %q", sent.Status, sent.Restricted)
	}
	if about := c.item(t, "about"); about.Kind != site.Page || len(about.OldURLs) != 1 || about.OldURLs[0] != "/about/" {
		t.Errorf("the page: %+v", about)
	}
	fish := c.item(t, "fish-market-moves-indoors")
	if !strings.Contains(fish.Content, "customs shed") || !c.problem(`"Fish market`, "Lexical document could not be read") ||
		!c.problem(`"Fish market`, "tag t9") || !c.problem(`"Fish market`, "author u9") || !c.problem(`"Fish market`, "canonical URL") {
		t.Errorf("the post with a broken document, a missing tag and author: %q, %+v", fish.Content, c.problems)
	}
}

// TestReadGhostVersions: an export of a version this reader does not
// know is read, with the version named; one that names none too.
func TestReadGhostVersions(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ version, want string }{
		{`"version": "9.1.0"`, `Ghost "9.1.0", a version this importer does not know`},
		{`"version": "3.42.0"`, "older than the versions this importer knows"},
		{`"version": ""`, "does not say which Ghost version"},
	} {
		c, err := read(t, bytes.NewReader(bytes.Replace(data, []byte(`"version": "5.96.0"`), []byte(tc.version), 1)), Reader{})
		if err != nil {
			t.Fatalf("%s: %v", tc.version, err)
		}
		if !c.problem("the export", tc.want) || len(c.items) != 9 {
			t.Errorf("%s: %d items, problems %+v", tc.version, len(c.items), c.problems)
		}
	}
}

// TestReadGhostCutShort: an export cut in the middle of its posts gives
// the posts before the cut, then an error naming where it stops.
func TestReadGhostCutShort(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(data, []byte(`"Harbour wall repairs begin"`))
	c, err := read(t, bytes.NewReader(data[:cut]), Reader{})
	if err == nil || !strings.Contains(err.Error(), "cut short at byte") || !strings.Contains(err.Error(), `after 2 items, the last post 65a0000000000000000000p2 "Ferry crews agree new rota"`) {
		t.Fatalf("error %v", err)
	}
	if len(c.items) != 2 {
		t.Errorf("%d items before the cut, want 2", len(c.items))
	}
}

// TestReadGhostNotSeekable: a reader that cannot seek (a pipe) is read
// through a temporary copy.
func TestReadGhostNotSeekable(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	c, err := read(t, io.MultiReader(bytes.NewReader(data)), Reader{})
	if err != nil || len(c.items) != 9 {
		t.Fatalf("%d items, %v", len(c.items), err)
	}
}

func TestDetect(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, head string
		ok         bool
		looks      string
	}{
		{"export", string(data[:200]), true, "a Ghost export"},
		{"inner object", `{"meta": {"exported_on": 1, "version": "4.48.2"}, "data": {"posts": []}}`, true, "a Ghost export"},
		{"other JSON", `{"title": "A post", "body": "Text"}`, false, "JSON but not a Ghost export"},
		{"array", `[{"db": 1}]`, false, "JSON but not a Ghost export"},
		{"not JSON", "Hello", false, ""},
	} {
		ok, looks := Detect([]byte(tc.head))
		if ok != tc.ok || looks != tc.looks {
			t.Errorf("%s: %v, %q; want %v, %q", tc.name, ok, looks, tc.ok, tc.looks)
		}
	}
}

func TestCheckPermalink(t *testing.T) {
	for p, ok := range map[string]bool{
		"/:slug/": true, "/:year/:month/:day/:slug/": true, "/:primary_tag/:slug/": true, "/news/:id/": true,
		"posts/:slug/": false, "/:year/": false, "/:yr/:slug/": false,
	} {
		if err := CheckPermalink(p); (err == nil) != ok {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestReadGhostRefusesOtherJSON(t *testing.T) {
	_, err := read(t, strings.NewReader(`{"posts": [{"title": "x"}]}`), Reader{})
	if err == nil || !strings.Contains(err.Error(), "JSON but not a Ghost export") {
		t.Errorf("error %v", err)
	}
}
