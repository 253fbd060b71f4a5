package newsroom_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
)

func pinnedSlugs(t *testing.T, svc *newsroom.Service) string {
	t.Helper()
	as, err := svc.Pinned(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, a := range as {
		slugs = append(slugs, a.Slug)
	}
	return strings.Join(slugs, " ")
}

// TestPinningStories: editors pin published stories to the lead and
// secondary slots, move and unpin them; drafts, a sixth story and lesser
// roles are refused.
func TestPinningStories(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		for i := range 7 {
			a := &article.Article{Title: fmt.Sprintf("Story %d", i), Body: "Text.\n"}
			if err := svc.Create(ctx, sys, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Create(ctx, sys, draft("Unfinished", "Text.\n", 0)); err != nil {
			t.Fatal(err)
		}
		if err := svc.Create(ctx, sys, &article.Article{Kind: article.About, Title: "About us", Body: "Who we are.\n"}); err != nil {
			t.Fatal(err)
		}
		editor := newsroom.Person(addUser(t, s, "ed@example.org", user.Editor), "192.0.2.1")
		for _, step := range []struct {
			slug string
			at   int
		}{{"story-1", 0}, {"story-2", 0}, {"story-3", 5}} {
			if err := svc.Pin(ctx, editor, step.slug, step.at); err != nil {
				t.Fatal(err)
			}
		}
		if got := pinnedSlugs(t, svc); got != "story-2 story-1 story-3" {
			t.Errorf("pinned %s; want story-2 as the lead", got)
		}
		if err := svc.Pin(ctx, editor, "unfinished", 0); fieldOf(err) != "article" || !strings.Contains(err.Error(), "is a draft") {
			t.Errorf("pinning a draft: %v; want refused", err)
		}
		if err := svc.Pin(ctx, editor, "about-us", 0); fieldOf(err) != "article" || !strings.Contains(err.Error(), "page of the site") {
			t.Errorf("pinning a page: %v; want refused", err)
		}
		if err := svc.MovePin(ctx, editor, "story-3", -1); err != nil {
			t.Fatal(err)
		}
		if err := svc.OrderPins(ctx, editor, []string{"story-1", "story-2"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("an order leaving a pinned story out: %v; want ErrConflict", err)
		}
		if got := pinnedSlugs(t, svc); got != "story-2 story-3 story-1" {
			t.Errorf("after moving story-3 up: %s", got)
		}
		for _, slug := range []string{"story-4", "story-5"} {
			if err := svc.Pin(ctx, editor, slug, 99); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Pin(ctx, editor, "story-6", 0); fieldOf(err) != "article" || !strings.Contains(err.Error(), "unpin one first") {
			t.Errorf("a sixth pin: %v; want refused", err)
		}
		if err := svc.Unpin(ctx, editor, "story-2"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Unpin(ctx, editor, "story-6"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unpinning a story not pinned: %v; want ErrNotFound", err)
		}
		if got := pinnedSlugs(t, svc); got != "story-3 story-1 story-4 story-5" {
			t.Errorf("after unpinning the lead: %s", got)
		}
		author := newsroom.Person(addUser(t, s, "au@example.org", user.Author), "192.0.2.1")
		if err := svc.Pin(ctx, author, "story-6", 0); !errors.Is(err, newsroom.ErrForbidden) {
			t.Errorf("an author pins: %v; want refused", err)
		}
	})
}
