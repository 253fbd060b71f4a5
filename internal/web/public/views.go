package public

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// ViewCounter counts article page views in memory and adds them to the
// store in batches, so that counting never slows a page. It sets no cookie
// and keeps no address: a view is a number added to an article's total.
type ViewCounter struct {
	store  store.ArticleStore
	logger *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	pending map[int64]int64
}

// NewViewCounter returns a counter writing to s, counting each view on
// the day now says.
func NewViewCounter(s store.ArticleStore, logger *slog.Logger, now func() time.Time) *ViewCounter {
	return &ViewCounter{store: s, logger: logger, now: now, pending: map[int64]int64{}}
}

// Count records one view of the article with the given ID.
func (v *ViewCounter) Count(articleID int64) {
	v.mu.Lock()
	v.pending[articleID]++
	v.mu.Unlock()
}

// Flush adds the views counted so far to the store. When the store fails
// they are kept for the next flush.
func (v *ViewCounter) Flush(ctx context.Context) error {
	v.mu.Lock()
	batch := v.pending
	v.pending = map[int64]int64{}
	v.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := v.store.AddViews(ctx, v.now(), batch); err != nil {
		v.mu.Lock()
		for id, n := range batch {
			v.pending[id] += n
		}
		v.mu.Unlock()
		return err
	}
	return nil
}

// Run flushes every interval until ctx is done, then flushes once more so
// that a shutdown loses no views.
func (v *ViewCounter) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := v.Flush(ctx); err != nil {
				v.logger.Error("flush view counts", "err", err)
			}
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if err := v.Flush(final); err != nil {
				v.logger.Error("flush view counts at shutdown", "err", err)
			}
			cancel()
			return
		}
	}
}
