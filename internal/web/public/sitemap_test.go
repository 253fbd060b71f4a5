package public

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// validateXML checks body against one of the XSDs in internal/seo/testdata
// with xmllint. Without xmllint (Debian's libxml2-utils) the test is
// skipped, except in CI.
func validateXML(t *testing.T, xsd, body string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing: install libxml2-utils")
		}
		t.Skip("xmllint is missing (apt-get install libxml2-utils): the sitemaps are not checked against their XSD")
	}
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join("..", "..", "seo", "testdata", xsd)
	if out, err := exec.Command(bin, "--noout", "--nonet", "--schema", schema, file).CombinedOutput(); err != nil {
		t.Errorf("xmllint --schema %s: %v\n%s\n%.2000s", xsd, err, out, body)
	}
}

// sitemapDoc reads a sitemap, a sitemap index or a news sitemap.
type sitemapDoc struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// getSitemap fetches, validates and reads a sitemap.
func getSitemap(t *testing.T, ts *testServer, path, xsd string) sitemapDoc {
	t.Helper()
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("GET %s = %d, %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc sitemapDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	validateXML(t, xsd, body)
	return doc
}

// locs maps a sitemap's addresses, relative to the site, to their lastmod.
func locs(ts *testServer, doc sitemapDoc) map[string]string {
	out := map[string]string{}
	for _, u := range doc.URLs {
		out[strings.TrimPrefix(u.Loc, ts.URL)] = u.LastMod
	}
	return out
}

func lastmod(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func TestSitemap(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	draft, scheduled := addFeedArticles(t, ts)
	as, err := ts.store.Articles(ctx, store.ArticleQuery{PublicAt: ts.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/": lastmod(lastUpdate(as))}
	tags, authors := map[string]time.Time{}, map[string]time.Time{}
	for _, a := range as {
		want["/"+a.Slug+"/"] = lastmod(a.UpdatedAt)
		for _, tg := range a.Tags {
			tags[tg.Slug] = maxTime(tags[tg.Slug], a.UpdatedAt)
		}
		if a.Author != nil {
			authors[a.Author.Slug] = maxTime(authors[a.Author.Slug], a.UpdatedAt)
		}
	}
	for slug, t := range tags {
		want["/tag/"+slug+"/"] = lastmod(t)
	}
	for slug, t := range authors {
		want["/author/"+slug+"/"] = lastmod(t)
	}
	doc := getSitemap(t, ts, "/sitemap.xml", "sitemap.xsd")
	if doc.XMLName.Local != "urlset" {
		t.Fatalf("root %v, want a urlset", doc.XMLName)
	}
	got := locs(ts, doc)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sitemap mismatch (-want +got):\n%s", diff)
	}
	// Spelled out, as the expectation above follows the store.
	for _, p := range []string{"/", "/flood-barriers-hold-as-the-ems-crests/", "/harbour-crane-restored/", "/tag/selvik/", "/tag/archive/", "/author/ingrid-solheim/", "/author/jonas-ek/"} {
		if _, ok := got[p]; !ok {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	for _, p := range []string{"/" + draft.Slug + "/", "/" + scheduled.Slug + "/", "/tag/secret-tag/", "/tag/budget/"} {
		if _, ok := got[p]; ok {
			t.Errorf("sitemap lists %s, which is not public", p)
		}
	}
	// The home page, 23 articles, 4 tags and 2 authors.
	if len(got) != 30 {
		t.Errorf("%d addresses, want 30", len(got))
	}
	if resp, _ := ts.get(t, "/sitemap-1.xml"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /sitemap-1.xml = %d without an index, want 404", resp.StatusCode)
	}
	// A scheduled article joins at its time.
	ts.clock.Set(scheduled.PublishedAt)
	if got := locs(ts, getSitemap(t, ts, "/sitemap.xml", "sitemap.xsd")); got["/"+scheduled.Slug+"/"] == "" || got["/tag/budget/"] == "" {
		t.Error("the scheduled article is not in the sitemap at its time")
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Not parallel: it lowers the sitemap limit for its duration.
func TestSitemapIndex(t *testing.T) {
	defer func(n int) { sitemapLimit = n }(sitemapLimit)
	sitemapLimit = 7
	ts := newTestServer(t, time.Minute, "")
	addFeedArticles(t, ts)
	// 30 addresses (see TestSitemap) in sitemaps of 7: five of them.
	index := getSitemap(t, ts, "/sitemap.xml", "siteindex.xsd")
	if index.XMLName.Local != "sitemapindex" || len(index.Sitemaps) != 5 {
		t.Fatalf("root %v with %d sitemaps, want a sitemapindex of 5", index.XMLName, len(index.Sitemaps))
	}
	all := map[string]string{}
	for i, s := range index.Sitemaps {
		path := fmt.Sprintf("/sitemap-%d.xml", i+1)
		if s.Loc != ts.URL+path || s.LastMod == "" {
			t.Errorf("sitemap %d: loc %q, lastmod %q", i+1, s.Loc, s.LastMod)
		}
		doc := getSitemap(t, ts, path, "sitemap.xsd")
		if n := len(doc.URLs); n > sitemapLimit || n == 0 {
			t.Errorf("GET %s: %d addresses", path, n)
		}
		var newest string
		for loc, mod := range locs(ts, doc) {
			if _, dup := all[loc]; dup {
				t.Errorf("%s is in two sitemaps", loc)
			}
			all[loc] = mod
			newest = max(newest, mod)
		}
		if newest != s.LastMod {
			t.Errorf("sitemap %d: lastmod %s in the index, %s in the file", i+1, s.LastMod, newest)
		}
	}
	if len(all) != 30 || all["/"] == "" || all["/author/jonas-ek/"] == "" {
		t.Errorf("the sitemaps list %d addresses, want all 30", len(all))
	}
	if resp, _ := ts.get(t, "/sitemap-6.xml"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /sitemap-6.xml = %d, want 404", resp.StatusCode)
	}
	// Unrouted, these go the way of any unknown address.
	for _, p := range []string{"/sitemap-0.xml", "/sitemap-01.xml", "/sitemap-201.xml"} {
		if resp, _ := ts.get(t, p); resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s = 200, want no sitemap", p)
		}
	}
	// Cached: asked again, the same answer, and 304 to its ETag.
	resp, _ := ts.get(t, "/sitemap-2.xml")
	if resp, _ := ts.get(t, "/sitemap-2.xml", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET /sitemap-2.xml with its ETag = %d, want 304", resp.StatusCode)
	}
}

func TestNewsSitemap(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	now := ts.clock.Now()
	recent := ts.add(t, &article.Article{Title: `Quay "Reopens" <Today> & 🌊`, Body: "Text.\n", PublishedAt: now.Add(-time.Hour)})
	yesterday := ts.add(t, &article.Article{Title: "Council Votes", Body: "Text.\n", PublishedAt: now.Add(-47 * time.Hour)})
	ts.add(t, &article.Article{Title: "Old News", Body: "Text.\n", PublishedAt: now.Add(-49 * time.Hour)})
	ts.add(t, &article.Article{Title: "Draft News", Body: "Text.\n", Status: article.Draft})
	ts.add(t, &article.Article{Title: "Tomorrow's News", Body: "Text.\n", PublishedAt: now.Add(time.Hour)})
	hostile := &article.Article{Slug: "hostile", Title: "Bell\x01 tab\x0b\nnew line " + strings.Repeat("x", 10000), Body: "Text.\n",
		Status: article.Published, PublishedAt: now.Add(-2 * time.Hour)}
	if err := ts.store.CreateArticle(ctx, hostile); err != nil {
		t.Fatal(err)
	}
	doc := getSitemap(t, ts, "/news-sitemap.xml", "news-sitemap.xsd")
	type entry struct{ Loc, Name, Language, Date, Title string }
	var got []entry
	for _, u := range doc.URLs {
		if u.News == nil {
			t.Fatalf("%s has no news:news", u.Loc)
		}
		got = append(got, entry{u.Loc, u.News.Name, u.News.Language, u.News.Date, u.News.Title})
	}
	want := []entry{
		{ts.URL + "/" + recent.Slug + "/", "The Selvik Courier", "en", lastmod(recent.PublishedAt), recent.Title},
		{ts.URL + "/hostile/", "The Selvik Courier", "en", lastmod(hostile.PublishedAt), "Bell tab new line " + strings.Repeat("x", 10000)},
		{ts.URL + "/" + yesterday.Slug + "/", "The Selvik Courier", "en", lastmod(yesterday.PublishedAt), "Council Votes"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("news sitemap mismatch (-want +got):\n%s", diff)
	}
	// And the whole-site sitemap stays valid with that title in the store.
	getSitemap(t, ts, "/sitemap.xml", "sitemap.xsd")
}

func TestRobotsTxt(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	resp, body := ts.get(t, "/robots.txt")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("GET /robots.txt = %d, %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	want := "User-agent: *\nAllow: /\nDisallow: /admin/\n\n" +
		"Sitemap: " + ts.URL + "/sitemap.xml\nSitemap: " + ts.URL + "/news-sitemap.xml\n"
	if body != want {
		t.Errorf("robots.txt = %q, want %q", body, want)
	}
	// Each address it names answers.
	for _, l := range strings.Split(body, "\n") {
		if p, ok := strings.CutPrefix(l, "Sitemap: "+ts.URL); ok {
			if resp, _ := ts.get(t, p); resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d", p, resp.StatusCode)
			}
		}
	}
	if !slices.Contains(strings.Split(body, "\n"), "Disallow: /admin/") {
		t.Error("the admin is not disallowed")
	}
}

// Not parallel: it lowers the sitemap limit. Past it, the index and the
// numbered sitemaps, asked for together, read the articles once; a purge
// after a change makes the next sitemap read them again.
func TestSitemapsShareOneReading(t *testing.T) {
	defer func(n int) { sitemapLimit = n }(sitemapLimit)
	sitemapLimit = 7
	ts := newTestServer(t, 0, "")
	addFeedArticles(t, ts)
	counting := &callCounter{Store: ts.store, calls: map[string]int{}}
	counted, reader := countedServer(t, ts, counting, Options{CacheFor: time.Hour})
	counting.take()
	all := map[string]string{}
	getSitemap(t, counted, "/sitemap.xml", "siteindex.xsd")
	for i := 1; i <= 5; i++ {
		for loc, mod := range locs(counted, getSitemap(t, counted, fmt.Sprintf("/sitemap-%d.xml", i), "sitemap.xsd")) {
			all[loc] = mod
		}
	}
	if calls := counting.take(); calls["Articles"] != 1 {
		t.Errorf("the index and five sitemaps read the articles %d times, want once", calls["Articles"])
	}
	if all["/filler-0/"] == "" {
		t.Fatalf("filler-0 is in no sitemap: %v", all)
	}

	// Unpublished, and the purge a node makes of it.
	gone, err := ts.store.Article(ctx, "filler-0")
	if err != nil {
		t.Fatal(err)
	}
	gone.Status = article.Draft
	if err := ts.store.UpdateArticle(ctx, gone, "unpublished"); err != nil {
		t.Fatal(err)
	}
	reader.Purge([]string{purge.Article(gone.ID), purge.Sitemap}, true, false)
	for i := 1; i <= 5; i++ {
		path := fmt.Sprintf("/sitemap-%d.xml", i)
		if resp, _ := counted.get(t, path); resp.StatusCode != http.StatusOK {
			continue // one sitemap fewer
		}
		if _, ok := locs(counted, getSitemap(t, counted, path, "sitemap.xsd"))["/filler-0/"]; ok {
			t.Errorf("%s lists the unpublished filler-0 after the purge", path)
		}
	}
}
