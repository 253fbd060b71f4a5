package storetest

import (
	"testing"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// idTests check the one ID rule for every entity a store can delete: an
// ID is never given again, not even the deleted newest one's. Pages and
// forms name records by ID (the admin moderates comments by ID), so a
// stale one must reach nothing rather than another record.
var idTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	// Issue 12: SQLite gave a deleted newest comment's or user's ID to the
	// next one; PostgreSQL never did.
	{"ArticleIDsNotGivenAgain", func(t *testing.T, s store.Store) {
		testIDsNotGivenAgain(t, createArticle(s), func(t *testing.T, id int64) {
			deleteArticleByID(t, s, id)
		})
	}},
	{"BatchArticleIDsNotGivenAgain", func(t *testing.T, s store.Store) {
		create := func(t *testing.T, name string) int64 {
			t.Helper()
			a := sample(name)
			errs, err := s.SaveArticles(ctx, []store.ArticleWrite{{Article: a}})
			if err != nil || errs[0] != nil {
				t.Fatalf("SaveArticles(%q) = %v, %v", name, errs, err)
			}
			return a.ID
		}
		testIDsNotGivenAgain(t, create, func(t *testing.T, id int64) { deleteArticleByID(t, s, id) })
	}},
	{"CommentIDsNotGivenAgainAfterDeleteComment", func(t *testing.T, s store.Store) {
		testIDsNotGivenAgain(t, createComment(t, s), func(t *testing.T, id int64) {
			t.Helper()
			if err := s.DeleteComment(ctx, id); err != nil {
				t.Fatal(err)
			}
		})
	}},
	{"CommentIDsNotGivenAgainAfterPurgeCommenter", func(t *testing.T, s store.Store) {
		testIDsNotGivenAgain(t, createComment(t, s), func(t *testing.T, id int64) {
			t.Helper()
			c, err := s.Comment(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := s.PurgeCommenter(ctx, c.Email, true); err != nil || n != 1 {
				t.Fatalf("PurgeCommenter(%q, remove) = %d, %v; want 1", c.Email, n, err)
			}
		})
	}},
	{"CommentIDsNotGivenAgainAfterDeleteArticle", func(t *testing.T, s store.Store) {
		// Each comment on an article of its own, which takes it along.
		create := func(t *testing.T, name string) int64 {
			t.Helper()
			a := sample("on-" + name)
			mustCreate(t, s, a)
			return mustComment(t, s, newComment(a.ID, name, "Comment by "+name+".", comment.Approved)).ID
		}
		testIDsNotGivenAgain(t, create, func(t *testing.T, id int64) {
			t.Helper()
			c, err := s.Comment(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteArticle(ctx, c.ArticleSlug); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Comment(ctx, id); err == nil {
				t.Fatalf("comment %d outlived its article", id)
			}
		})
	}},
	{"UserIDsNotGivenAgain", func(t *testing.T, s store.Store) {
		create := func(t *testing.T, name string) int64 {
			t.Helper()
			return mustUser(t, s, name+"@example.com", name, user.Author).ID
		}
		testIDsNotGivenAgain(t, create, func(t *testing.T, id int64) {
			t.Helper()
			if err := s.DeleteUser(ctx, id, nil); err != nil {
				t.Fatal(err)
			}
		})
	}},
}

// testIDsNotGivenAgain creates two records, removes the newest, creates
// another, and wants its ID greater than every ID given before.
func testIDsNotGivenAgain(t *testing.T, create func(t *testing.T, name string) int64, remove func(t *testing.T, id int64)) {
	t.Helper()
	first := create(t, "first")
	second := create(t, "second")
	if second <= first {
		t.Fatalf("the second record got ID %d, not more than the first's %d", second, first)
	}
	remove(t, second)
	if third := create(t, "third"); third <= second {
		t.Errorf("after the newest record (ID %d) was removed, the next one got ID %d; want more than %d, as an ID is never given again",
			second, third, second)
	}
}

// createArticle creates articles by name for testIDsNotGivenAgain.
func createArticle(s store.Store) func(t *testing.T, name string) int64 {
	return func(t *testing.T, name string) int64 {
		t.Helper()
		a := sample(name)
		mustCreate(t, s, a)
		return a.ID
	}
}

func deleteArticleByID(t *testing.T, s store.Store, id int64) {
	t.Helper()
	a, err := s.ArticleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, a.Slug); err != nil {
		t.Fatal(err)
	}
}

// createComment creates comments by name, each from its own address, on
// one article, for testIDsNotGivenAgain.
func createComment(t *testing.T, s store.Store) func(t *testing.T, name string) int64 {
	t.Helper()
	a := sample("commented")
	mustCreate(t, s, a)
	return func(t *testing.T, name string) int64 {
		t.Helper()
		return mustComment(t, s, newComment(a.ID, name, "Comment by "+name+".", comment.Approved)).ID
	}
}
