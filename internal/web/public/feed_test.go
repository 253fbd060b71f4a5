package public

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"
)

// withFullFeeds serves ts's store again, as newTestServer does, with
// feeds that carry each article's whole body.
func withFullFeeds(t *testing.T, ts *testServer) *testServer {
	t.Helper()
	tpl, err := web.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: ts.clock.Now, Info: web.SiteInfo{Title: "The Selvik Courier", Description: "News from Selvik", Language: "en"}}
	mux := http.NewServeMux()
	reader, err := New(site, ts.store, render.New(), NewViewCounter(ts.store, logger, ts.clock.Now), Options{Now: ts.clock.Now, FeedFullContent: true})
	if err != nil {
		t.Fatal(err)
	}
	reader.Register(mux)
	srv := httptest.NewServer(site.Middleware(CanonicalSlash(mux)))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, store: ts.store, clock: ts.clock, logs: &bytes.Buffer{}}
}

// testFeedFormats are the three formats with the suffix of their address.
var testFeedFormats = []struct{ name, suffix, contentType string }{
	{"rss", "feed/", "application/rss+xml; charset=utf-8"},
	{"atom", "feed/atom/", "application/atom+xml; charset=utf-8"},
	{"json", "feed.json", "application/feed+json; charset=utf-8"},
}

// fetchFeed gets a feed, checks its content type and that it is
// well-formed, and parses it with gofeed.
func fetchFeed(t *testing.T, ts *testServer, path, contentType string) *gofeed.Feed {
	t.Helper()
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); got != contentType {
		t.Errorf("GET %s: Content-Type %q, want %q", path, got, contentType)
	}
	if strings.HasSuffix(path, ".json") {
		if !json.Valid([]byte(body)) {
			t.Fatalf("GET %s: invalid JSON", path)
		}
	} else {
		decodeXML(t, path, body)
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("GET %s: gofeed: %v", path, err)
	}
	return f
}

// decodeXML reads body to its end with encoding/xml.
func decodeXML(t *testing.T, path, body string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("GET %s: not well-formed XML: %v", path, err)
		}
	}
}

// feedEntry is what the tests compare of a feed item.
type feedEntry struct {
	Title, Link, ID      string
	Published, Updated   time.Time
	Author               string
	Categories           []string
	Description, Content string
}

func entriesOf(f *gofeed.Feed) []feedEntry {
	var out []feedEntry
	for _, it := range f.Items {
		e := feedEntry{Title: it.Title, Link: it.Link, ID: it.GUID, Categories: it.Categories,
			Description: strings.TrimSpace(it.Description), Content: strings.TrimSpace(it.Content)}
		if it.PublishedParsed != nil {
			e.Published = it.PublishedParsed.UTC()
		}
		if it.UpdatedParsed != nil {
			e.Updated = it.UpdatedParsed.UTC()
		}
		if len(it.Authors) > 0 {
			e.Author = it.Authors[0].Name
		}
		out = append(out, e)
	}
	return out
}

// wantEntries is what a feed of as should carry, from the stored
// articles and their bodies rendered afresh.
func wantEntries(t *testing.T, ts *testServer, as []*article.Article, full bool, format string) []feedEntry {
	t.Helper()
	r := render.New()
	var out []feedEntry
	for _, listed := range as {
		a, err := ts.store.Article(ctx, listed.Slug)
		if err != nil {
			t.Fatal(err)
		}
		link := ts.URL + "/" + a.Slug + "/"
		e := feedEntry{Title: a.Title, Link: link, ID: link,
			Published: a.PublishedAt.UTC().Truncate(time.Second), Updated: a.UpdatedAt.UTC().Truncate(time.Second),
			Description: a.Description}
		if a.Author != nil {
			e.Author = a.Author.Name
		}
		for _, tg := range a.Tags {
			e.Categories = append(e.Categories, tg.Name)
		}
		doc := r.Parse([]byte(a.Body))
		if e.Description == "" {
			e.Description = seo.Summary(doc)
		}
		if full {
			html, err := r.HTML(doc)
			if err != nil {
				t.Fatal(err)
			}
			e.Content = strings.TrimSpace(seo.AbsoluteURLs(string(html), ts.URL))
		} else if format == "json" {
			e.Content = e.Description // content_text stands in
		}
		out = append(out, e)
	}
	return out
}

// addFeedArticles stores a small newsroom: public articles with tags and
// authors, one without author or description whose body links within the
// site, a draft, a scheduled article and older fillers.
func addFeedArticles(t *testing.T, ts *testServer) (draft, scheduled *article.Article) {
	t.Helper()
	ts.add(t, floodArticle())
	ts.add(t, &article.Article{Title: "Night Trams Are Back", Description: "They run all night from Friday.", Body: "They run all night.\n",
		PublishedAt: published.Add(-time.Hour), Author: &article.Author{Name: "Jonas Ek"}, Tags: article.TagsFromNames("Transport", "Selvik")})
	ts.add(t, &article.Article{Title: "Harbour Crane Restored", Body: "The crane by the [flood barriers](/flood-barriers-hold-as-the-ems-crests/) turns again.\n\n" +
		"![The crane at dusk](/static/favicon.svg)\n\n## Why it matters\n\nIt is the last of its kind, and the city wanted it kept.\n",
		PublishedAt: published.Add(-2 * time.Hour)})
	for i := range FeedSize {
		ts.add(t, &article.Article{Title: fmt.Sprintf("Filler %d", i), Description: "An older piece.", Body: "Text.\n",
			PublishedAt: published.Add(-time.Duration(i+3) * 24 * time.Hour), Author: &article.Author{Name: "Jonas Ek"}, Tags: article.TagsFromNames("Archive")})
	}
	draft = ts.add(t, &article.Article{Title: "Draft About the Mayor", Body: "Not yet.\n", Status: article.Draft,
		Author: &article.Author{Name: "Ingrid Solheim"}, Tags: article.TagsFromNames("Selvik", "Secret Tag")})
	scheduled = ts.add(t, &article.Article{Title: "Scheduled Budget Story", Body: "Tomorrow.\n", PublishedAt: ts.clock.Now().Add(24 * time.Hour),
		Author: &article.Author{Name: "Ingrid Solheim"}, Tags: article.TagsFromNames("Selvik", "Budget")})
	return draft, scheduled
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	summaries := newTestServer(t, 0, "")
	draft, scheduled := addFeedArticles(t, summaries)
	full := withFullFeeds(t, summaries)
	now := summaries.clock.Now()
	for _, test := range []struct {
		name, prefix string
		q            store.ArticleQuery
		title        string
		want         []string // the first titles, newest first
	}{
		{"site", "/", store.ArticleQuery{}, "The Selvik Courier",
			[]string{"Flood Barriers Hold as the Ems Crests", "Night Trams Are Back", "Harbour Crane Restored", "Filler 0"}},
		{"tag", "/tag/selvik/", store.ArticleQuery{TagSlug: "selvik"}, "Selvik – The Selvik Courier",
			[]string{"Flood Barriers Hold as the Ems Crests", "Night Trams Are Back"}},
		{"author", "/author/jonas-ek/", store.ArticleQuery{AuthorSlug: "jonas-ek"}, "Jonas Ek – The Selvik Courier",
			[]string{"Night Trams Are Back", "Filler 0"}},
	} {
		test.q.PublicAt, test.q.Limit = now, FeedSize
		as, err := summaries.store.Articles(ctx, test.q)
		if err != nil {
			t.Fatal(err)
		}
		for _, server := range []struct {
			name string
			ts   *testServer
			full bool
		}{{"summaries", summaries, false}, {"full", full, true}} {
			for _, format := range testFeedFormats {
				t.Run(test.name+"/"+server.name+"/"+format.name, func(t *testing.T) {
					f := fetchFeed(t, server.ts, test.prefix+format.suffix, format.contentType)
					if f.Title != test.title || f.Link != server.ts.URL+test.prefix || f.Language != "en" {
						t.Errorf("feed title %q, link %q, language %q", f.Title, f.Link, f.Language)
					}
					got := entriesOf(f)
					// The newest 20, newest first: only this feed's.
					if len(got) > FeedSize || len(got) < len(test.want) {
						t.Fatalf("%d items", len(got))
					}
					for i, title := range test.want {
						if got[i].Title != title {
							t.Errorf("item %d = %q, want %q", i, got[i].Title, title)
						}
					}
					for _, e := range got {
						if e.Title == draft.Title || e.Title == scheduled.Title {
							t.Errorf("the feed shows %q, which is not public", e.Title)
						}
					}
					if diff := cmp.Diff(wantEntries(t, server.ts, as, server.full, format.name), got); diff != "" {
						t.Errorf("items mismatch (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
	if f := fetchFeed(t, summaries, "/feed/", seo.RSSType); len(f.Items) != FeedSize {
		t.Errorf("site feed has %d items, want the latest %d", len(f.Items), FeedSize)
	}
	// The crane article's body links within the site: absolute in the feed.
	f := fetchFeed(t, full, "/feed/atom/", seo.AtomType)
	crane := f.Items[2].Content
	if !strings.Contains(crane, `href="`+full.URL+`/flood-barriers-hold-as-the-ems-crests/"`) || !strings.Contains(crane, `src="`+full.URL+`/static/favicon.svg"`) {
		t.Errorf("relative addresses left in the feed's content: %s", crane)
	}
	if f.Items[2].Description == "" {
		t.Error("an article without description has no summary in the feed")
	}
}

func TestFeedsNotFoundAndScheduled(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	_, scheduled := addFeedArticles(t, ts)
	for _, format := range testFeedFormats {
		for _, prefix := range []string{"/tag/no-such-tag/", "/author/nobody/", "/tag/secret-tag/", "/tag/budget/", "/tag/Bad%20Slug/"} {
			if resp, _ := ts.get(t, prefix+format.suffix); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s%s = %d, want 404", prefix, format.suffix, resp.StatusCode)
			}
		}
	}
	// A scheduled article joins the feeds at its time.
	ts.clock.Set(scheduled.PublishedAt.Add(time.Minute))
	for _, feed := range []struct{ path, contentType string }{
		{"/feed/", seo.RSSType}, {"/tag/budget/feed/atom/", seo.AtomType}, {"/author/ingrid-solheim/feed.json", seo.JSONType},
	} {
		f := fetchFeed(t, ts, feed.path, feed.contentType)
		if len(f.Items) == 0 || f.Items[0].Title != scheduled.Title {
			t.Errorf("GET %s: the newly public %q is not the first item", feed.path, scheduled.Title)
		}
	}
}

func TestFeedCaching(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	ts.add(t, floodArticle())
	for _, format := range testFeedFormats {
		path := "/" + format.suffix
		resp, body := ts.get(t, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || etag == "" || resp.Header.Get("Content-Type") != format.contentType {
			t.Fatalf("GET %s = %d, ETag %q, Content-Type %q", path, resp.StatusCode, etag, resp.Header.Get("Content-Type"))
		}
		if resp, _ := ts.get(t, path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", path, resp.StatusCode)
		}
		resp, head := ts.do(t, http.MethodHead, path)
		if resp.StatusCode != 200 || head != "" || resp.Header.Get("Content-Length") != fmt.Sprint(len(body)) {
			t.Errorf("HEAD %s = %d, %d bytes, Content-Length %s", path, resp.StatusCode, len(head), resp.Header.Get("Content-Length"))
		}
		resp, _ = ts.get(t, path, "Accept-Encoding", "gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != format.contentType {
			t.Errorf("GET %s gzipped: Content-Encoding %q, Content-Type %q", path, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
		}
	}
	// Feed addresses without their slash go to the canonical one.
	if resp, _ := ts.get(t, "/feed"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/feed/" {
		t.Errorf("GET /feed = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Issue 5: titles and descriptions with quotes, markup characters, emoji,
// line breaks, control characters and 10,000 characters keep every feed
// well-formed and parseable. They are stored directly, past the checks an
// import makes, as an older database or another writer might hold them.
func TestFeedsWithHostileText(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	full := withFullFeeds(t, ts)
	long := strings.Repeat("Ünïcode & <long> ", 10000/17+1)[:10000]
	cases := []struct{ title, description string }{
		{`He said "no" & 'yes' <b>bold</b>`, `"Quoted" & <script>alert(1)</script>`},
		{"Harbour 🌊 news 🎉", "Waves 🌊 and ]]> and </description></item>"},
		{"Line one\nline two\r\nthree", "Para one.\n\nPara two."},
		{"Bell\x01 and vertical\x0btab\x1f end", "Form\x0cfeed\x01 \uFFFE end"},
		{long, long},
	}
	for i, c := range cases {
		a := &article.Article{Slug: fmt.Sprintf("hostile-%d", i), Title: c.title, Description: c.description,
			Body: "Body of " + c.description + "\n", Status: article.Published, PublishedAt: published.Add(-time.Duration(i) * time.Hour),
			Author: &article.Author{Name: "Ann <Tag> & \x01Co", Slug: "ann"}, Tags: []article.Tag{{Name: c.title, Slug: fmt.Sprintf("tag-%d", i)}}}
		if err := ts.store.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	descriptions := map[string]string{}
	for _, c := range cases {
		title := strings.Join(strings.Fields(seo.CleanText(c.title)), " ")
		want = append(want, title)
		descriptions[title] = strings.TrimSpace(seo.CleanText(c.description))
	}
	for _, server := range []*testServer{ts, full} {
		for _, feed := range []struct {
			prefix string
			want   []string
		}{{"/", want}, {"/author/ann/", want}, {"/tag/tag-3/", want[3:4]}} {
			for _, format := range testFeedFormats {
				path := feed.prefix + format.suffix
				f := fetchFeed(t, server, path, format.contentType)
				var got []string
				for _, it := range f.Items {
					got = append(got, it.Title)
					if d := strings.TrimSpace(it.Description); d != descriptions[it.Title] {
						t.Errorf("GET %s: item %.40q has description %.40q, want %.40q", path, it.Title, d, descriptions[it.Title])
					}
					if it.Authors[0].Name != "Ann <Tag> & Co" {
						t.Errorf("GET %s: author %q", path, it.Authors[0].Name)
					}
				}
				if diff := cmp.Diff(feed.want, got); diff != "" {
					t.Errorf("GET %s titles mismatch (-want +got):\n%s", path, diff)
				}
			}
		}
	}
}

func TestFeedPathsMatchTheRoutes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	ts.add(t, floodArticle())
	for _, kind := range []struct{ kind, slug string }{{seo.SiteFeed, ""}, {seo.TagFeed, "environment"}, {seo.AuthorFeed, "ingrid-solheim"}} {
		links := seo.FeedLinks(kind.kind, kind.slug, "Name")
		if len(links) != 3 {
			t.Fatalf("%d feed links", len(links))
		}
		for _, l := range links {
			resp, _ := ts.get(t, l.Href)
			if ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";"); resp.StatusCode != 200 || ct != l.Type {
				t.Errorf("GET %s = %d, %q; the link says %q", l.Href, resp.StatusCode, ct, l.Type)
			}
		}
	}
	if !slices.ContainsFunc(seo.FeedLinks(seo.SiteFeed, "", "The Selvik Courier"), func(l seo.FeedLink) bool { return l.Title == "The Selvik Courier (RSS)" }) {
		t.Error("feed link titles do not name the feed")
	}
}
