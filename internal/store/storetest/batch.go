package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

var batchTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"SaveArticlesEachAlone", testSaveArticlesEachAlone},
	{"SaveArticlesCancelled", testSaveArticlesCancelled},
}

// A batch stores what it can: a failing article (a taken slug, a missing
// owner, a stale update, a repeated tag) leaves nothing of its own, and
// the articles before and after it are stored.
func testSaveArticlesEachAlone(t *testing.T, s store.Store) {
	existing := sample("existing")
	mustCreate(t, s, existing)
	edited := *existing
	edited.Title = "The barrier held, engineers confirm"

	first, clash, repeatedTag, last := sample("first"), sample("existing"), sample("repeated-tag"), sample("last")
	clash.Source = "/imports/other.md"
	orphan, second := sample("orphan"), sample("second")
	orphan.OwnerID = 999999 // no such user
	repeatedTag.Tags = []article.Tag{{Name: "Rivers", Slug: "rivers"}, {Name: "rivers again", Slug: "rivers"}}
	stale := *existing // edited below first, so this one is stale
	stale.Title = "A stale edit"
	ws := []store.ArticleWrite{
		{Article: first},
		{Article: orphan},
		{Article: second},
		{Article: clash},
		{Article: &edited, Note: "headline"},
		{Article: repeatedTag},
		{Article: &stale, Note: "stale"},
		{Article: last},
	}
	errs, err := s.SaveArticles(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{nil, store.ErrNotFound, nil, store.ErrConflict, nil, errAny, store.ErrConflict, nil} {
		switch {
		case want == nil && errs[i] != nil:
			t.Errorf("write %d (%s): %v, want it stored", i, ws[i].Article.Slug, errs[i])
		case want == errAny && errs[i] == nil, want != nil && want != errAny && !errors.Is(errs[i], want):
			t.Errorf("write %d (%s): err = %v, want %v", i, ws[i].Article.Slug, errs[i], want)
		}
	}
	for _, want := range []*article.Article{first, second, last} {
		if a, err := s.Article(ctx, want.Slug); err != nil || a.Version != 1 || a.ID != want.ID || a.Tags[0].ID != want.Tags[0].ID {
			t.Errorf("Article(%q) = %v, %v; want it stored as ID %d", want.Slug, a, err, want.ID)
		}
	}
	if orphan.ID != 0 || clash.ID != 0 {
		t.Errorf("failed writes have IDs %d and %d, want 0", orphan.ID, clash.ID)
	}
	if _, err := s.Article(ctx, "repeated-tag"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed write left its article: %v", err)
	}
	got, err := s.Article(ctx, "existing")
	if err != nil || got.Title != edited.Title || got.Version != 2 {
		t.Errorf("the updated article = %+v, %v; want version 2 titled %q", got, err, edited.Title)
	}
	if revs, err := s.Revisions(ctx, existing.ID); err != nil || len(revs) != 1 || revs[0].Note != "headline" {
		t.Errorf("revisions = %+v, %v; want the one kept by the update", revs, err)
	}
	if n, err := s.CountArticles(ctx, store.ArticleQuery{}); err != nil || n != 4 {
		t.Errorf("CountArticles = %d, %v; want 4", n, err)
	}
}

// errAny stands for "some error" in a table of expected errors.
var errAny = errors.New("any error")

// A batch that cannot commit stores nothing, and its new articles do not
// look stored.
func testSaveArticlesCancelled(t *testing.T, s store.Store) {
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	a := sample("never")
	if _, err := s.SaveArticles(cancelled, []store.ArticleWrite{{Article: a}}); err == nil {
		t.Fatal("SaveArticles on a cancelled context succeeded")
	}
	if a.ID != 0 || a.Version != 0 {
		t.Errorf("after a failed batch the article has ID %d, version %d; want 0, 0", a.ID, a.Version)
	}
	if n, err := s.CountArticles(ctx, store.ArticleQuery{}); err != nil || n != 0 {
		t.Errorf("CountArticles = %d, %v; want 0", n, err)
	}
}
