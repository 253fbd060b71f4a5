package public

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/web"
	"golang.org/x/net/html"
)

// addSection stores a section the way the service would.
func (ts *testServer) addSection(t *testing.T, name, description string) *article.Section {
	t.Helper()
	se := &article.Section{Name: name, Description: description}
	if err := se.Normalize(); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.CreateSection(ctx, se); err != nil {
		t.Fatal(err)
	}
	return se
}

// jsonLD returns the page's JSON-LD objects by @type.
func jsonLD(t *testing.T, doc *html.Node) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, s := range findAll(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "type") == "application/ld+json" }) {
		var m map[string]any
		if err := json.Unmarshal([]byte(text(s)), &m); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, text(s))
		}
		typ, _ := m["@type"].(string)
		out[typ] = m
	}
	return out
}

func crumbNames(t *testing.T, list map[string]any) string {
	t.Helper()
	var names []string
	items, _ := list["itemListElement"].([]any)
	for _, it := range items {
		names = append(names, it.(map[string]any)["name"].(string)+" "+it.(map[string]any)["item"].(string))
	}
	return strings.Join(names, " › ")
}

// TestSectionFront: a section's front page lists its public articles a
// page at a time, with its feeds, breadcrumbs and CollectionPage data;
// an article's page names its section above the headline and in its
// breadcrumbs; the sitemap lists the front page.
func TestSectionFront(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	world := ts.addSection(t, "World", "News from beyond the harbour.")
	ts.addSection(t, "Politics", "")
	for i := range 12 {
		a := &article.Article{
			Title: "Ferry Talks Round " + string(rune('A'+i)), Description: "Talks went on.", Body: "The talks went on.\n",
			PublishedAt: published.Add(time.Duration(i) * time.Hour), Section: world,
		}
		ts.add(t, a)
	}
	ts.add(t, &article.Article{Title: "Not in World", Body: "Elsewhere.\n", PublishedAt: published})

	resp, body := ts.get(t, "/world/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /world/ = %d\n%s", resp.StatusCode, body)
	}
	doc := parseHTML(t, body)
	if h1 := findAll(doc, tag("h1")); len(h1) != 1 || text(h1[0]) != "World" {
		t.Errorf("the front page's heading is not the section's name")
	}
	if !strings.Contains(body, "News from beyond the harbour.") {
		t.Error("the front page lacks the section's description")
	}
	cards := findAll(doc, hasClass("card"))
	if len(cards) != PerPage || text(findAll(cards[0], tag("h2"))[0]) != "Ferry Talks Round L" {
		t.Errorf("the front page shows %d cards; want %d, newest first", len(cards), PerPage)
	}
	if strings.Contains(body, "Not in World") {
		t.Error("the front page lists an article of another section")
	}
	if !strings.Contains(body, `<a href="/world/page/2/" rel="next">`) {
		t.Error("the front page does not link to its page 2")
	}
	ld := jsonLD(t, doc)
	if cp := ld["CollectionPage"]; cp == nil || cp["url"] != ts.URL+"/world/" || cp["description"] != "News from beyond the harbour." {
		t.Errorf("CollectionPage JSON-LD = %v", cp)
	}
	if got := crumbNames(t, ld["BreadcrumbList"]); got != "The Selvik Courier "+ts.URL+"/ › World "+ts.URL+"/world/" {
		t.Errorf("breadcrumbs %s", got)
	}
	for _, feed := range []string{"/world/feed/", "/world/feed/atom/", "/world/feed.json"} {
		if !strings.Contains(body, `href="`+ts.URL+feed+`"`) {
			t.Errorf("the front page does not announce its feed %s", feed)
		}
		resp, got := ts.get(t, feed)
		if resp.StatusCode != 200 || !strings.Contains(got, "Ferry Talks Round L") || strings.Contains(got, "Not in World") {
			t.Errorf("GET %s = %d; want the section's articles only", feed, resp.StatusCode)
		}
	}

	resp, body = ts.get(t, "/world/page/2/")
	if resp.StatusCode != 200 || len(findAll(parseHTML(t, body), hasClass("card"))) != 2 || !strings.Contains(body, `<meta name="robots" content="noindex, follow">`) {
		t.Errorf("GET /world/page/2/ = %d; want 2 cards, not indexed", resp.StatusCode)
	}
	for path, want := range map[string]int{"/world/page/1/": 301, "/world/page/2": 301, "/world/page/3/": 404, "/world/page/x/": 404, "/sport/": 404, "/sport/feed/": 404, "/tag/feed/": 404} {
		if resp, _ := ts.get(t, path); resp.StatusCode != want {
			t.Errorf("GET %s = %d; want %d", path, resp.StatusCode, want)
		}
	}

	// A section without articles yet has a front page and an empty feed.
	resp, body = ts.get(t, "/politics/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Nothing has been published in Politics yet.") {
		t.Errorf("GET /politics/ = %d; want the empty front page", resp.StatusCode)
	}
	if resp, _ := ts.get(t, "/politics/feed/"); resp.StatusCode != 200 {
		t.Errorf("GET /politics/feed/ = %d; want an empty feed", resp.StatusCode)
	}

	// The article page: section above the headline, Home › World › title.
	resp, body = ts.get(t, "/ferry-talks-round-a/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET the article = %d", resp.StatusCode)
	}
	doc = parseHTML(t, body)
	nav := findAll(doc, hasClass("breadcrumb"))
	if len(nav) != 1 || text(nav[0]) != "Home › World" || !strings.Contains(body, `<a href="/world/">World</a></nav>`) {
		t.Errorf("the article page's breadcrumb is %v", nav)
	}
	ld = jsonLD(t, doc)
	if got := crumbNames(t, ld["BreadcrumbList"]); got != "The Selvik Courier "+ts.URL+"/ › World "+ts.URL+"/world/ › Ferry Talks Round A "+ts.URL+"/ferry-talks-round-a/" {
		t.Errorf("the article's breadcrumbs: %s", got)
	}
	if ld["NewsArticle"]["articleSection"] != "World" || !strings.Contains(body, `<meta property="article:section" content="World">`) {
		t.Errorf("the article's section is not in its structured data: %v", ld["NewsArticle"]["articleSection"])
	}
	if _, body := ts.get(t, "/"); !strings.Contains(body, `<p class="kicker"><a href="/world/">World</a></p>`) {
		t.Error("the home page's cards do not name their section")
	}
	if _, body := ts.get(t, "/sitemap.xml"); !strings.Contains(body, "<loc>"+ts.URL+"/world/</loc>") || strings.Contains(body, ts.URL+"/politics/") {
		t.Error("the sitemap does not list the section with articles (and only it)")
	}

	for path, want := range map[string]string{"/world/": "a section front", "/world/page/2/": "a section front", "/world/feed/": "a feed", "/ferry-talks-round-a/": "an article"} {
		if got, err := PageAt(ctx, ts.store, path, ts.clock.Now); err != nil || got.Page != want {
			t.Errorf("PageAt(%s) = %+v, %v; want %s", path, got, err, want)
		}
	}
}

// TestMenusOnEveryPage: the header menu is a row of links and, for
// phones, the same links behind a <details> button (no script); the
// footer menu sits in the footer; the current page is marked.
func TestMenusOnEveryPage(t *testing.T) {
	t.Parallel()
	var site *web.Site
	ts := newTestServer(t, 0, "", func(_ *Options, s *web.Site) {
		site = s
		s.Menus = func(context.Context) ([]web.MenuLink, []web.MenuLink, error) {
			return []web.MenuLink{{Label: "World", Href: "/world/"}, {Label: "Politics", Href: "/politics/"}},
				[]web.MenuLink{{Label: "About us", Href: "/about-us/"}}, nil
		}
	})
	if err := site.LoadSettings(ctx, ts.store); err != nil {
		t.Fatal(err)
	}
	ts.addSection(t, "World", "")
	for _, path := range []string{"/", "/world/", "/no-such-page/"} {
		_, body := ts.get(t, path)
		doc := parseHTML(t, body)
		if menus := findAll(doc, hasClass("site-menu")); len(menus) != 1 || len(findAll(menus[0], tag("a"))) != 2 {
			t.Errorf("GET %s: no header menu of two links", path)
		}
		if phone := findAll(doc, hasClass("phone-menu")); len(phone) != 1 || phone[0].Data != "details" || len(findAll(phone[0], tag("summary"))) != 1 {
			t.Errorf("GET %s: the phone menu is not a <details> with a <summary>", path)
		}
		if !strings.Contains(body, `<ul class="footer-menu">`) || !strings.Contains(body, `<a href="/about-us/">About us</a>`) {
			t.Errorf("GET %s: no footer menu", path)
		}
	}
	if _, body := ts.get(t, "/world/"); !strings.Contains(body, `<a href="/world/" aria-current="page">World</a>`) {
		t.Error("the section's menu link is not marked as the current page on its front page")
	}
}

// TestArticlePageExtras: update notes under the byline, a long table of
// contents folded, share links that need no script, the author box and
// "More in" the article's section.
func TestArticlePageExtras(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	world := ts.addSection(t, "World", "")
	for i := range 3 {
		ts.add(t, &article.Article{Title: "Older World Story " + string(rune('A'+i)), Body: "Text.\n", Section: world, PublishedAt: published.Add(-time.Duration(i+1) * time.Hour)})
	}
	var body strings.Builder
	for i := range 6 {
		body.WriteString("## Part " + string(rune('A'+i)) + "\n\nText of the part.\n\n")
	}
	a := ts.add(t, &article.Article{
		Title: "A Long Report", Body: body.String(), Section: world, PublishedAt: published,
		Author:  &article.Author{Name: "Ines Okafor", Bio: "Ines covers the coast."},
		Updates: []article.Update{{At: published.Add(2 * time.Hour), Text: "Corrected the name of the ferry."}},
	})
	_, page := ts.get(t, "/"+a.Slug+"/")
	doc := parseHTML(t, page)
	if u := findAll(doc, hasClass("updates")); len(u) != 1 || !strings.Contains(text(u[0]), inPublishedYear("Updated 20 November 2026: Corrected the name of the ferry.")) {
		t.Errorf("the update note is not shown under the byline")
	}
	toc := findAll(doc, hasClass("toc"))
	if len(toc) != 1 || len(findAll(toc[0], tag("details"))) != 1 || strings.Contains(page, "<details open>") {
		t.Errorf("a table of contents of six parts is not folded")
	}
	share := findAll(doc, hasClass("share"))
	escaped := strings.NewReplacer(":", "%3a", "/", "%2f").Replace(ts.URL + "/a-long-report/")
	if len(share) != 1 || !strings.Contains(page, `href="https://www.facebook.com/sharer/sharer.php?u=`+escaped+`"`) || strings.Contains(page, "<script src") {
		t.Errorf("share links missing or not escaped: %v", len(share))
	}
	if box := findAll(doc, hasClass("author-box")); len(box) != 1 || !strings.Contains(text(box[0]), "Ines covers the coast.") {
		t.Error("no author box with the bio")
	}
	var more string
	for _, h := range findAll(doc, tag("aside")) {
		if attr(h, "aria-labelledby") == "more-heading" {
			more = text(h)
		}
	}
	if !strings.HasPrefix(more, "More in World") || !strings.Contains(more, "Older World Story A") || strings.Contains(more, "A Long Report") {
		t.Errorf("More in World: %q", more)
	}

	short := ts.add(t, &article.Article{Title: "A Short Report", Body: "## One\n\nText.\n\n## Two\n\nText.\n", PublishedAt: published})
	if _, page := ts.get(t, "/"+short.Slug+"/"); !strings.Contains(page, "<details open>") {
		t.Error("a short table of contents is folded")
	}
}
