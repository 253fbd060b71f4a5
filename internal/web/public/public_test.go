package public

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/web"
	"golang.org/x/net/html"
)

var ctx = context.Background()

type testServer struct {
	*httptest.Server
	handlers *Handlers
	store    store.Store
	views    *ViewCounter
	clock    *testclock.Clock
	logs     *bytes.Buffer
}

// newTestServer serves the reader pages from a fresh SQLite file, with the
// embedded theme (or themeDir's) and a page cache of cacheFor; configure
// may change the options and the site before the server starts.
func newTestServer(t *testing.T, cacheFor time.Duration, themeDir string, configure ...func(*Options, *web.Site)) *testServer {
	t.Helper()
	c := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tpl, err := web.LoadTemplates(themeDir)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets(themeDir)
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil))
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: c.Now, Info: web.SiteInfo{Title: "The Selvik Courier", Description: "News from Selvik", Language: "en"}}
	views := NewViewCounter(s, logger, c.Now)
	mux := http.NewServeMux()
	secret, err := s.Secret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{CacheFor: cacheFor, Now: c.Now, Secret: secret}
	for _, fn := range configure {
		fn(&opts, site)
	}
	reader, err := New(site, s, render.New(), views, opts)
	if err != nil {
		t.Fatal(err)
	}
	reader.Register(mux)
	mux.Handle("GET /test-panic/{$}", site.Handle(func(http.ResponseWriter, *http.Request) error { panic("boom") }))
	srv := httptest.NewServer(site.Middleware(CanonicalSlash(mux)))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, handlers: reader, store: s, views: views, clock: c, logs: logs}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// add stores an article the way an import would.
func (ts *testServer) add(t *testing.T, a *article.Article) *article.Article {
	t.Helper()
	a.SetWordCount(render.New().WordCount([]byte(a.Body)))
	if err := a.Validate(ts.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (ts *testServer) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return ts.do(t, http.MethodGet, path, header...)
}

func (ts *testServer) do(t *testing.T, method, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// No automatic gzip: the tests look at what the server sends.
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

var published = testclock.Date(2026, 11, 20, 8, 0)

const floodBody = `The river crested at 4.3 metres overnight.

## What happened

Water reached the top step of the quay — but no further.

### The barriers

- Twelve gates closed
- Two pumps ran all night

> “They held,” said the harbour master.

## What comes next

Inspections start on Monday.
`

func floodArticle() *article.Article {
	return &article.Article{
		Title:          "Flood Barriers Hold as the Ems Crests",
		Description:    "The new barriers on the Ems held through the highest water in a decade, the city said on Thursday morning.",
		Body:           floodBody,
		PublishedAt:    published,
		Author:         &article.Author{Name: "Ingrid Solheim", Bio: "Covers the environment."},
		Tags:           article.TagsFromNames("Environment", "Selvik"),
		RequestedLinks: []string{"Night trams are back", "A title nobody wrote"},
	}
}

func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// findAll returns the elements under n for which match holds.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		for _, c := range strings.Fields(attr(n, "class")) {
			if c == class {
				return true
			}
		}
		return false
	}
}

func TestArticlePage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	ts.add(t, &article.Article{Title: "Night Trams Are Back", Body: "They run all night.\n", PublishedAt: published.Add(-time.Hour), Author: &article.Author{Name: "Jonas Ek"}})
	a := ts.add(t, floodArticle())

	resp, body := ts.get(t, "/"+a.Slug+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	if h1 := findAll(doc, tag("h1")); len(h1) != 1 || text(h1[0]) != a.Title {
		t.Errorf("h1 elements = %d, want one with the headline", len(h1))
	}
	metas := findAll(doc, func(n *html.Node) bool { return n.Data == "meta" && attr(n, "name") == "description" })
	if len(metas) != 1 || attr(metas[0], "content") != a.Description {
		t.Errorf("meta description = %v", metas)
	}
	if sf := findAll(doc, hasClass("standfirst")); len(sf) != 1 || text(sf[0]) != a.Description {
		t.Error("standfirst missing or wrong")
	}
	byline := findAll(doc, hasClass("byline"))
	if len(byline) != 1 {
		t.Fatal("no byline")
	}
	bl := text(byline[0])
	for _, want := range []string{"By Ingrid Solheim", "Published " + published.Format("2 January 2006"), "1 min read", "0 comments", "0 views"} {
		if !strings.Contains(bl, want) {
			t.Errorf("byline %q lacks %q", bl, want)
		}
	}
	if times := findAll(byline[0], tag("time")); len(times) == 0 || attr(times[0], "datetime") != published.Format(time.RFC3339) {
		t.Errorf("byline time = %v", times)
	}
	if links := findAll(byline[0], func(n *html.Node) bool { return attr(n, "href") == "/author/ingrid-solheim/" }); len(links) != 1 {
		t.Error("byline does not link to the author page")
	}
	// Every H2/H3 of the body has an id, and the table of contents links
	// to each, in order.
	var ids []string
	for _, h := range findAll(doc, func(n *html.Node) bool {
		return (n.Data == "h2" || n.Data == "h3") && n.Parent != nil && attr(n.Parent, "class") == "article-body"
	}) {
		if attr(h, "id") == "" {
			t.Errorf("heading %q has no id", text(h))
		}
		ids = append(ids, "#"+attr(h, "id"))
	}
	var tocLinks []string
	for _, toc := range findAll(doc, hasClass("toc")) {
		for _, l := range findAll(toc, tag("a")) {
			tocLinks = append(tocLinks, attr(l, "href"))
		}
	}
	if strings.Join(ids, " ") != "#what-happened #the-barriers #what-comes-next" || strings.Join(tocLinks, " ") != strings.Join(ids, " ") {
		t.Errorf("heading ids %v, table of contents links %v", ids, tocLinks)
	}
	if len(findAll(doc, tag("blockquote"))) != 1 || len(findAll(doc, tag("ul"))) < 2 {
		t.Error("quote or list missing from the body")
	}
	var tags []string
	for _, l := range findAll(doc, func(n *html.Node) bool { return attr(n, "rel") == "tag" }) {
		tags = append(tags, attr(l, "href"))
	}
	if strings.Join(tags, " ") != "/tag/environment/ /tag/selvik/" {
		t.Errorf("tag links = %v", tags)
	}
	related := findAll(doc, hasClass("related"))
	if len(related) != 1 || text(related[0]) != "Related articles Night Trams Are Back" {
		t.Errorf("related articles = %q, want the one requested link that resolves", text(related[0]))
	}
	comments := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "comments" })
	if len(comments) != 1 || !strings.Contains(text(comments[0]), "0 comments") || !strings.Contains(text(comments[0]), "Leave a Reply") {
		t.Error("comments region with its count missing")
	}
	if resp.Header.Get("Set-Cookie") != "" {
		t.Error("the article page sets a cookie")
	}
}

func TestReferenceArticlePage(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "reference-article.txt"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skipf("reference article missing (../shared/fixtures beside the checkout): %v", err)
	}
	ts := newTestServer(t, 0, "")
	a := importText(t, ts, raw)
	_, body := ts.get(t, "/"+a.Slug+"/")
	doc := parseHTML(t, body)
	if h1 := findAll(doc, tag("h1")); len(h1) != 1 || text(h1[0]) != a.Title {
		t.Errorf("want the headline as the only h1, got %d", len(h1))
	}
	headings := findAll(doc, func(n *html.Node) bool {
		return (n.Data == "h2" || n.Data == "h3") && attr(n.Parent, "class") == "article-body"
	})
	if len(headings) != 32 {
		t.Errorf("%d body headings, want the 32 of the expected outline", len(headings))
	}
	tocTargets := map[string]bool{}
	for _, toc := range findAll(doc, hasClass("toc")) {
		for _, l := range findAll(toc, tag("a")) {
			tocTargets[attr(l, "href")] = true
		}
	}
	for _, h := range headings {
		if !tocTargets["#"+attr(h, "id")] {
			t.Errorf("heading %q (id %q) is not linked from the table of contents", text(h), attr(h, "id"))
		}
	}
	main := findAll(doc, hasClass("article-body"))[0]
	content := text(main)
	for _, furniture := range []string{"Meta Description", "Suggested Internal Linking", "Related Article:", "Leave a Reply", "Your email address will not be published"} {
		if strings.Contains(content, furniture) {
			t.Errorf("page shows the text-page furniture %q", furniture)
		}
	}
	for _, p := range findAll(main, tag("p")) {
		if t2 := text(p); t2 == "0" || t2 == "1" {
			t.Errorf("page shows a bare counter paragraph %q", t2)
		}
	}
	bl := text(findAll(doc, hasClass("byline"))[0])
	if !strings.Contains(bl, "0 comments") || !strings.Contains(bl, "views") || !strings.Contains(bl, "8 min read") {
		t.Errorf("byline = %q", bl)
	}
}

func TestDraftsAndScheduledArticlesAreNotPublic(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	draft := ts.add(t, &article.Article{Title: "Secret Budget Draft", Body: "Not yet.\n", Status: article.Draft})
	soon := ts.clock.Now().Add(time.Hour)
	scheduled := ts.add(t, &article.Article{Title: "Eclipse Guide", Body: "Look up.\n", PublishedAt: soon, Tags: article.TagsFromNames("Sky"), Author: &article.Author{Name: "Ada Brandt"}})
	for _, p := range []string{"/" + draft.Slug + "/", "/" + scheduled.Slug + "/", "/tag/sky/", "/author/ada-brandt/"} {
		if resp, body := ts.get(t, p); resp.StatusCode != 404 || !strings.Contains(body, "Page not found") {
			t.Errorf("GET %s = %d, want the themed 404", p, resp.StatusCode)
		}
	}
	if _, body := ts.get(t, "/"); strings.Contains(body, "Eclipse") || strings.Contains(body, "Secret") {
		t.Error("home page lists a draft or a scheduled article")
	}
	// The scheduled time comes: the article appears without a restart,
	// even though the home page was cached a moment ago.
	ts.clock.Set(soon.Add(2 * time.Minute))
	if resp, _ := ts.get(t, "/"+scheduled.Slug+"/"); resp.StatusCode != 200 {
		t.Errorf("scheduled article after its time: %d", resp.StatusCode)
	}
	if _, body := ts.get(t, "/"); !strings.Contains(body, "Eclipse Guide") {
		t.Error("home page does not list the article whose time has come")
	}
}

// Listings page the same whether the listing is read for each page
// (no cache) or once and then page by page by ID (a cache, as serve and
// export run).
func TestListingsAndPagination(t *testing.T) {
	t.Parallel()
	for _, cacheFor := range []time.Duration{0, time.Hour} {
		t.Run(fmt.Sprintf("cache %v", cacheFor), func(t *testing.T) {
			t.Parallel()
			testListingsAndPagination(t, newTestServer(t, cacheFor, ""))
		})
	}
}

func testListingsAndPagination(t *testing.T, ts *testServer) {
	for i := range 23 {
		a := &article.Article{
			Title:       "Council Meeting Number " + string(rune('A'+i)),
			Description: "Minutes of the meeting.",
			Body:        "The council met.\n",
			PublishedAt: published.Add(time.Duration(i) * time.Hour),
			Author:      &article.Author{Name: []string{"Jonas Ek", "Marta Lind"}[i%2]},
			Tags:        article.TagsFromNames("Council"),
		}
		ts.add(t, a)
	}
	for _, test := range []struct {
		path  string
		cards int
		first string
		prev  string
		next  string
	}{
		{"/page/2/", 10, "Council Meeting Number M", "/", "/page/3/"},
		{"/page/3/", 3, "Council Meeting Number C", "/page/2/", ""},
		{"/tag/council/", 10, "Council Meeting Number W", "", "/tag/council/page/2/"},
		{"/tag/council/page/3/", 3, "Council Meeting Number C", "/tag/council/page/2/", ""},
		{"/author/jonas-ek/", 10, "Council Meeting Number W", "", "/author/jonas-ek/page/2/"},
		{"/author/marta-lind/page/2/", 1, "Council Meeting Number B", "/author/marta-lind/", ""},
	} {
		resp, body := ts.get(t, test.path)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", test.path, resp.StatusCode)
			continue
		}
		doc := parseHTML(t, body)
		cards := findAll(doc, hasClass("card"))
		if len(cards) != test.cards || len(cards) > 0 && text(findAll(cards[0], tag("h2"))[0]) != test.first {
			t.Errorf("GET %s: %d cards starting with %q; want %d starting with %q", test.path, len(cards), text(findAll(cards[0], tag("h2"))[0]), test.cards, test.first)
		}
		var prev, next string
		for _, l := range findAll(doc, tag("a")) {
			switch attr(l, "rel") {
			case "prev":
				prev = attr(l, "href")
			case "next":
				next = attr(l, "href")
			}
		}
		if prev != test.prev || next != test.next {
			t.Errorf("GET %s: prev %q next %q, want %q %q", test.path, prev, next, test.prev, test.next)
		}
		if meta := findAll(doc, func(n *html.Node) bool { return n.Data == "meta" && attr(n, "name") == "description" }); len(meta) != 1 {
			t.Errorf("GET %s: no meta description", test.path)
		}
		if cards := findAll(doc, hasClass("meta")); len(cards) > 0 && !strings.Contains(text(cards[0]), "min read") {
			t.Errorf("GET %s: card lacks the reading time", test.path)
		}
	}
	// The front page leads with the newest story and links to page 2,
	// which goes on after its ten latest headlines.
	resp, body := ts.get(t, "/")
	doc := parseHTML(t, body)
	if lead := findAll(doc, hasClass("lead")); resp.StatusCode != 200 || len(lead) != 1 || text(findAll(lead[0], tag("h2"))[0]) != "Council Meeting Number W" {
		t.Errorf("GET / = %d; want the newest story as the lead", resp.StatusCode)
	}
	if !strings.Contains(body, `<a href="/page/2/" rel="next">`) {
		t.Error("the front page does not link to page 2")
	}
	for _, p := range []string{"/page/4/", "/page/0/", "/page/01/", "/page/x/", "/page/02/", "/tag/council/page/9/", "/tag/nope/", "/author/nobody/", "/no-such-article/"} {
		if resp, body := ts.get(t, p); resp.StatusCode != 404 || !strings.Contains(body, "Page not found") {
			t.Errorf("GET %s = %d, want the themed 404", p, resp.StatusCode)
		}
	}
}

func TestHTTPBehaviour(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	a := ts.add(t, floodArticle())
	path := "/" + a.Slug + "/"

	resp, body := ts.get(t, path)
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lastMod == "" || resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("headers: %v", resp.Header)
	}
	if r, b := ts.get(t, path, "If-None-Match", etag); r.StatusCode != 304 || b != "" {
		t.Errorf("If-None-Match: %d, body %d bytes; want 304 and nothing", r.StatusCode, len(b))
	}
	if r, _ := ts.get(t, path, "If-Modified-Since", lastMod); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since: %d, want 304", r.StatusCode)
	}
	if r, _ := ts.get(t, path, "If-None-Match", `"stale"`); r.StatusCode != 200 {
		t.Errorf("stale If-None-Match: %d, want 200", r.StatusCode)
	}
	r, gz := ts.get(t, path, "Accept-Encoding", "gzip")
	if r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("gzip headers: %v", r.Header)
	} else if zr, err := gzip.NewReader(strings.NewReader(gz)); err != nil {
		t.Error(err)
	} else if plain, _ := io.ReadAll(zr); withoutToken(string(plain)) != withoutToken(body) {
		t.Error("gzipped body differs from the plain one")
	}
	if r, b := ts.do(t, http.MethodHead, path); r.StatusCode != 200 || b != "" || r.Header.Get("Content-Length") != resp.Header.Get("Content-Length") {
		t.Errorf("HEAD: %d, %d bytes, length %q", r.StatusCode, len(b), r.Header.Get("Content-Length"))
	}
	for from, to := range map[string]string{
		"/" + a.Slug:           path,
		"/tag/selvik?ref=feed": "/tag/selvik/?ref=feed",
		"/page/2":              "/page/2/",
	} {
		if r, _ := ts.get(t, from); r.StatusCode != 301 || r.Header.Get("Location") != to {
			t.Errorf("GET %s = %d to %q, want 301 to %q", from, r.StatusCode, r.Header.Get("Location"), to)
		}
	}
	// Static files: hashed names, cached for a year; anything else is 404.
	doc := parseHTML(t, body)
	css := attr(findAll(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" })[0], "href")
	if r, b := ts.get(t, css); r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.Contains(b, "prefers-color-scheme") || r.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("GET %s = %d %v", css, r.StatusCode, r.Header)
	}
	for _, p := range []string{"/static/style.css", "/static/../../go.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/..%2f..%2fgo.mod", "/static/", "/favicon.ico"} {
		if r, _ := ts.get(t, p); r.StatusCode != 404 && r.StatusCode != 301 {
			t.Errorf("GET %s = %d, want 404", p, r.StatusCode)
		}
	}
}

func TestBadRequestsNeverFail(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	for _, test := range []struct {
		path string
		want int
	}{
		{"/?" + strings.Repeat("q=1&", 2000), 400},
		{"/" + strings.Repeat("a", 3000) + "/", 400},
		{"/%ff%fe/", 404},
		{"/%00/", 404},
		{"/?%zz=%%%", 200},
		{"/" + a.Slug + "/?utm_source=%E0%A4%A", 200},
		{"/tag/%3Cscript%3E/", 404},
	} {
		resp, body := ts.get(t, test.path)
		if resp.StatusCode != test.want {
			t.Errorf("GET %.60s = %d, want %d", test.path, resp.StatusCode, test.want)
		}
		if resp.StatusCode >= 400 && !strings.Contains(body, "<h1>") {
			t.Errorf("GET %.60s: not the themed error page", test.path)
		}
	}
	// A body on a GET is ignored.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/"+a.Slug+"/", strings.NewReader(strings.Repeat("x", 1<<20)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET with a body = %d", resp.StatusCode)
	}
}

func TestPanicGivesThemed500AndServerGoesOn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	resp, body := ts.get(t, "/test-panic/")
	if resp.StatusCode != 500 || !strings.Contains(body, "Something went wrong") || strings.Contains(body, "boom") {
		t.Errorf("panic answered %d: %.200s", resp.StatusCode, body)
	}
	if !strings.Contains(ts.logs.String(), "boom") || !strings.Contains(ts.logs.String(), "goroutine") {
		t.Error("the panic and its stack were not logged")
	}
	if resp, _ := ts.get(t, "/"); resp.StatusCode != 200 {
		t.Errorf("after a panic, GET / = %d", resp.StatusCode)
	}
}

func TestViewCounter(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	a := ts.add(t, floodArticle())
	path := "/" + a.Slug + "/"
	for range 3 {
		ts.get(t, path, "User-Agent", firefox)
	}
	ts.do(t, http.MethodHead, path, "User-Agent", firefox) // not a view
	ts.get(t, "/"+a.Slug+"-missing/")                      // not found, not a view
	if err := ts.views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := ts.store.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Views != 3 {
		t.Errorf("views after 3 GETs and a HEAD = %d, want 3", got.Views)
	}
	if err := ts.views.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := ts.store.Article(ctx, a.Slug); again.Views != 3 {
		t.Errorf("a second flush changed views to %d", again.Views)
	}
}

// Browsers' User-Agents, as sent in 2025.
const (
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	chrome  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	safari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)

// Issue: views were counted for curl and for crawlers. Each request here
// is served from the page cache but the first, which a crawler builds.
func TestViewsCountOnlyReadersBrowsers(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	a := ts.add(t, floodArticle())
	path := "/" + a.Slug + "/"
	for _, test := range []struct {
		name   string
		header []string
		count  bool
	}{
		{"Googlebot", []string{"User-Agent", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.0.0 Safari/537.36"}, false},
		{"Firefox", []string{"User-Agent", firefox}, true},
		{"Chrome", []string{"User-Agent", chrome}, true},
		{"Safari on an iPhone", []string{"User-Agent", safari}, true},
		{"a phone whose brand ends in bot", []string{"User-Agent", "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"}, true},
		{"bingbot", []string{"User-Agent", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"}, false},
		{"Baiduspider", []string{"User-Agent", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"}, false},
		{"Yahoo! Slurp", []string{"User-Agent", "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)"}, false},
		{"Facebook's link preview", []string{"User-Agent", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"}, false},
		{"Twitter's link preview", []string{"User-Agent", "Mozilla/5.0 (compatible; Twitterbot/1.0)"}, false},
		{"curl", []string{"User-Agent", "curl/8.5.0"}, false},
		{"Wget", []string{"User-Agent", "Wget/1.21.4"}, false},
		{"python-requests", []string{"User-Agent", "python-requests/2.31.0"}, false},
		{"Go", []string{"User-Agent", "Go-http-client/1.1"}, false},
		{"headless Chrome", []string{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36"}, false},
		{"no User-Agent", []string{"User-Agent", ""}, false},
		{"Chrome prefetching", []string{"User-Agent", chrome, "Sec-Purpose", "prefetch"}, false},
		{"Chrome prerendering", []string{"User-Agent", chrome, "Sec-Purpose", "prefetch;prerender"}, false},
		{"an older prefetch", []string{"User-Agent", firefox, "Purpose", "prefetch"}, false},
		{"Safari's preview", []string{"User-Agent", safari, "X-Purpose", "preview"}, false},
		{"Firefox again", []string{"User-Agent", firefox}, true},
	} {
		if err := ts.views.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		before, err := ts.store.Article(ctx, a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := ts.get(t, path, test.header...); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET %s = %d", test.name, path, resp.StatusCode)
		}
		if err := ts.views.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		after, err := ts.store.Article(ctx, a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if counted := after.Views > before.Views; counted != test.count {
			t.Errorf("%s: counted %v, want %v", test.name, counted, test.count)
		}
	}
}

// failingStore fails AddViews, to check that counts survive a failed flush.
type failingStore struct {
	store.ArticleStore
	fail  bool
	added int64
}

func (f *failingStore) AddViews(_ context.Context, _ time.Time, views map[int64]int64) error {
	if f.fail {
		return errors.New("database is down")
	}
	for _, n := range views {
		f.added += n
	}
	return nil
}

func TestViewCounterKeepsCountsWhenTheStoreFails(t *testing.T) {
	t.Parallel()
	fs := &failingStore{fail: true}
	v := NewViewCounter(fs, slog.New(slog.NewTextHandler(io.Discard, nil)), testclock.New(published).Now)
	v.Count(1)
	v.Count(1)
	if err := v.Flush(ctx); err == nil {
		t.Fatal("Flush succeeded against a failing store")
	}
	v.Count(1)
	fs.fail = false
	if err := v.Flush(ctx); err != nil || fs.added != 3 {
		t.Errorf("after recovery: added %d, err %v; want all 3 views", fs.added, err)
	}
}

func TestThemeOverride(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "error.html"), []byte(`{{define "content"}}<h1>Lost at sea</h1><p>{{.Message}}</p>{{end}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "static", "style.css"), []byte("body { color: teal; }"), 0o644)
	ts := newTestServer(t, 0, dir)
	_, body := ts.get(t, "/no-such-page/")
	if !strings.Contains(body, "Lost at sea") {
		t.Error("the theme's error.html was not used")
	}
	doc := parseHTML(t, body)
	css := attr(findAll(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" })[0], "href")
	if _, b := ts.get(t, css); b != "body { color: teal; }" {
		t.Errorf("the theme's style.css was not served: %q", b)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "layout.html"), []byte(`{{define "layout"}}{{.Nope`), 0o644)
	if _, err := web.LoadTemplates(bad); err == nil || !strings.Contains(err.Error(), "layout.html") {
		t.Errorf("a broken theme template: err = %v, want one naming layout.html", err)
	}
	// Issue 12: a theme's broken page stops the reader pages from being
	// made, rather than failing a reader's request.
	for _, src := range []string{
		`{{define "content"}}<h1>{{.Headline}}</h1>{{end}}`,
		`{{define "content"}}<h1>{{.Article.Headline}}</h1>{{end}}`,
		`{{define "content"}}<h1>{{.Article.Title}</h1>{{end}}`,
		`{{define "content"}}<h1>{{date .Article.Title}}</h1>{{end}}`,
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "article.html"), []byte(src), 0o644)
		tpl, err := web.LoadTemplates(dir)
		if err != nil {
			t.Fatal(err)
		}
		now := testclock.New(published).Now
		_, err = New(&web.Site{Templates: tpl, Now: now}, nil, nil, nil, Options{Now: now})
		if want := filepath.Join(dir, "article.html") + ":1:"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("article.html %s: err = %v, want one naming %s", src, err, want)
		}
	}
}

func TestHTMLInjection(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, &article.Article{
		Title:       `<script>alert("title")</script> & “quotes”`,
		Description: `"><img src=x onerror=alert(1)>`,
		Body:        "Body <script>alert('body')</script> <img src=x onerror=alert(2)>\n",
		PublishedAt: published,
		Author:      &article.Author{Name: `<b onmouseover="x()">Evil</b>`},
		Tags:        article.TagsFromNames(`<i>tag</i>`),
	})
	for _, p := range []string{"/" + a.Slug + "/", "/", "/tag/" + a.Tags[0].Slug + "/", "/author/" + a.Author.Slug + "/"} {
		resp, body := ts.get(t, p)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", p, resp.StatusCode)
		}
		checkNoInjection(t, p, body)
	}
}

// checkNoInjection checks that the page at p carries hostile text as
// text: no script but intact JSON-LD, no element or handler of its own.
func checkNoInjection(t *testing.T, p, body string) {
	t.Helper()
	doc := parseHTML(t, body)
	// The only scripts are structured data, intact JSON that carries
	// the hostile text as text.
	for _, sc := range findAll(doc, tag("script")) {
		var v any
		if attr(sc, "type") != "application/ld+json" || json.Unmarshal([]byte(sc.FirstChild.Data), &v) != nil {
			t.Errorf("GET %s: page has a script that is not JSON-LD: %s", p, text(sc))
		}
	}
	if strings.Count(body, "</script>") != strings.Count(body, `<script type="application/ld+json">`) {
		t.Errorf("GET %s: a script element was closed early", p)
	}
	// The body's <img> survives sanitising without its handler; the
	// title's and description's are text.
	if imgs := findAll(doc, tag("img")); len(imgs) > 1 {
		t.Errorf("GET %s: injected markup became an img element", p)
	}
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		for _, at := range n.Attr {
			if strings.HasPrefix(at.Key, "on") {
				t.Errorf("GET %s: <%s> has the event handler %s", p, n.Data, at.Key)
			}
		}
		if n.Data == "i" || n.Data == "b" {
			t.Errorf("GET %s: injected <%s> element", p, n.Data)
		}
	}
}

// The reader pages are declared, each rendering its zero value (Declare
// checks that), and the site's templates have no page file besides.
func TestTemplatesDeclared(t *testing.T) {
	t.Parallel()
	tpl, err := web.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := declareTemplates(tpl); err != nil {
		t.Fatal(err)
	}
	if files, err := tpl.Undeclared(); err != nil || len(files) > 0 {
		t.Errorf("template files of no page: %v %v", files, err)
	}
}

var tokenValue = regexp.MustCompile(`name="dl_token" value="[^"]*"`)

// withoutToken blanks the per-request form token of a page.
func withoutToken(page string) string {
	return tokenValue.ReplaceAllString(page, `name="dl_token" value=""`)
}

// Listings keep the articles they show for the cache time, and a node
// that hears of an edit (its article's key purged) shows the new
// headline on the next render of every listing, not a cache time later.
func TestListingsFollowAPurgedEdit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Hour, "")
	published := ts.clock.Now().Add(-time.Hour)
	a := ts.add(t, &article.Article{Title: "Ferry Timetable Changes", Description: "The winter timetable starts early.", Body: "The ferry company moved the winter timetable forward.\n",
		Status: article.Published, PublishedAt: published, Tags: article.TagsFromNames("Ferries"), Author: &article.Author{Name: "Ada Brandt"}})
	pages := []string{"/tag/ferries/", "/author/ada-brandt/"}
	for _, p := range pages {
		if _, body := ts.get(t, p); !strings.Contains(body, "Ferry Timetable Changes") {
			t.Fatalf("%s does not list the article", p)
		}
	}
	a.Title = "Ferry Timetable Moves Forward"
	if err := ts.store.UpdateArticle(ctx, a, "headline"); err != nil {
		t.Fatal(err)
	}
	ts.handlers.Purge([]string{purge.Article(a.ID)}, false, false)
	for _, p := range pages {
		if _, body := ts.get(t, p); !strings.Contains(body, "Ferry Timetable Moves Forward") {
			t.Errorf("after the edit and its purge, %s does not show the new headline", p)
		}
	}
}
