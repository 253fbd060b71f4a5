package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
)

// storySite opens a site on a new SQLite file, and returns it with a
// function that publishes a story an hour before the clock's time.
func storySite(t *testing.T) (*sqlite.DB, func(slug, title, body string) *article.Article) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	at := clock.Now().Add(-time.Hour)
	return s, func(slug, title, body string) *article.Article {
		t.Helper()
		a := &article.Article{Slug: slug, Title: title, Body: body, Status: article.Published, PublishedAt: at}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
}

// TestLiveIndex checks that the server's linking index follows the store:
// new, changed and unpublished articles, and a rebuild once it is stale.
func TestLiveIndex(t *testing.T) {
	ctx := context.Background()
	s, save := storySite(t)
	save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday. Dredging barges work the harbour channel at night.")
	save("harbour-fees", "Harbour Fees Rise for Barges", "Barges pay higher harbour fees from spring. The harbour board says dredging costs rose.")
	orchard := save("orchard-frost", "Frost Hits the Orchards", "A late frost damaged apple blossom in the orchards. Growers lit fires between the rows.")

	l := newLiveIndex(newsroom.New(s, render.New(), clock.Now, slog.New(slog.NewTextHandler(io.Discard, nil))), s, render.New(), slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now, "en")
	if err := l.ensure(ctx); err != nil {
		t.Fatal(err)
	}
	related := func(slug string) []string {
		a, err := s.Article(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range l.Related(a.ID, 5, 0) {
			out = append(out, m.Slug)
		}
		return out
	}
	if got := related("harbour-dredging"); len(got) != 1 || got[0] != "harbour-fees" {
		t.Fatalf("related to harbour-dredging = %v, want [harbour-fees]", got)
	}

	// A new article and a changed one are indexed at the next sync.
	save("harbour-silt", "Silt Fills the Harbour", "Silt from the river fills the harbour faster than dredging removes it.")
	orchard.Body = "The harbour dredging contract went to a new firm. Its barges arrive in the harbour next week."
	if err := s.UpdateArticle(ctx, orchard, "rewrite"); err != nil {
		t.Fatal(err)
	}
	if err := l.sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := related("harbour-dredging"); len(got) != 3 {
		t.Errorf("related to harbour-dredging after sync = %v, want the fees, silt and orchard articles", got)
	}

	// A deleted article leaves the index, and makes a third of it stale:
	// enough (past a fifth) for the index to be built again from the store.
	before := l.ix.Load()
	if err := s.DeleteArticle(ctx, "harbour-silt"); err != nil {
		t.Fatal(err)
	}
	if err := l.sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, slug := range related("harbour-dredging") {
		if slug == "harbour-silt" {
			t.Error("a deleted article is still related")
		}
	}
	if l.ix.Load() == before {
		t.Error("a third of the index stale did not make it build again")
	}
	if stale, n := l.ix.Load().Stale(); stale != 0 || n != 3 {
		t.Errorf("rebuilt index: %d stale of %d, want 0 of 3", stale, n)
	}
}

// countingStore is a real store that counts what the linking index reads
// of it: whole articles (with their bodies), and articles listed.
type countingStore struct {
	store.Store
	mu             sync.Mutex
	bodies, listed int
}

func (c *countingStore) count(bodies, listed int) {
	c.mu.Lock()
	c.bodies += bodies
	c.listed += listed
	c.mu.Unlock()
}

// reads returns the counts and sets them back to zero.
func (c *countingStore) reads() (bodies, listed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	bodies, listed = c.bodies, c.listed
	c.bodies, c.listed = 0, 0
	return bodies, listed
}

func (c *countingStore) Article(ctx context.Context, slug string) (*article.Article, error) {
	c.count(1, 0)
	return c.Store.Article(ctx, slug)
}

func (c *countingStore) ArticleByID(ctx context.Context, id int64) (*article.Article, error) {
	c.count(1, 0)
	return c.Store.ArticleByID(ctx, id)
}

func (c *countingStore) EachArticle(ctx context.Context, q store.ArticleQuery, fn func(*article.Article) error) error {
	return c.Store.EachArticle(ctx, q, func(a *article.Article) error { c.count(1, 0); return fn(a) })
}

func (c *countingStore) Articles(ctx context.Context, q store.ArticleQuery) ([]*article.Article, error) {
	as, err := c.Store.Articles(ctx, q)
	c.count(0, len(as))
	return as, err
}

// TestLiveIndexFollowsChanges checks that a sync reads whole only the
// articles that changed: an edit, a new article, an unpublished one and a
// deleted one each show after one sync, and a sync with nothing changed
// reads no article at all. (Issue 12: every sync re-read the archive.)
func TestLiveIndexFollowsChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sq, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	s := &countingStore{Store: sq}
	at := clock.Now().Add(-time.Hour)
	save := func(n int) *article.Article {
		t.Helper()
		a := &article.Article{Slug: fmt.Sprintf("story-%d", n), Title: fmt.Sprintf("Story number %d", n),
			Body: fmt.Sprintf("Story %d tells of the harbour and its barges.", n), Status: article.Published, PublishedAt: at}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	// Enough articles that the changes below leave the index short of
	// stale, so that no sync builds it again from the whole archive.
	var as []*article.Article
	for n := range 20 {
		as = append(as, save(n))
	}
	l := newLiveIndex(newsroom.New(s, render.New(), clock.Now, slog.New(slog.NewTextHandler(io.Discard, nil))), s, render.New(), slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now, "en")
	if err := l.ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if bodies, _ := s.reads(); bodies != 20 {
		t.Fatalf("building the index read %d articles, want the 20 public ones", bodies)
	}
	var added *article.Article
	for _, test := range []struct {
		name   string
		change func()
		check  func() string // what is wrong with the index, if anything
		bodies int
	}{
		{"nothing changed", func() {}, func() string {
			if n := l.ix.Load().Len(); n != 20 {
				return fmt.Sprintf("%d articles indexed, want 20", n)
			}
			return ""
		}, 0},
		{"edit", func() {
			as[0].Title = "Dredgers reach the inner harbour"
			if err := s.UpdateArticle(ctx, as[0], "edit"); err != nil {
				t.Fatal(err)
			}
		}, func() string {
			if d, _ := l.ix.Load().Doc(as[0].ID); d.Title != as[0].Title {
				return fmt.Sprintf("the edited article is indexed with title %q", d.Title)
			}
			return ""
		}, 1},
		{"new article", func() { added = save(20) }, func() string {
			if _, ok := l.ix.Load().Doc(added.ID); !ok {
				return "the new article is not indexed"
			}
			return ""
		}, 1},
		{"unpublish", func() {
			as[1].Status = article.Draft
			if err := s.UpdateArticle(ctx, as[1], "unpublish"); err != nil {
				t.Fatal(err)
			}
		}, func() string {
			if _, ok := l.ix.Load().Doc(as[1].ID); ok {
				return "the unpublished article is still indexed"
			}
			return ""
		}, 0},
		{"delete", func() {
			if err := s.DeleteArticle(ctx, as[2].Slug); err != nil {
				t.Fatal(err)
			}
		}, func() string {
			if _, ok := l.ix.Load().Doc(as[2].ID); ok {
				return "the deleted article is still indexed"
			}
			return ""
		}, 0},
		{"nothing changed again", func() {}, func() string {
			if n := l.ix.Load().Len(); n != 19 {
				return fmt.Sprintf("%d articles indexed, want 19", n)
			}
			return ""
		}, 0},
	} {
		test.change()
		before := l.ix.Load()
		if err := l.sync(ctx); err != nil {
			t.Fatalf("%s: sync: %v", test.name, err)
		}
		if l.ix.Load() != before {
			t.Errorf("%s: the sync built the index again", test.name)
		}
		if problem := test.check(); problem != "" {
			t.Errorf("%s: after one sync, %s", test.name, problem)
		}
		if bodies, listed := s.reads(); bodies != test.bodies || listed != 0 {
			t.Errorf("%s: the sync read %d whole articles and listed %d; want %d and none", test.name, bodies, listed, test.bodies)
		}
	}
}

// TestLiveIndexTrainsWordVectors checks issue 16's training on the site's
// archive: once the archive is large enough a sync trains word vectors in
// the background, stores them and builds the index again with them; a set
// trained elsewhere (another node, "dateline links train") is picked up
// within vectorCheckInterval.
func TestLiveIndexTrainsWordVectors(t *testing.T) {
	wordvectest.English(t)
	t.Parallel()
	ctx := context.Background()
	clk := testclock.New(testclock.Date(2026, 3, 2, 9, 0))
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	save := func(n int) {
		t.Helper()
		a := &article.Article{Slug: fmt.Sprintf("story-%d", n), Title: fmt.Sprintf("Story %d", n), Body: topicBody(n),
			Status: article.Published, PublishedAt: clk.Now().Add(-time.Hour)}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for n := range 40 {
		save(n)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	news := newsroom.New(s, render.New(), clk.Now, logger)
	l := newLiveIndex(news, s, render.New(), logger, clk.Now, "en")
	if err := l.ensure(ctx); err != nil {
		t.Fatal(err)
	}
	l.minTrain = 50
	sync := func() {
		t.Helper()
		if err := l.sync(ctx); err != nil {
			t.Fatal(err)
		}
		l.refreshes.Wait()
	}
	sync()
	if _, err := s.WordVectors(ctx, "en"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("40 stories, short of 50, were trained on: %v", err)
	}
	for n := 40; n < 60; n++ {
		save(n)
	}
	sync()
	stored, err := s.WordVectors(ctx, "en")
	if err != nil {
		t.Fatalf("60 stories were not trained on: %v", err)
	}
	if stored.Articles != 60 || l.trained.Articles != 60 || !l.trained.TrainedAt.Equal(stored.TrainedAt) {
		t.Errorf("stored set of %d articles, index built with a set of %d; want both 60", stored.Articles, l.trained.Articles)
	}
	if got := l.ix.Load().Len(); got != 60 {
		t.Errorf("the rebuilt index holds %d articles; want 60", got)
	}
	// Grown by less than a quarter: no training.
	for n := 60; n < 70; n++ {
		save(n)
	}
	sync()
	if again, _ := s.WordVectors(ctx, "en"); again.Articles != 60 {
		t.Errorf("grown by a sixth, the archive was trained on again (%d articles)", again.Articles)
	}

	// Another node trains; this one sees it once vectorCheckInterval has
	// passed, not before.
	clk.Add(time.Minute)
	other, err := news.TrainWordVectors(ctx, "en", newsroom.TrainOptions{MinArticles: 50})
	if err != nil {
		t.Fatal(err)
	}
	sync()
	if l.trained.TrainedAt.Equal(other.TrainedAt) {
		t.Error("a set trained elsewhere was read before vectorCheckInterval passed")
	}
	clk.Add(vectorCheckInterval)
	sync()
	if !l.trained.TrainedAt.Equal(other.TrainedAt) || l.trained.Articles != 70 {
		t.Errorf("the index ranks with the set trained at %v on %d articles; want the one trained elsewhere at %v on 70",
			l.trained.TrainedAt, l.trained.Articles, other.TrainedAt)
	}
}

// topicBody is a story of a few sentences on one of two subjects, drawn
// from their words, so that training has words that recur in contexts.
func topicBody(n int) string {
	sea := []string{"harbour", "ferry", "dock", "cargo", "crew", "vessel", "pier", "tide"}
	law := []string{"court", "judge", "trial", "jury", "verdict", "appeal", "lawyer", "sentence"}
	words := sea
	if n%2 == 1 {
		words = law
	}
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "The %s ", words[(n*7+i*3)%len(words)])
		if i%4 == 3 {
			b.WriteString("was busy.\n\n")
		}
	}
	return b.String()
}

// cancelOnVectors is a store whose read of the word vectors comes as the
// build is abandoned.
type cancelOnVectors struct {
	store.Store
	cancel context.CancelFunc
}

func (s cancelOnVectors) WordVectors(ctx context.Context, language string) (store.WordVectors, error) {
	s.cancel()
	return store.WordVectors{}, ctx.Err()
}

// A build abandoned while it reads the vectors (an export that renders
// no article page stops the one it began in advance) says nothing: no
// error is logged for what did not go wrong.
func TestLiveIndexAbandonedQuietly(t *testing.T) {
	s, save := storySite(t)
	save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday.")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	abandoning := cancelOnVectors{Store: s, cancel: cancel}
	l := newLiveIndex(newsroom.New(abandoning, render.New(), clock.Now, logger), abandoning, render.New(), logger, clock.Now, "en")
	if err := l.ensure(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ensure = %v; want the build abandoned", err)
	}
	if strings.Contains(logged.String(), "level=ERROR") {
		t.Errorf("an abandoned build logged an error:\n%s", logged.String())
	}
}
