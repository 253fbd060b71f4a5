package public

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/web"
	"golang.org/x/net/html"
)

// head collects a page's head: meta tags by name or property (repeated
// ones in order), links by rel, and the JSON-LD objects by @type.
type head struct {
	meta   map[string][]string
	links  map[string][]*html.Node
	ld     map[string]map[string]any
	title  string
	robots string
}

func parseHead(t *testing.T, body string) head {
	t.Helper()
	doc := parseHTML(t, body)
	h := head{meta: map[string][]string{}, links: map[string][]*html.Node{}, ld: map[string]map[string]any{}}
	for _, m := range findAll(doc, tag("meta")) {
		key := attr(m, "property")
		if key == "" {
			key = attr(m, "name")
		}
		h.meta[key] = append(h.meta[key], attr(m, "content"))
	}
	for _, l := range findAll(doc, tag("link")) {
		h.links[attr(l, "rel")] = append(h.links[attr(l, "rel")], l)
	}
	for _, s := range findAll(doc, tag("script")) {
		var v map[string]any
		if err := json.Unmarshal([]byte(s.FirstChild.Data), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, s.FirstChild.Data)
		}
		h.ld[v["@type"].(string)] = v
	}
	h.title = text(findAll(doc, tag("title"))[0])
	if r := h.meta["robots"]; len(r) > 0 {
		h.robots = r[0]
	}
	return h
}

func TestArticleHead(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := floodArticle()
	a.Body = "![The barrier at dawn](/static/favicon.svg)\n\n" + a.Body
	a = ts.add(t, a)
	_, body := ts.get(t, "/"+a.Slug+"/")
	h := parseHead(t, body)
	canonical := ts.URL + "/" + a.Slug + "/"
	if h.title != a.Title+" – The Selvik Courier" {
		t.Errorf("title = %q", h.title)
	}
	if got := attr(h.links["canonical"][0], "href"); got != canonical {
		t.Errorf("canonical = %q", got)
	}
	for key, want := range map[string]string{
		"description":            a.Description,
		"og:type":                "article",
		"og:title":               a.Title,
		"og:description":         a.Description,
		"og:url":                 canonical,
		"og:site_name":           "The Selvik Courier",
		"og:image":               ts.URL + "/static/favicon.svg",
		"article:published_time": published.Format(time.RFC3339),
		"article:author":         ts.URL + "/author/ingrid-solheim/",
		"article:section":        "Environment",
		"twitter:card":           "summary_large_image",
		"twitter:title":          a.Title,
	} {
		if got := h.meta[key]; len(got) == 0 || got[0] != want {
			t.Errorf("meta %s = %q, want %q", key, got, want)
		}
	}
	if tags := h.meta["article:tag"]; strings.Join(tags, ",") != "Environment,Selvik" {
		t.Errorf("article:tag = %v", tags)
	}
	if h.robots != "" {
		t.Errorf("an article is marked %q", h.robots)
	}
	if len(h.links["alternate"]) != 3 {
		t.Errorf("%d feed links, want the site's three", len(h.links["alternate"]))
	}
	na := h.ld["NewsArticle"]
	if na == nil {
		t.Fatal("no NewsArticle")
	}
	author := na["author"].([]any)[0].(map[string]any)
	publisher := na["publisher"].(map[string]any)
	if na["headline"] != a.Title || na["datePublished"] != published.Format(time.RFC3339) || author["@type"] != "Person" ||
		author["url"] != ts.URL+"/author/ingrid-solheim/" || publisher["@type"] != "Organization" ||
		publisher["logo"].(map[string]any)["url"] == "" || na["mainEntityOfPage"].(map[string]any)["@id"] != canonical ||
		na["articleSection"] != "Environment" || na["keywords"] != "Environment, Selvik" || na["wordCount"].(float64) < 30 ||
		na["image"].([]any)[0] != ts.URL+"/static/favicon.svg" {
		t.Errorf("NewsArticle = %v", na)
	}
	crumbs := h.ld["BreadcrumbList"]["itemListElement"].([]any)
	if len(crumbs) != 3 || crumbs[1].(map[string]any)["item"] != ts.URL+"/tag/environment/" {
		t.Errorf("breadcrumbs = %v", crumbs)
	}
}

func TestGeneratedDescription(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, &article.Article{
		Title:       "Harbour Fees Rise",
		Body:        "## Why\n\nThe **port authority** raised [berth fees](https://example.org/fees) by _four percent_ on Monday, citing the cost of the new cranes and of dredging the outer channel, which silted up after the autumn storms.\n\nMore text follows.\n",
		PublishedAt: published,
	})
	_, body := ts.get(t, "/"+a.Slug+"/")
	d := parseHead(t, body).meta["description"][0]
	n := utf8.RuneCountInString(d)
	if n < seo.MinDescription || n > seo.MaxDescription || strings.ContainsAny(d, "*_[]#") || !strings.HasPrefix(d, "The port authority raised berth fees by four percent") || !strings.HasSuffix(d, "…") {
		t.Errorf("generated description (%d characters) = %q", n, d)
	}
	if cut := strings.TrimSuffix(d, "…"); !strings.Contains(a.Body, strings.TrimSpace(cut[strings.LastIndex(cut, " "):])+" ") {
		t.Errorf("description was cut mid-word: %q", d)
	}
}

func TestListHeads(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	for i := range 12 {
		ts.add(t, &article.Article{Title: "Story " + string(rune('A'+i)), Body: "Text.\n", PublishedAt: published.Add(time.Duration(i) * time.Minute),
			Tags: article.TagsFromNames("Ports"), Author: &article.Author{Name: "Mara Lind"}})
	}
	_, body := ts.get(t, "/")
	h := parseHead(t, body)
	if h.ld["WebSite"] == nil || h.ld["NewsMediaOrganization"] == nil || h.robots != "" || attr(h.links["canonical"][0], "href") != ts.URL+"/" {
		t.Errorf("home head: robots %q, structured data %v", h.robots, h.ld)
	}
	for _, p := range []string{"/page/2/", "/tag/ports/page/2/", "/author/mara-lind/page/2/"} {
		_, body := ts.get(t, p)
		if h := parseHead(t, body); h.robots != "noindex, follow" {
			t.Errorf("GET %s robots = %q, want noindex", p, h.robots)
		}
	}
	_, body = ts.get(t, "/tag/ports/")
	h = parseHead(t, body)
	if h.robots != "" || h.ld["BreadcrumbList"] == nil || len(h.links["alternate"]) != 6 {
		t.Errorf("tag head: robots %q, %d feed links, %v", h.robots, len(h.links["alternate"]), h.ld)
	}
	if href := attr(h.links["alternate"][3], "href"); href != ts.URL+"/tag/ports/feed/" {
		t.Errorf("tag feed link = %q", href)
	}
	_, body = ts.get(t, "/no-such-page/")
	if h := parseHead(t, body); h.robots != "noindex, follow" || len(h.links["alternate"]) != 3 {
		t.Errorf("404 head: robots %q, %d feed links", h.robots, len(h.links["alternate"]))
	}
}

// Titles and descriptions of any kind stay inside their tags: quotes,
// angle brackets, ampersands, newlines, emoji, and 10,000 characters.
func TestHostileTextInTheHead(t *testing.T) {
	t.Parallel()
	tpl, err := web.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	hostile := `"quoted" <b>bold</b> & </script><script>alert(1)</script> ` + "\nline two 📰 " + strings.Repeat("long ", 2000)
	pages, err := declareTemplates(tpl)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handlers{site: &web.Site{Templates: tpl, Now: testclock.New(published).Now, Info: web.SiteInfo{Title: "Site & <Co>", Language: "en", BaseURL: "https://news.example"}}}
	r := httptestRequest("/hostile/")
	p := &ArticlePage{Base: h.site.Base(r, hostile, hostile), Article: article.Article{Title: hostile, Slug: "hostile", Description: hostile, PublishedAt: published, UpdatedAt: published,
		Author: &article.Author{Name: hostile, Slug: "x"}, Tags: article.TagsFromNames(hostile)}}
	photo := &media.Item{Hash: strings.Repeat("ab", 32), Format: media.JPEG, Info: media.Info{Alt: hostile, Caption: hostile, Credit: hostile},
		Variants: []media.Variant{{Name: "share", Format: media.JPEG, Width: 1200, Height: 630}, {Name: "w640", Format: media.JPEG, Width: 640, Height: 480}}}
	p.Featured = featuredHTML(photo)
	h.describeArticle(r, p, &renderedBody{}, photo)
	var buf bytes.Buffer
	if err := pages.article.Execute(&buf, *p); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Count(page, "</script>") != 2 || strings.Contains(page, "<script>alert") {
		t.Fatal("the hostile title broke out of a script element")
	}
	got := parseHead(t, page)
	for _, key := range []string{"description", "og:title", "og:description", "twitter:title", "article:tag"} {
		if v := got.meta[key]; len(v) == 0 || v[0] != hostile {
			t.Errorf("meta %s did not keep the text intact", key)
		}
	}
	na := got.ld["NewsArticle"]
	if hl := na["headline"].(string); utf8.RuneCountInString(hl) > seo.MaxHeadline || !strings.HasPrefix(hl, `"quoted" <b>bold</b>`) {
		t.Errorf("headline = %q", hl)
	}
	if na["description"] != hostile {
		t.Error("JSON-LD description did not keep the text intact")
	}
}

// TestStructuredDataValidates runs a structured data validator (npm
// structured-data-testing-tool, with the Google, Twitter and Facebook
// presets) on the article and archive pages.
func TestStructuredDataValidates(t *testing.T) {
	t.Parallel()
	sdtt := os.Getenv("DATELINE_SDTT")
	if sdtt == "" {
		sdtt = filepath.Join("..", "..", "..", "tools", "node_modules", ".bin", "sdtt")
	}
	if _, err := os.Stat(sdtt); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("structured-data-testing-tool is missing: %v", err)
		}
		t.Skip("structured-data-testing-tool is not installed (npm ci --prefix tools)")
	}
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	pages := map[string]string{"article": "/" + a.Slug + "/", "home": "/", "tag": "/tag/selvik/", "author": "/author/ingrid-solheim/"}
	if raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "reference-article.txt")); err == nil {
		pages["reference"] = "/" + importText(t, ts, raw).Slug + "/"
	}
	dir := t.TempDir()
	for name, path := range pages {
		_, body := ts.get(t, path)
		file := filepath.Join(dir, name+".html")
		os.WriteFile(file, []byte(body), 0o644)
		presets := "Google,Twitter,Facebook"
		out, err := exec.Command(sdtt, "--file", file, "--presets", presets).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Failed: 0") {
			t.Errorf("%s page fails structured data validation: %v\n%s", name, err, out)
		}
	}
}

func httptestRequest(path string) *http.Request {
	return httptest.NewRequest(http.MethodGet, path, nil)
}

// Without a base URL, absolute links follow the scheme the reader used at
// a trusted proxy, and a cached page made for one scheme is not served
// for the other.
func TestCanonicalFollowsTheProxysScheme(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "", func(_ *Options, site *web.Site) { site.TrustProxy = true })
	a := ts.add(t, floodArticle())
	host := strings.TrimPrefix(ts.URL, "http://")
	for _, test := range []struct{ proto, want string }{
		{"https", "https://" + host + "/" + a.Slug + "/"},
		{"http", "http://" + host + "/" + a.Slug + "/"},
		{"https", "https://" + host + "/" + a.Slug + "/"},
	} {
		_, body := ts.get(t, "/"+a.Slug+"/", "X-Forwarded-Proto", test.proto)
		if got := attr(parseHead(t, body).links["canonical"][0], "href"); got != test.want {
			t.Errorf("X-Forwarded-Proto %s: canonical = %q, want %q", test.proto, got, test.want)
		}
	}
}
