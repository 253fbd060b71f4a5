package public

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/google/go-cmp/cmp"
)

func TestPageAt(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	ts.add(t, &article.Article{Title: "Secret Budget Draft", Body: "Not yet.\n", Status: article.Draft})
	if _, err := ts.store.AddRedirect(ctx, "/2019/old-story/", "/"+a.Slug+"/"); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		path string
		want Answer
	}{
		{"/" + a.Slug + "/", Answer{Page: "an article"}},
		{"/", Answer{Page: "the home page"}},
		{"/tag/environment/", Answer{Page: "a tag archive"}},
		{"/author/ingrid-solheim/", Answer{Page: "an author archive"}},
		{"/feed/", Answer{Page: "a feed"}},
		{"/tag/environment/feed.json", Answer{Page: "a feed"}},
		{"/sitemap.xml", Answer{Page: "a sitemap"}},
		{"/2019/old-story/", Answer{RedirectTo: "/" + a.Slug + "/"}},
		{"/page/1/", Answer{RedirectTo: "/"}},
		{"/secret-budget-draft/", Answer{}},
		{"/no-such-story/", Answer{}},
		{"/tag/nobody/", Answer{}},
		{"/page/2/", Answer{}},
	} {
		got, err := PageAt(ctx, ts.store, test.path, ts.clock.Now)
		if err != nil {
			t.Errorf("PageAt(%s): %v", test.path, err)
			continue
		}
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("PageAt(%s) (-want +got):\n%s", test.path, diff)
		}
		if got.Found() != (test.want != Answer{}) {
			t.Errorf("PageAt(%s).Found() = %v", test.path, got.Found())
		}
	}
}

// Issue 12: the addresses package urls builds are the ones the route
// table serves.
func TestAddressesMatchTheRoutes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	for i := range PerPage + 1 {
		a := floodArticle()
		a.Slug = fmt.Sprintf("flood-%d", i)
		ts.add(t, a)
	}
	tag, author := urls.Tag("environment"), urls.Author("ingrid-solheim")
	want := map[string]Answer{
		urls.Home:                       {Page: "the home page"},
		urls.Page(urls.Home, 2):         {Page: "the home page"},
		urls.FirstPage(urls.Home):       {RedirectTo: urls.Home},
		urls.Article("flood-3"):         {Page: "an article"},
		tag:                             {Page: "a tag archive"},
		urls.Page(tag, 2):               {Page: "a tag archive"},
		urls.FirstPage(tag):             {RedirectTo: tag},
		author:                          {Page: "an author archive"},
		urls.Page(author, 2):            {Page: "an author archive"},
		urls.FirstPage(author):          {RedirectTo: author},
		urls.Sitemap:                    {Page: "a sitemap"},
		urls.NewsSitemap:                {Page: "a sitemap"},
		urls.Robots:                     {Page: "robots.txt"},
		urls.NumberedSitemap(1):         {},
		strings.TrimSuffix(tag, "/"):    {RedirectTo: tag},
		strings.TrimSuffix(author, "/"): {RedirectTo: author},
	}
	for _, listing := range []string{urls.Home, tag, author} {
		for _, format := range []string{urls.RSS, urls.Atom, urls.JSONFeed} {
			want[urls.Feed(listing, format)] = Answer{Page: "a feed"}
		}
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		t.Fatal(err)
	}
	style, err := assets.URL("style.css")
	if err != nil || !strings.HasPrefix(style, urls.Static) {
		t.Fatalf("the style sheet is at %q, not under %s", style, urls.Static)
	}
	want[style] = Answer{Page: "a static file"}
	for path, want := range want {
		got, err := PageAt(ctx, ts.store, path, ts.clock.Now)
		if err != nil {
			t.Errorf("PageAt(%s): %v", path, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("PageAt(%s) (-want +got):\n%s", path, diff)
		}
	}
}
