package storetest

import (
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// articleVersionTests are the tests of listing articles' versions, which
// the linking index follows changes by.
var articleVersionTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"ArticleVersions", testArticleVersions},
}

func testArticleVersions(t *testing.T, s store.Store) {
	at := published.Add(24 * time.Hour)
	add := func(slug string, status article.Status, when time.Time) *article.Article {
		t.Helper()
		a := sample(slug)
		a.Status, a.PublishedAt = status, when
		mustCreate(t, s, a)
		return a
	}
	old := add("old", article.Published, published)
	edited := add("edited", article.Published, published.Add(time.Hour))
	due := add("due", article.Scheduled, at.Add(-time.Minute))
	later := add("later", article.Scheduled, at.Add(time.Hour))
	draft := add("draft", article.Draft, time.Time{})
	gone := add("gone", article.Published, published.Add(2*time.Hour))

	edited.Body = "A new body.\n"
	if err := s.UpdateArticle(ctx, edited, "edit"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, gone.Slug); err != nil {
		t.Fatal(err)
	}
	// Counters are not the article's content: they leave its version.
	if err := s.AddViews(ctx, published, map[int64]int64{old.ID: 3}); err != nil {
		t.Fatal(err)
	}
	mustComment(t, s, newComment(old.ID, "ana", "Well said.", comment.Approved))
	if err := s.SetCommentsClosed(ctx, old.Slug, true); err != nil {
		t.Fatal(err)
	}

	v := func(a *article.Article, version int) store.ArticleVersion {
		return store.ArticleVersion{ID: a.ID, Version: version}
	}
	for _, test := range []struct {
		name string
		q    store.ArticleQuery
		want []store.ArticleVersion
	}{
		{"public", store.ArticleQuery{PublicAt: at}, []store.ArticleVersion{v(due, 1), v(edited, 2), v(old, 1)}},
		{"public later", store.ArticleQuery{PublicAt: at.Add(2 * time.Hour)}, []store.ArticleVersion{v(later, 1), v(due, 1), v(edited, 2), v(old, 1)}},
		{"drafts", store.ArticleQuery{Status: article.Draft}, []store.ArticleVersion{v(draft, 1)}},
		{"by author", store.ArticleQuery{PublicAt: at, AuthorSlug: "ines-okafor", Limit: 1, Offset: 1}, []store.ArticleVersion{v(edited, 2)}},
	} {
		got, err := s.ArticleVersions(ctx, test.q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("%s: ArticleVersions (-want +got):\n%s", test.name, diff)
		}
		// The same articles, in the same order, as Articles lists.
		as, err := s.Articles(ctx, test.q)
		if err != nil {
			t.Fatal(err)
		}
		var listed []store.ArticleVersion
		for _, a := range as {
			listed = append(listed, store.ArticleVersion{ID: a.ID, Version: a.Version})
		}
		if diff := cmp.Diff(listed, got); diff != "" {
			t.Errorf("%s: ArticleVersions differs from Articles (-Articles +ArticleVersions):\n%s", test.name, diff)
		}
	}
}
