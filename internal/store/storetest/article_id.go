package storetest

import (
	"errors"
	"testing"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
)

// articleIDTests are the tests of finding articles by ID.
var articleIDTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"ArticleByID", testArticleByID},
}

func testArticleByID(t *testing.T, s store.Store) {
	owner := mustUser(t, s, "ines@example.org", "Ines Okafor", user.Author)
	other := sample("other")
	mustCreate(t, s, other)
	a := sample("by-id")
	a.OwnerID = owner.ID
	mustCreate(t, s, a)
	// Counters and a later version, so that every field has something
	// to compare.
	if err := s.AddViews(ctx, published, map[int64]int64{a.ID: 4}); err != nil {
		t.Fatal(err)
	}
	mustComment(t, s, newComment(a.ID, "ana", "Well said.", comment.Approved))
	if err := s.SetCommentsClosed(ctx, a.Slug, true); err != nil {
		t.Fatal(err)
	}
	a.Slug = "renamed"
	if err := s.UpdateArticle(ctx, a, "rename"); err != nil {
		t.Fatal(err)
	}

	got, err := s.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	bySlug, err := s.Article(ctx, "renamed")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(bySlug, got); diff != "" {
		t.Errorf("ArticleByID differs from Article by slug (-bySlug +byID):\n%s", diff)
	}
	if got.ID != a.ID || got.Slug != "renamed" || got.Body == "" || len(got.Tags) != 2 || got.Author == nil ||
		len(got.RequestedLinks) != 2 || got.OwnerID != owner.ID || got.Version != 2 ||
		got.Views != 4 || got.CommentCount != 1 || !got.CommentsClosed {
		t.Errorf("ArticleByID(%d) = %+v; want the whole renamed article with its owner and counters", a.ID, got)
	}
	if diff := cmp.Diff(a, got, ignoreIDs, approxTime); diff != "" {
		t.Errorf("ArticleByID mismatch with what was saved (-want +got):\n%s", diff)
	}

	for _, id := range []int64{0, -1, a.ID + other.ID + 1000} {
		if _, err := s.ArticleByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ArticleByID(%d): err = %v, want ErrNotFound", id, err)
		}
	}
	if err := s.DeleteArticle(ctx, "renamed"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ArticleByID(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ArticleByID of a deleted article: err = %v, want ErrNotFound", err)
	}
}
