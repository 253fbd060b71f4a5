package cli

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// A run of the export reads the store at one instant, however long it
// takes: a story whose time comes during the run is in none of its lists,
// and in those of the next run. Its list of every public article is read
// once for its two readers (the export's list of articles, the sitemap),
// and not kept after.
func TestExportRunReadsTheStoreAtOneInstant(t *testing.T) {
	ctx := context.Background()
	s, save := storySite(t)
	save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday.")
	scheduled := save("ferry-timetable", "Ferry Timetable Changes in May", "The island ferry sails an hour earlier from May.")
	// A clock that moves a minute every time it is read.
	var minutes atomic.Int64
	ticking := func() time.Time { return clock.Now().Add(time.Duration(minutes.Add(1)) * time.Minute) }
	scheduled.Status, scheduled.PublishedAt = article.Scheduled, clock.Now().Add(90*time.Second)
	if err := s.UpdateArticle(ctx, scheduled, "scheduled"); err != nil {
		t.Fatal(err)
	}
	counting := &countingStore{Store: s}
	run := &exportRun{Store: counting, clock: ticking}

	run.pin()
	at := run.now()
	if again := run.now(); !again.Equal(at) {
		t.Fatalf("the run's time moved from %v to %v", at, again)
	}
	lists := make([][]*article.Article, 2)
	var readers sync.WaitGroup
	for i := range lists {
		readers.Go(func() {
			as, err := run.Articles(ctx, store.ArticleQuery{PublicAt: run.now()})
			if err != nil {
				t.Error(err)
			}
			lists[i] = as
		})
	}
	readers.Wait()
	if _, listed := counting.reads(); listed != 1 || len(lists[0]) != 1 || len(lists[1]) != 1 || lists[0][0] != lists[1][0] {
		t.Errorf("two readers of every public article: the store listed %d articles, the readers %d and %d; want the published story listed once, shared", listed, len(lists[0]), len(lists[1]))
	}
	// A third reader has the store list them again: the run does not
	// keep the list.
	if as, err := run.Articles(ctx, store.ArticleQuery{PublicAt: run.now()}); err != nil || len(as) != 1 || as[0] == lists[0][0] {
		t.Errorf("a third reader: %d articles, %v; want the published story, listed anew", len(as), err)
	}
	if _, listed := counting.reads(); listed != 1 {
		t.Errorf("a third reader: the store listed %d articles, want it asked", listed)
	}
	// Other lists are the store's.
	if as, err := run.Articles(ctx, store.ArticleQuery{PublicAt: run.now(), Limit: 5}); err != nil || len(as) != 1 {
		t.Errorf("a list of five: %d articles, %v; want the published story", len(as), err)
	}
	if _, listed := counting.reads(); listed != 1 {
		t.Errorf("a list of five: the store listed %d articles, want it asked", listed)
	}

	// The story's time came while the run read the store: the next run
	// lists it.
	run.pin()
	if !run.now().After(scheduled.PublishedAt) {
		t.Fatalf("the next run is at %v, before the story's time %v", run.now(), scheduled.PublishedAt)
	}
	as, err := run.Articles(ctx, store.ArticleQuery{PublicAt: run.now()})
	if _, listed := counting.reads(); err != nil || len(as) != 2 || listed != 2 {
		t.Errorf("the next run: %d articles, %v, %d listed by the store; want both stories, listed anew", len(as), err, listed)
	}
}
