package public

import (
	"testing"

	"github.com/datelinehq/dateline/internal/article"
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
