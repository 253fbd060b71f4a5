package urls

import "testing"

func TestAddresses(t *testing.T) {
	t.Parallel()
	for _, test := range []struct{ got, want string }{
		{Home, "/"},
		{Article("flood-barriers-hold"), "/flood-barriers-hold/"},
		{Comments("flood-barriers-hold"), "/flood-barriers-hold/#comments"},
		{Comment("flood-barriers-hold", 42), "/flood-barriers-hold/#comment-42"},
		{PostComment("flood-barriers-hold"), "/flood-barriers-hold/comments"},
		{Tag("environment"), "/tag/environment/"},
		{Section("world"), "/world/"},
		{Listing(SectionListing, "world"), "/world/"},
		{Author("ingrid-solheim"), "/author/ingrid-solheim/"},
		{Listing(HomeListing, ""), "/"},
		{Listing(TagListing, "environment"), "/tag/environment/"},
		{Listing(AuthorListing, "ingrid-solheim"), "/author/ingrid-solheim/"},
		{Page(Home, 0), "/"},
		{Page(Home, 1), "/"},
		{Page(Home, 2), "/page/2/"},
		{Page(Tag("environment"), 1), "/tag/environment/"},
		{Page(Tag("environment"), 12), "/tag/environment/page/12/"},
		{Page(Author("ingrid-solheim"), 3), "/author/ingrid-solheim/page/3/"},
		{PagePattern(Tag("{slug}")), "/tag/{slug}/page/{n}/"},
		{FirstPage(Author("ingrid-solheim")), "/author/ingrid-solheim/page/1/"},
		{FirstPage(""), "page/1/"},
		{Feed(Home, RSS), "/feed/"},
		{Feed(Home, Atom), "/feed/atom/"},
		{Feed(Home, JSONFeed), "/feed.json"},
		{Feed(Tag("environment"), RSS), "/tag/environment/feed/"},
		{Feed(Author("ingrid-solheim"), Atom), "/author/ingrid-solheim/feed/atom/"},
		{Feed(Author("ingrid-solheim"), JSONFeed), "/author/ingrid-solheim/feed.json"},
		{Sitemap, "/sitemap.xml"},
		{NumberedSitemap(7), "/sitemap-7.xml"},
		{NewsSitemap, "/news-sitemap.xml"},
		{Robots, "/robots.txt"},
		{Static, "/static/"},
	} {
		if test.got != test.want {
			t.Errorf("got %q, want %q", test.got, test.want)
		}
	}
}

func TestListingPanicsOnAnUnknownKind(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("Listing(\"category\", ...) did not panic")
		}
	}()
	Listing("category", "sport")
}

func TestArticleSlug(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		path string
		slug string
		ok   bool
	}{
		{Article("flood-barriers-hold"), "flood-barriers-hold", true},
		{"/flood-barriers-hold", "flood-barriers-hold", true},
		{"/flood-barriers-hold//", "flood-barriers-hold", true},
		{"flood-barriers-hold/", "", false},
		{Home, "", false},
		{"", "", false},
		{Tag("environment"), "", false},
		{Author("ingrid-solheim"), "", false},
		{Page(Home, 2), "", false},
		{Feed(Home, RSS), "", false},
		{Feed(Home, JSONFeed), "", false},
		{Sitemap, "", false},
		{Robots, "", false},
		{Static + "style.css", "", false},
		{"/static/", "", false},
		{"/admin/", "", false},
		{"/2019/old-story/", "", false},
		{"/old.html", "", false},
	} {
		slug, ok := ArticleSlug(test.path)
		if slug != test.slug || ok != test.ok {
			t.Errorf("ArticleSlug(%q) = %q, %v; want %q, %v", test.path, slug, ok, test.slug, test.ok)
		}
	}
}
