package public

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
)

// heldStore is a real store whose first AddViews waits for release.
type heldStore struct {
	store.Store
	held    chan struct{} // closed when AddViews waits
	release chan struct{}
	once    sync.Once
}

func (h *heldStore) AddViews(ctx context.Context, day time.Time, views map[int64]int64) error {
	h.once.Do(func() {
		close(h.held)
		<-h.release
	})
	return h.Store.AddViews(ctx, day, views)
}

// TestViewCounterFinishesAFlushAtShutdown stops the counter while a
// flush is under way: the flush completes, and nothing is logged as a
// failure. Issue 12: a cancelled flush logged an error at every such
// shutdown.
func TestViewCounterFinishesAFlushAtShutdown(t *testing.T) {
	t.Parallel()
	c := testclock.New(published)
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := &article.Article{Slug: "harbour-dredging", Title: "Harbour Dredging Starts Again", Body: "The dredgers are back.", Status: article.Published, PublishedAt: published}
	if err := s.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	hs := &heldStore{Store: s, held: make(chan struct{}), release: make(chan struct{})}
	var log strings.Builder
	v := NewViewCounter(hs, slog.New(slog.NewTextHandler(&lockedWriter{w: &log}, nil)), c.Now)
	v.Count(a.ID)
	v.Count(a.ID)

	running, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		v.Run(running, time.Millisecond)
		close(done)
	}()
	<-hs.held
	stop()
	close(hs.release)
	<-done
	if log.Len() != 0 {
		t.Errorf("the counter logged:\n%s", log.String())
	}
	got, err := s.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Views != 2 {
		t.Errorf("%d views saved, want 2", got.Views)
	}
}
