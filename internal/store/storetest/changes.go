package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
)

var changeTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"WatchChangesSeesWrites", testWatchChanges},
	{"ReadyAndPool", testReadyAndPool},
	{"ChangeJournal", testChangeJournal},
}

// A watcher hears of a write committed by another connection, named by
// its table where the store can tell (PostgreSQL: "redirects"; SQLite
// cannot), and stops without an error when its context ends.
func testWatchChanges(t *testing.T, s store.Store) {
	watching, stop := context.WithCancel(ctx)
	// Only the notices a redirect can send count: on PostgreSQL the
	// channel is the database's, and tests in other schemas write too.
	changed := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.WatchChanges(watching, func(table string) {
			if table != "" && table != "redirects" {
				return
			}
			select {
			case changed <- table:
			default:
			}
		})
	}()
	// The watch may not be listening yet when the first write commits:
	// write until it hears one.
	heard := false
	for i := 0; i < 50 && !heard; i++ {
		if _, err := s.AddRedirect(ctx, fmt.Sprintf("/old-%d/", i), "/new/"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changed:
			heard = true
		case <-time.After(4 * store.ChangePoll):
		}
	}
	if !heard {
		t.Fatal("the watch heard of none of 50 writes")
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("WatchChanges ended with %v; want nil once its context is done", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WatchChanges did not return once its context was done")
	}
}

// A node's readiness: the database answers and holds this binary's
// schema. The connections it reports are there to be counted.
func testReadyAndPool(t *testing.T, s store.Store) {
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready = %v on a migrated store", err)
	}
	mustCreate(t, s, sample("counted"))
	if p := s.Pool(); p.Open < 1 || p.InUse < 0 || p.InUse > p.Open || p.Max != 0 && p.Open > p.Max || p.Waits < 0 {
		t.Errorf("Pool = %+v after a write: want open connections within the limit", p)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Ready(cancelled); err == nil {
		t.Error("Ready answered nil for a cancelled check: it did not ask the database")
	}
}

// The change journal names what each write readers see changed: the
// article (and whether its listings may change), the article a comment
// is on, a site-wide table; the view counts add nothing. A follower reads
// what follows the last entry it saw, and learns when entries it had not
// read were pruned.
func testChangeJournal(t *testing.T, s store.Store) {
	start, err := s.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	since := func(after int64) []store.Change {
		t.Helper()
		cs, err := s.Changes(ctx, after, 1000)
		if err != nil {
			t.Fatalf("Changes(%d): %v", after, err)
		}
		return cs
	}
	// has reports whether cs holds an entry for table and row with that
	// listing flag.
	has := func(cs []store.Change, table string, row int64, listing bool) bool {
		for _, c := range cs {
			if c.Table == table && c.Row == row && c.Listing == listing {
				return true
			}
		}
		return false
	}
	a := sample("journalled")
	mustCreate(t, s, a)
	created := since(start)
	if !has(created, "articles", a.ID, true) || !has(created, "article_tags", a.ID, true) {
		t.Fatalf("after CreateArticle: journal %+v; want the article and its tags, as listing changes", created)
	}
	last := created[len(created)-1].ID

	edited := *a
	edited.Title = "The barrier holds, engineers say"
	if err := s.UpdateArticle(ctx, &edited, "edit"); err != nil {
		t.Fatal(err)
	}
	cs := since(last)
	if !has(cs, "articles", a.ID, false) || has(cs, "articles", a.ID, true) {
		t.Fatalf("after a new title: journal %+v; want the article, not as a listing change", cs)
	}
	last = cs[len(cs)-1].ID

	if err := s.AddViews(ctx, published, map[int64]int64{a.ID: 3}); err != nil {
		t.Fatal(err)
	}
	if cs := since(last); len(cs) != 0 {
		t.Fatalf("after AddViews: journal %+v; want nothing (a view count changes no page)", cs)
	}

	c := mustComment(t, s, newComment(a.ID, "ana", "Well reported.", comment.Approved))
	cs = since(last)
	if !has(cs, "comments", a.ID, false) {
		t.Fatalf("after comment %d: journal %+v; want the article it is on", c.ID, cs)
	}
	last = cs[len(cs)-1].ID

	unpublished := edited
	unpublished.Status = article.Draft
	if err := s.UpdateArticle(ctx, &unpublished, "unpublish"); err != nil {
		t.Fatal(err)
	}
	cs = since(last)
	if !has(cs, "articles", a.ID, true) {
		t.Fatalf("after unpublishing: journal %+v; want the article as a listing change", cs)
	}
	last = cs[len(cs)-1].ID

	// A photo's sizes made: the photo, by its ID (the pages that show it
	// are the follower's to find). Adding it to the library is no change
	// readers see.
	it := mustAddMedia(t, s, photo("journalled"))
	if cs := since(last); len(cs) != 0 {
		t.Fatalf("after AddMedia: journal %+v; want nothing (a photo no article shows)", cs)
	}
	if err := s.SetMediaVariants(ctx, it.ID, []media.Variant{{Name: "w640", Format: media.JPEG, Width: 640, Height: 480}}, media.Ready, ""); err != nil {
		t.Fatal(err)
	}
	cs = since(last)
	if !has(cs, "media", it.ID, false) {
		t.Fatalf("after SetMediaVariants: journal %+v; want the photo", cs)
	}
	last = cs[len(cs)-1].ID

	if _, err := s.AddRedirect(ctx, "/journal-old/", "/journal-new/"); err != nil {
		t.Fatal(err)
	}
	cs = since(last)
	if !has(cs, "redirects", 0, false) {
		t.Fatalf("after AddRedirect: journal %+v; want the redirects table", cs)
	}
	newest, err := s.LastChange(ctx)
	if err != nil || newest != cs[len(cs)-1].ID {
		t.Fatalf("LastChange = %d, %v; want %d", newest, err, cs[len(cs)-1].ID)
	}
	if cs := since(newest); len(cs) != 0 {
		t.Fatalf("Changes after the newest: %+v; want none", cs)
	}

	if err := s.PruneChanges(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Changes(ctx, start, 1000); !errors.Is(err, store.ErrChangesPruned) {
		t.Fatalf("Changes(%d) after pruning all but the newest: %v; want ErrChangesPruned", start, err)
	}
	if cs := since(newest - 1); len(cs) != 1 || cs[0].ID != newest {
		t.Fatalf("Changes after the one before the newest, once pruned: %+v; want the newest only", cs)
	}
}
