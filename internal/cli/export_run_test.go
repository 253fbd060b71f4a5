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

// An article's card changes with everything other pages show of it, and
// only with that; no two articles' fields run together the same.
func TestExportCard(t *testing.T) {
	base := func() *article.Article {
		return &article.Article{Kind: article.Story, Slug: "harbour-cranes", Title: "New Cranes", Description: "Waiting times fall.",
			FeaturedMediaID: 7, Section: &article.Section{Slug: "news", Name: "News"}, Author: &article.Author{Slug: "ines", Name: "Ines Okafor"},
			PublishedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), ReadingMinutes: 3, CommentCount: 2, Body: "The body."}
	}
	want := exportCard(base(), 4)
	same := base()
	same.Body, same.Version = "Another body, which cards do not show.", 9
	same.PublishedAt = same.PublishedAt.In(time.FixedZone("CET", 3600))
	if got := exportCard(same, 4); got != want {
		t.Errorf("a change of what cards do not show changed the card: %s, want %s", got, want)
	}
	for name, change := range map[string]func(a *article.Article){
		"kind":              func(a *article.Article) { a.Kind = article.Page },
		"slug":              func(a *article.Article) { a.Slug = "harbour-cranes-2" },
		"title":             func(a *article.Article) { a.Title = "New Cranes Arrive" },
		"description":       func(a *article.Article) { a.Description = "" },
		"photo":             func(a *article.Article) { a.FeaturedMediaID = 8 },
		"section":           func(a *article.Article) { a.Section = &article.Section{Slug: "business", Name: "News"} },
		"section name":      func(a *article.Article) { a.Section.Name = "Local News" },
		"no section":        func(a *article.Article) { a.Section = nil },
		"empty section":     func(a *article.Article) { a.Section = &article.Section{} },
		"author":            func(a *article.Article) { a.Author.Name = "Ines Okafor-Berg" },
		"no author":         func(a *article.Article) { a.Author = nil },
		"date":              func(a *article.Article) { a.PublishedAt = a.PublishedAt.Add(time.Minute) },
		"reading time":      func(a *article.Article) { a.ReadingMinutes = 4 },
		"comments":          func(a *article.Article) { a.CommentCount = 3 },
		"title into slug":   func(a *article.Article) { a.Slug, a.Title = "harbour-cranesNew", " Cranes" },
		"standfirst shifts": func(a *article.Article) { a.Title, a.Description = "New Cranes W", "aiting times fall." },
	} {
		a := base()
		change(a)
		if got := exportCard(a, 4); got == want {
			t.Errorf("%s: the card did not change", name)
		}
	}
	if exportCard(base(), 5) == want {
		t.Error("another story: the card did not change")
	}
	none, empty := base(), base()
	none.Section, empty.Section = nil, &article.Section{}
	if exportCard(none, 4) == exportCard(empty, 4) {
		t.Error("no section and a section without slug or name give the same card")
	}
}
