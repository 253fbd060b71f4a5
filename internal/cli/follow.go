package cli

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/metrics"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// changeFollower keeps a node's pages in step with the database: after
// each change committed anywhere (another node, the command line, this
// node) it brings the linking index up to date when articles changed,
// reads the site settings again, and drops the pages, listings and
// settings the reader handlers keep, so that the change is served within
// a second on every node. While the feed is broken it tries again, and
// the page cache's time is what a change waits at most; once back, it
// refreshes everything, for the changes it missed.
type changeFollower struct {
	s       store.Store
	r       *reader
	logger  *slog.Logger
	metrics *metrics.Metrics

	connected atomic.Bool
	mu        sync.Mutex
	tables    map[string]bool // heard of since the last refresh; "" for any
	heard     time.Time       // when the oldest of them was heard
	wake      chan struct{}
}

// Timing of the change feed: how long a burst of notices settles before
// they are applied, and the wait before watching again after the feed
// broke (doubling up to the most).
const (
	feedSettle     = 50 * time.Millisecond
	feedRetryFirst = time.Second
	feedRetryMost  = 10 * time.Second
)

func newChangeFollower(s store.Store, r *reader, logger *slog.Logger, m *metrics.Metrics) *changeFollower {
	return &changeFollower{s: s, r: r, logger: logger, metrics: m, tables: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// ready says whether the feed is followed (nil) or why not.
func (f *changeFollower) ready() error {
	if !f.connected.Load() {
		return errFeedDown
	}
	return nil
}

var errFeedDown = errors.New("not following the database's changes (trying again; pages are as old as the page cache allows)")

// run follows the changes until ctx is done.
func (f *changeFollower) run(ctx context.Context) {
	var applying sync.WaitGroup
	applying.Go(func() { f.apply(ctx) })
	defer applying.Wait()
	retry := feedRetryFirst
	for ctx.Err() == nil {
		f.setConnected(true)
		start := time.Now()
		err := f.s.WatchChanges(ctx, f.heardOf)
		f.setConnected(false)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > feedRetryMost {
			retry = feedRetryFirst // it ran a while: a new failure
		}
		f.logger.Error("change feed broken: pages follow the page cache's time until it is back", "err", err, "retry_in", retry)
		// Waits until the database answers again: the pages cached
		// meanwhile are what readers get while it is away.
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(retry):
			}
			retry = min(2*retry, feedRetryMost)
			ready, cancel := context.WithTimeout(ctx, readyTimeout)
			err := f.s.Ready(ready)
			cancel()
			if err == nil {
				break
			}
		}
		// What changed meanwhile was not heard of: everything is read
		// again.
		f.heardOf("")
	}
}

func (f *changeFollower) setConnected(c bool) {
	f.connected.Store(c)
	f.metrics.Feed(c)
}

// heardOf notes a change of table ("" for unknown) for apply.
func (f *changeFollower) heardOf(table string) {
	f.mu.Lock()
	if len(f.tables) == 0 {
		f.heard = time.Now()
	}
	f.tables[table] = true
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// apply serves the changes heard of, a burst at a time, until ctx is done.
func (f *changeFollower) apply(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(feedSettle):
		}
		f.mu.Lock()
		tables, heard := f.tables, f.heard
		f.tables = map[string]bool{}
		f.mu.Unlock()
		if len(tables) == 0 {
			continue
		}
		var err error
		if tables[""] || tables["articles"] || tables["article_tags"] || tables["article_media"] {
			if err = f.r.links.sync(ctx); err != nil && ctx.Err() == nil && !web.Unavailable(err) {
				f.logger.Error("change feed: update the linking index", "err", err)
			}
		}
		if err == nil && (tables[""] || tables["settings"] || tables["sections"]) {
			if err = f.r.site.LoadSettings(ctx, f.s); err != nil && ctx.Err() == nil && !web.Unavailable(err) {
				f.logger.Error("change feed: read the settings", "err", err)
			}
		}
		if web.Unavailable(err) {
			// The database went away: the cached pages are kept for
			// readers, and the changes are tried again in a while.
			select {
			case <-ctx.Done():
				return
			case <-time.After(feedRetryFirst):
			}
			for t := range tables {
				f.heardOf(t)
			}
			continue
		}
		f.r.public.Refresh()
		f.metrics.ChangeApplied(time.Since(heard))
	}
}
