package cli

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// liveIndex keeps the linking index of a running server in step with the
// store: built once at start, then every interval only the articles that
// changed (by version), appeared (a scheduled one's time came) or left
// (deleted or unpublished) are indexed again. It works the same when
// another node or the command line made the change.
type liveIndex struct {
	*linking.Index
	store    store.Store
	renderer *render.Renderer
	logger   *slog.Logger

	mu       sync.Mutex
	versions map[int64]int
}

func newLiveIndex(ctx context.Context, s store.Store, r *render.Renderer, logger *slog.Logger) (*liveIndex, error) {
	l := &liveIndex{Index: linking.NewIndex(), store: s, renderer: r, logger: logger, versions: map[int64]int{}}
	start := time.Now()
	err := s.EachArticle(ctx, store.ArticleQuery{PublicAt: time.Now()}, func(a *article.Article) error {
		l.Upsert(linking.DocFromArticle(r, a))
		l.versions[a.ID] = a.Version
		return nil
	})
	if err != nil {
		return nil, err
	}
	logger.Info("linking index built", "articles", l.Len(), "duration", time.Since(start).Round(time.Millisecond))
	return l, nil
}

// sync brings the index up to date with the store.
func (l *liveIndex) sync(ctx context.Context) error {
	public, err := l.store.Articles(ctx, store.ArticleQuery{PublicAt: time.Now()})
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := make(map[int64]bool, len(public))
	for _, a := range public {
		seen[a.ID] = true
		if v, ok := l.versions[a.ID]; ok && v == a.Version {
			continue
		}
		whole, err := l.store.Article(ctx, a.Slug)
		if err != nil {
			return err
		}
		l.Upsert(linking.DocFromArticle(l.renderer, whole))
		l.versions[a.ID] = whole.Version
	}
	for id := range l.versions {
		if !seen[id] {
			l.Remove(id)
			delete(l.versions, id)
		}
	}
	return nil
}

// run syncs every interval until ctx is done.
func (l *liveIndex) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := l.sync(ctx); err != nil && ctx.Err() == nil {
				l.logger.Error("update the linking index", "err", err)
			}
		case <-ctx.Done():
			return
		}
	}
}
