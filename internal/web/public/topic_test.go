package public

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// newsroomOf is a newsroom over the test server's store, on its clock:
// what it creates has its entities found and is placed in a story.
func newsroomOf(ts *testServer) *newsroom.Service {
	return newsroom.New(ts.store, render.New(), ts.clock.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// create stores a as the newsroom does.
func create(t *testing.T, svc *newsroom.Service, a *article.Article) *article.Article {
	t.Helper()
	if err := svc.Create(ctx, newsroom.System("test"), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// ferryArticles are three reports of one developing story: the ferry
// crews' strike, each naming the union, its leader and the port.
func ferryArticles() []*article.Article {
	return []*article.Article{
		{
			Title:       "Ferry Crews Walk Out Over Night Rosters",
			Description: "The Coastal Ferry Workers Federation (CFWF) stopped every crossing from Stavanger at dawn.",
			Body: "The Coastal Ferry Workers Federation (CFWF) called the strike after talks with the operator failed on Sunday.\n\n" +
				"Federation chairwoman Marit Fjelstad said crews had worked seven nights in a row since the summer. " +
				"The CFWF says it will picket the Stavanger terminal until the rosters change.\n\n" +
				"Passengers to Bergen were moved to buses. Fjelstad said the union regretted the disruption.\n",
			PublishedAt: published.Add(-72 * time.Hour),
		},
		{
			Title:       "Ferry Strike Enters Second Day as CFWF Rejects Offer",
			Description: "Chairwoman Marit Fjelstad called the operator's offer of one extra rest day an insult.",
			Body: "The Coastal Ferry Workers Federation (CFWF) turned down the offer within an hour, Marit Fjelstad told reporters in Stavanger.\n\n" +
				"The CFWF wants a cap of four nights in a row. Fjelstad said the operator knew the demand since March.\n\n" +
				"Buses to Bergen ran full all day.\n",
			PublishedAt: published.Add(-48 * time.Hour),
		},
		{
			Title:       "Ferries Sail Again From Stavanger After CFWF Deal",
			Description: "Crews return after the federation won a cap on night shifts.",
			Body: "The Coastal Ferry Workers Federation (CFWF) accepted a cap of five nights in a row on Thursday, ending the strike.\n\n" +
				"Chairwoman Marit Fjelstad said the deal was fair in Stavanger. The CFWF will vote on it next week; the first ferries left Stavanger at noon.\n",
			PublishedAt: published.Add(-24 * time.Hour),
		},
	}
}

// Slugs of the entities the ferry articles name: the federation, its
// chairwoman and the port in each of the three, Bergen in two.
const (
	federation = "coastal-ferry-workers-federation"
	chairwoman = "marit-fjelstad"
	port       = "stavanger"
	bergen     = "bergen"
)

// addFerryStory creates the three ferry articles through the newsroom,
// oldest first.
func addFerryStory(t *testing.T, ts *testServer) []*article.Article {
	t.Helper()
	svc := newsroomOf(ts)
	as := ferryArticles()
	for _, a := range as {
		create(t, svc, a)
	}
	return as
}

// timeline returns the headlines of a topic page's timeline, in order.
func timeline(doc *html.Node) []string {
	var out []string
	for _, sec := range findAll(doc, hasClass("timeline")) {
		for _, h3 := range findAll(sec, tag("h3")) {
			out = append(out, text(h3))
		}
	}
	return out
}

// linksIn returns "text href" of the links under the elements of class.
func linksIn(doc *html.Node, class string) []string {
	var out []string
	for _, n := range findAll(doc, hasClass(class)) {
		for _, a := range findAll(n, tag("a")) {
			out = append(out, text(a)+" "+attr(a, "href"))
		}
	}
	return out
}

// Issue 20
func TestTopicPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	as := addFerryStory(t, ts)
	path := "/topic/" + federation + "/"
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, body)
	}
	doc := parseHTML(t, body)
	if got := text(findAll(doc, tag("h1"))[0]); got != "Coastal Ferry Workers Federation" {
		t.Errorf("heading %q", got)
	}
	if got := text(findAll(doc, hasClass("kicker"))[0]); got != "Organisation" {
		t.Errorf("kind %q, want Organisation", got)
	}
	want := []string{as[2].Title, as[1].Title, as[0].Title} // newest first
	if diff := cmp.Diff(want, timeline(doc)); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	for _, a := range as {
		if !strings.Contains(body, html.EscapeString(a.Description)) {
			t.Errorf("the timeline lacks the standfirst of %q", a.Title)
		}
	}
	if n := len(findAll(doc, func(n *html.Node) bool { return n.Data == "time" && attr(n, "datetime") != "" })); n != 3 {
		t.Errorf("%d dated entries, want 3", n)
	}
	// Bergen is named beside it, but by two articles only: no page, no link.
	if diff := cmp.Diff([]string{"Marit Fjelstad /topic/" + chairwoman + "/", "Stavanger /topic/" + port + "/"}, sorted(linksIn(doc, "related-topics"))); diff != "" {
		t.Errorf("related (-want +got):\n%s", diff)
	}
	ld := jsonLD(t, doc)
	page := ld["CollectionPage"]
	if page == nil {
		t.Fatalf("no CollectionPage in %v", ld)
	}
	about, _ := page["about"].(map[string]any)
	if about["@type"] != "Organization" || about["name"] != "Coastal Ferry Workers Federation" || about["url"] != ts.URL+path {
		t.Errorf("about = %v", about)
	}
	if page["url"] != ts.URL+path {
		t.Errorf("CollectionPage url %v", page["url"])
	}
	h := parseHead(t, body)
	if c := h.links["canonical"]; len(c) != 1 || attr(c[0], "href") != ts.URL+path {
		t.Errorf("canonical %v", c)
	}
	if diff := cmp.Diff([]string{ts.URL + path}, h.meta["og:url"]); diff != "" || h.robots != "" {
		t.Errorf("og:url (-want +got):\n%s; robots %q", diff, h.robots)
	}
	// No editor described it: search engines are told what the page
	// holds all the same.
	if diff := cmp.Diff([]string{"Articles about Coastal Ferry Workers Federation."}, h.meta["description"]); diff != "" {
		t.Errorf("meta description (-want +got):\n%s", diff)
	}
	keys := strings.Fields(resp.Header.Get("Surrogate-Key"))
	for _, k := range []string{purge.Site, "topic-", "entity-", purge.Article(as[0].ID), purge.Article(as[1].ID), purge.Article(as[2].ID)} {
		if !slices.ContainsFunc(keys, func(got string) bool { return got == k || strings.HasSuffix(k, "-") && strings.HasPrefix(got, k) }) {
			t.Errorf("Surrogate-Key %v lacks %s", keys, k)
		}
	}

	// A place says where it is.
	_, body = ts.get(t, "/topic/"+port+"/")
	doc = parseHTML(t, body)
	if got := text(findAll(doc, hasClass("kicker"))[0]); got != "Place · Norway" {
		t.Errorf("kind %q, want Place · Norway", got)
	}
	about, _ = jsonLD(t, doc)["CollectionPage"]["about"].(map[string]any)
	if address, _ := about["address"].(map[string]any); about["@type"] != "Place" || address["addressCountry"] != "NO" {
		t.Errorf("about = %v", about)
	}

	// The feeds list the same articles.
	for _, f := range testFeedFormats {
		feed := fetchFeed(t, ts, path+f.suffix, f.contentType)
		var titles []string
		for _, it := range feed.Items {
			titles = append(titles, it.Title)
		}
		if diff := cmp.Diff(want, titles); diff != "" {
			t.Errorf("%s feed (-want +got):\n%s", f.name, diff)
		}
		if !strings.HasPrefix(feed.Title, "Coastal Ferry Workers Federation") {
			t.Errorf("%s feed title %q", f.name, feed.Title)
		}
	}
	// Offered by the page.
	if !slices.ContainsFunc(h.links["alternate"], func(l *html.Node) bool { return attr(l, "href") == ts.URL+path+"feed/" }) {
		t.Error("the page does not offer its own feed")
	}
	if got, err := PageAt(ctx, ts.store, path, ts.clock.Now); err != nil || got.Page != "a topic page" {
		t.Errorf("PageAt(%s) = %+v, %v", path, got, err)
	}
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

// Issue 20
func TestTopicPageThreshold(t *testing.T) {
	t.Parallel()
	var site *web.Site
	ts := newTestServer(t, 0, "", func(_ *Options, s *web.Site) { site = s })
	addFerryStory(t, ts)
	for _, p := range []string{"/topic/" + bergen + "/", "/topic/" + bergen + "/feed/", "/topic/nobody-at-all/", "/topic/Not_A_Slug/"} {
		if resp, _ := ts.get(t, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404: two articles are fewer than the default three", p, resp.StatusCode)
		}
	}
	// With the setting at 2, as the admin saves it, Bergen has its page.
	if err := newsroomOf(ts).SaveSettings(ctx, newsroom.System("test"), &store.SiteSettings{TopicMinArticles: "2"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := site.LoadSettings(ctx, ts.store); err != nil {
		t.Fatal(err)
	}
	resp, body := ts.get(t, "/topic/"+bergen+"/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /topic/%s/ with the setting at 2 = %d", bergen, resp.StatusCode)
	}
	if got := len(timeline(parseHTML(t, body))); got != 2 {
		t.Errorf("%d articles on Bergen's page, want 2", got)
	}
	// The sitemap lists the topic pages there are.
	_, sitemap := ts.get(t, "/sitemap.xml")
	for _, slug := range []string{federation, chairwoman, port, bergen} {
		if !strings.Contains(sitemap, "<loc>"+ts.URL+"/topic/"+slug+"/</loc>") {
			t.Errorf("the sitemap lacks /topic/%s/", slug)
		}
	}
}

func TestTopicMinArticlesSetting(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	svc := newsroomOf(ts)
	for _, bad := range []string{"0", "-3", "1001", "three", "2.5"} {
		err := svc.SaveSettings(ctx, newsroom.System("test"), &store.SiteSettings{TopicMinArticles: bad}, nil)
		if err == nil || !strings.Contains(err.Error(), "topic_min_articles") {
			t.Errorf("TopicMinArticles %q: error %v, want one naming topic_min_articles", bad, err)
		}
	}
	site := store.SiteSettings{TopicMinArticles: " 05 "}
	if err := svc.SaveSettings(ctx, newsroom.System("test"), &site, nil); err != nil {
		t.Fatal(err)
	}
	got, err := ts.store.SiteSettings(ctx)
	if err != nil || got.TopicMinArticles != "5" {
		t.Errorf("stored %q, %v; want 5", got.TopicMinArticles, err)
	}
	if info := web.SiteOverrides(got); info.TopicMinArticles != 5 {
		t.Errorf("SiteOverrides gives %d", info.TopicMinArticles)
	}
}

// Issue 20
func TestBannedEntityHasNoPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	as := addFerryStory(t, ts)
	banned := true
	if _, err := newsroomOf(ts).EditEntity(ctx, newsroom.System("test"), chairwoman, newsroom.EntityChange{Banned: &banned}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/topic/" + chairwoman + "/", "/topic/" + chairwoman + "/feed/atom/"} {
		if resp, _ := ts.get(t, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404 for a banned entity", p, resp.StatusCode)
		}
	}
	_, body := ts.get(t, "/"+as[1].Slug+"/")
	if strings.Contains(body, "Fjelstad /topic/") || strings.Contains(body, "/topic/"+chairwoman+"/") {
		t.Error("an article page links the banned entity")
	}
	_, body = ts.get(t, "/topic/"+federation+"/")
	if strings.Contains(body, "/topic/"+chairwoman+"/") {
		t.Error("a topic page links the banned entity as related")
	}
}

// Issue 20: an article page asks whether each entity it names has a
// topic page, and the answer is kept for the cache time, as is a topic
// page's entity. A node that hears of a change of an entity purges its
// key, and the next render follows the change then, not a cache time
// later.
func TestEntityPurgeRefreshesTopicLinks(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Hour, "")
	as := addFerryStory(t, ts)
	page := "/" + as[0].Slug + "/"
	if _, body := ts.get(t, page); strings.Contains(body, "/topic/"+bergen+"/") {
		t.Fatal("the article page links Bergen, which two articles are too few to give a page")
	}
	if resp, _ := ts.get(t, "/topic/"+bergen+"/"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("Bergen's topic page answers %d before the merge; want 404", resp.StatusCode)
	}
	// Stavanger's three articles go to Bergen, which has its page then.
	into, err := newsroomOf(ts).MergeEntities(ctx, newsroom.System("test"), port, bergen)
	if err != nil {
		t.Fatal(err)
	}
	ts.handlers.Purge([]string{purge.Entity(into.ID)}, false, false)
	if _, body := ts.get(t, page); !strings.Contains(body, "/topic/"+bergen+"/") {
		t.Error("after the merge and its purge, the article page does not link Bergen's new topic page")
	}
	if resp, _ := ts.get(t, "/topic/"+bergen+"/"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the merge and its purge, Bergen's topic page answers %d", resp.StatusCode)
	}
}

// Issue 20
func TestTopicPagination(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	svc := newsroomOf(ts)
	for i := range PerPage + 2 {
		create(t, svc, &article.Article{
			Title:       fmt.Sprintf("Stavanger Harbour Notice %d", i+1),
			Description: fmt.Sprintf("Notice %d from the harbour office in Stavanger.", i+1),
			Body:        "The harbour office in Stavanger posted a notice about the moorings.\n",
			PublishedAt: published.Add(-time.Duration(i) * time.Hour),
		})
	}
	path := "/topic/" + port + "/"
	_, body := ts.get(t, path)
	doc := parseHTML(t, body)
	if got := timeline(doc); len(got) != PerPage || got[0] != "Stavanger Harbour Notice 1" {
		t.Errorf("first page: %v", got)
	}
	if next := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" }); len(next) != 1 || attr(next[0], "href") != path+"page/2/" {
		t.Errorf("no link to page 2")
	}
	resp, body := ts.get(t, path+"page/2/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page 2 = %d", resp.StatusCode)
	}
	doc = parseHTML(t, body)
	if diff := cmp.Diff([]string{"Stavanger Harbour Notice 11", "Stavanger Harbour Notice 12"}, timeline(doc)); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	if h := parseHead(t, body); !strings.Contains(h.robots, "noindex") {
		t.Error("page 2 is indexed")
	}
	if resp, _ := ts.get(t, path+"page/3/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page 3 = %d, want 404", resp.StatusCode)
	}
	if resp, _ := ts.get(t, path+"page/1/"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != path {
		t.Errorf("page 1 = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Issue 20
func TestArticlePageEntitiesAndStory(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	as := addFerryStory(t, ts)
	path := "/" + as[0].Slug + "/"
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	doc := parseHTML(t, body)
	// The salient entities with pages, most salient first; Bergen (two
	// articles, passing) is not linked.
	want := []string{
		"Coastal Ferry Workers Federation /topic/" + federation + "/",
		"Stavanger /topic/" + port + "/",
		"Marit Fjelstad /topic/" + chairwoman + "/",
	}
	if diff := cmp.Diff(want, linksIn(doc, "topics")); diff != "" {
		t.Errorf("topics (-want +got):\n%s", diff)
	}
	if ul := findAll(doc, hasClass("topics")); len(ul) != 1 || attr(ul[0], "aria-label") != "Topics" {
		t.Error("the topics list has no label")
	}

	news := jsonLD(t, doc)["NewsArticle"]
	names := func(key string) []string {
		var out []string
		list, _ := news[key].([]any)
		for _, x := range list {
			m := x.(map[string]any)
			out = append(out, fmt.Sprintf("%v %v %v", m["@type"], m["name"], m["url"]))
		}
		return out
	}
	wantAbout := []string{
		"Organization Coastal Ferry Workers Federation " + ts.URL + "/topic/" + federation + "/",
		"Place Stavanger " + ts.URL + "/topic/" + port + "/",
	}
	if diff := cmp.Diff(wantAbout, names("about")); diff != "" {
		t.Errorf("about (-want +got):\n%s", diff)
	}
	wantMentions := []string{"Person Marit Fjelstad " + ts.URL + "/topic/" + chairwoman + "/", "Place Bergen <nil>"}
	if diff := cmp.Diff(wantMentions, names("mentions")); diff != "" {
		t.Errorf("mentions (-want +got):\n%s", diff)
	}

	// The story so far, oldest first, this article marked and not linked.
	for i, a := range as {
		resp, body := ts.get(t, "/"+a.Slug+"/")
		doc := parseHTML(t, body)
		nav := findAll(doc, hasClass("story-so-far"))
		if len(nav) != 1 || nav[0].Data != "nav" {
			t.Fatalf("%s: no story-so-far nav", a.Slug)
		}
		if h2 := findAll(nav[0], tag("h2")); len(h2) != 1 || text(h2[0]) != "The story so far" {
			t.Errorf("%s: story heading missing", a.Slug)
		}
		items := findAll(nav[0], tag("li"))
		if len(items) != 3 {
			t.Fatalf("%s: %d items in the story, want 3", a.Slug, len(items))
		}
		for j, li := range items {
			links := findAll(li, tag("a"))
			current := attr(li, "aria-current") == "page"
			if current != (i == j) || current != (len(links) == 0) {
				t.Errorf("%s: item %d (%s): current %v, %d links", a.Slug, j, text(li), current, len(links))
			}
			if !strings.Contains(text(li), as[j].Title) || len(findAll(li, tag("time"))) != 1 {
				t.Errorf("%s: item %d is %q, want the dated %q", a.Slug, j, text(li), as[j].Title)
			}
		}
		keys := resp.Header.Get("Surrogate-Key")
		if !strings.Contains(keys, "story-") || !strings.Contains(keys, "entity-") {
			t.Errorf("Surrogate-Key %q lacks the story's or the entities' keys", keys)
		}
	}

	// An article in no story shows none.
	lone := ts.add(t, &article.Article{Title: "Lighthouse Repainted", Body: "The lighthouse has a new coat of paint.\n", PublishedAt: published})
	if _, body := ts.get(t, "/"+lone.Slug+"/"); strings.Contains(body, "story-so-far") || strings.Contains(body, `class="tags topics"`) {
		t.Error("an article without entities or story shows them")
	}
}

// Issue 20: an entity's name and description are text wherever they are
// shown, in the page and in its structured data.
func TestTopicHTMLInjection(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	as := addFerryStory(t, ts)
	name, description := `<script>alert(1)</script>`, `"><img src=x onerror=alert(2)><b>bold</b>`
	if _, err := newsroomOf(ts).EditEntity(ctx, newsroom.System("test"), federation, newsroom.EntityChange{Name: &name, Description: &description}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/topic/" + federation + "/", "/topic/" + port + "/", "/" + as[0].Slug + "/"} {
		resp, body := ts.get(t, p)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", p, resp.StatusCode)
		}
		checkNoInjection(t, p, body)
		if !strings.Contains(text(parseHTML(t, body)), name) && !strings.Contains(body, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
			t.Errorf("GET %s does not show the name as text", p)
		}
	}
	for _, f := range testFeedFormats {
		feed := fetchFeed(t, ts, "/topic/"+federation+"/"+f.suffix, f.contentType)
		if !strings.HasPrefix(feed.Title, name) {
			t.Errorf("%s feed title %q", f.name, feed.Title)
		}
	}
}

// While an export keeps the articles (KeepListed), a topic's timeline
// shows each article's entry as rendered once, and the page is the one
// rendered entry by entry. A theme's topic page without the
// "timeline-entry" partial renders its own entries.
func TestTimelineEntriesRenderedOnceWhileKept(t *testing.T) {
	t.Parallel()
	builtIn, err := os.ReadFile("../templates/topic.html")
	if err != nil {
		t.Fatal(err)
	}
	const entries = `{{range .Timeline}}{{with .HTML}}{{.}}{{else}}{{template "timeline-entry" .}}{{end}}
{{end}}`
	if !strings.Contains(string(builtIn), entries) {
		t.Fatalf("the built-in topic.html has no %q", entries)
	}
	// A theme's page of its own, as themes copied it before the partial.
	own := strings.Replace(string(builtIn), entries, `{{range .Timeline}}<li class="own">
<time datetime="{{datetime .PublishedAt}}">{{date .PublishedAt}}</time> <a href="{{articlePath .Slug}}">{{.Title}}</a></li>
{{end}}`, 1)
	own = own[:strings.Index(own, `{{define "timeline-entry"`)]
	theme := t.TempDir()
	if err := os.WriteFile(filepath.Join(theme, "topic.html"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, themeDir := range []string{"", theme} {
		ts := newTestServer(t, 0, themeDir)
		as := addFerryStory(t, ts)
		path := "/topic/" + federation + "/"
		page := func() string {
			t.Helper()
			resp, body := ts.get(t, path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("theme %q: GET %s = %d\n%s", themeDir, path, resp.StatusCode, body)
			}
			return withoutToken(body)
		}
		want := page()
		listed, err := ts.store.Articles(ctx, store.ArticleQuery{PublicAt: ts.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		e, err := ts.store.Entity(ctx, federation)
		if err != nil {
			t.Fatal(err)
		}
		topics, err := ts.store.EntityArticles(ctx, []int64{e.ID})
		if err != nil {
			t.Fatal(err)
		}
		ts.handlers.KeepListed(listed, topics)
		if got := page(); got != want {
			t.Errorf("theme %q: the topic page with the articles kept differs:\n%s\nwant\n%s", themeDir, got, want)
		}
		kept := ts.handlers.kept.Load()
		if themeDir != "" {
			kept.partsMu.RLock()
			n := len(kept.parts)
			kept.partsMu.RUnlock()
			if n != 0 {
				t.Errorf("the theme's topic page has no timeline entry to render, yet %d were kept", n)
			}
			if !strings.Contains(want, `<li class="own">`) {
				t.Error("the theme's timeline is not on its topic page")
			}
			continue
		}
		key := partKey{"timeline-entry", as[0].ID, ""}
		entry, ok := kept.part(key)
		if !ok || !strings.Contains(want, string(entry)) || !strings.Contains(string(entry), as[0].Title) {
			t.Fatalf("the entry kept for %q is %q (%v); want the one on the page", as[0].Title, entry, ok)
		}
		// The next page showing it takes the entry kept.
		kept.keepPart(key, `<li>the entry kept</li>`)
		if got := page(); !strings.Contains(got, `<li>the entry kept</li>`) || strings.Contains(got, string(entry)) {
			t.Errorf("a page rendered again did not show the entry kept:\n%s", got)
		}
		// A purge forgets them.
		ts.handlers.Purge([]string{purge.Article(as[0].ID)}, false, false)
		if got := page(); got != want {
			t.Errorf("after a purge, the topic page differs:\n%s\nwant\n%s", got, want)
		}
	}
}
