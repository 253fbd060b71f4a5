package cli

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/metrics"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/datelinehq/dateline/internal/web/public"
)

// changeFollower keeps a node's pages in step with the database: after
// each change committed anywhere (another node, the command line, this
// node) it reads what changed from the store's change journal, brings the
// linking index up to date when articles changed, reads the site settings
// again when they did, drops exactly the cached pages that show what
// changed, and has the caches in front of the nodes purge them, so that
// the change is served within a second on every node. The notices
// (PostgreSQL's LISTEN, SQLite's data_version) only wake it; a poll of
// the journal catches what a notice missed. While the feed is broken it
// tries again, and the page cache's time is what a change waits at most;
// once back, it reads what it missed from the journal.
type changeFollower struct {
	s       store.Store
	r       *reader
	logger  *slog.Logger
	metrics *metrics.Metrics
	purges  *purge.Queue
	now     func() time.Time
	// relatedFloor is the reader pages' (see public.Options).
	relatedFloor float64

	connected atomic.Bool
	mu        sync.Mutex
	heard     time.Time // when the oldest notice not yet applied came
	pending   bool
	wake      chan struct{}

	// The journal as read: every entry up to after is applied, and so
	// is every one up to top but those in gaps (IDs PostgreSQL gave to
	// transactions not committed when the entries after them were read,
	// with the time each was noticed).
	after, top int64
	gaps       map[int64]time.Time
}

// Timing of the change feed: how long a burst of notices settles before
// they are applied, the wait before watching again after the feed broke
// (doubling up to the most), how often the journal is read without a
// notice, how long an ID missing from it may still come (a transaction
// under way; past that, one rolled back), and how much of it is kept.
const (
	feedSettle     = 50 * time.Millisecond
	feedRetryFirst = time.Second
	feedRetryMost  = 10 * time.Second
	journalPoll    = 2 * time.Second
	journalGapWait = 30 * time.Second
	journalBatch   = 1000
	journalKeep    = 100000
	journalPrune   = 10 * time.Minute
)

func newChangeFollower(s store.Store, r *reader, logger *slog.Logger, m *metrics.Metrics, purges *purge.Queue, now func() time.Time) *changeFollower {
	return &changeFollower{s: s, r: r, logger: logger, metrics: m, purges: purges, now: now, gaps: map[int64]time.Time{}, wake: make(chan struct{}, 1)}
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
	// Where the journal stands now: the pages were built after it.
	for ctx.Err() == nil {
		last, err := f.s.LastChange(ctx)
		if err == nil {
			f.after, f.top = last, last
			break
		}
		f.logger.Error("change feed: read the change journal", "err", err, "retry_in", feedRetryFirst)
		select {
		case <-ctx.Done():
		case <-time.After(feedRetryFirst):
		}
	}
	var loops sync.WaitGroup
	loops.Go(func() { f.apply(ctx) })
	loops.Go(func() { f.poll(ctx) })
	defer loops.Wait()
	retry := feedRetryFirst
	for ctx.Err() == nil {
		f.setConnected(true)
		start := time.Now()
		err := f.s.WatchChanges(ctx, func(string) { f.heardOf() })
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
		// What changed meanwhile is in the journal.
		f.heardOf()
	}
}

func (f *changeFollower) setConnected(c bool) {
	f.connected.Store(c)
	f.metrics.Feed(c)
}

// poll reads the journal every journalPoll, for changes whose notice was
// lost, and keeps the journal short.
func (f *changeFollower) poll(ctx context.Context) {
	tick := time.NewTicker(journalPoll)
	defer tick.Stop()
	lastPrune := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		f.heardOf()
		if time.Since(lastPrune) > journalPrune {
			lastPrune = time.Now()
			if err := f.s.PruneChanges(ctx, journalKeep); err != nil && ctx.Err() == nil && !web.Unavailable(err) {
				f.logger.Error("change feed: prune the change journal", "err", err)
			}
		}
	}
}

// heardOf notes that the journal may hold new entries, for apply.
func (f *changeFollower) heardOf() {
	f.mu.Lock()
	if !f.pending {
		f.pending, f.heard = true, time.Now()
	}
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
		heard := f.heard
		f.pending = false
		f.mu.Unlock()
		changes, missed, err := f.read(ctx)
		if err == nil && (missed || len(changes) > 0) {
			err = f.serve(ctx, changes, missed, heard)
		}
		if err == nil || ctx.Err() != nil {
			continue
		}
		if !web.Unavailable(err) {
			f.logger.Error("change feed: apply changes", "err", err)
		}
		// The database went away: the cached pages are kept for readers,
		// and the changes are read again in a while (the journal keeps
		// them).
		select {
		case <-ctx.Done():
			return
		case <-time.After(feedRetryFirst):
		}
		f.heardOf()
	}
}

// read returns the journal's entries not applied yet. missed says that
// some were pruned before they were read: everything may have changed.
func (f *changeFollower) read(ctx context.Context) (changes []store.Change, missed bool, err error) {
	if len(f.gaps) > 0 {
		// Entries that were missing when later ones were read may have
		// committed since.
		cs, err := f.s.Changes(ctx, f.after, journalBatch)
		if err != nil && !errors.Is(err, store.ErrChangesPruned) {
			return nil, false, err
		}
		for _, c := range cs {
			if _, ok := f.gaps[c.ID]; ok {
				delete(f.gaps, c.ID)
				changes = append(changes, c)
			}
		}
	}
	for {
		cs, err := f.s.Changes(ctx, f.top, journalBatch)
		if errors.Is(err, store.ErrChangesPruned) {
			last, err := f.s.LastChange(ctx)
			if err != nil {
				return nil, false, err
			}
			f.after, f.top, f.gaps = last, last, map[int64]time.Time{}
			return nil, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		now := f.now()
		for _, c := range cs {
			for id := f.top + 1; id < c.ID; id++ {
				f.gaps[id] = now
			}
			f.top = c.ID
		}
		changes = append(changes, cs...)
		if len(cs) < journalBatch {
			break
		}
	}
	// The first gap not given up on holds after back.
	now := f.now()
	f.after = f.top
	for id, seen := range f.gaps {
		if now.Sub(seen) > journalGapWait {
			delete(f.gaps, id)
		} else if id <= f.after {
			f.after = id - 1
		}
	}
	return changes, false, nil
}

// serve brings the node's state and the caches in front of it up to date
// with changes (all of them when missed).
func (f *changeFollower) serve(ctx context.Context, changes []store.Change, missed bool, heard time.Time) error {
	keys, all, err := purge.Affected(ctx, f.s, changes)
	if err != nil {
		return err
	}
	all = all || missed
	articles, listing := all, false
	for _, c := range changes {
		switch c.Table {
		case "articles", "article_tags", "article_media":
			articles = true
		}
		listing = listing || c.Listing
	}
	if articles {
		if err := f.r.links.sync(ctx); err != nil {
			return err
		}
	}
	// An article published (or moved) may now be among the related
	// articles of those most like it, as they are among its own.
	listed := map[int64]bool{}
	for _, c := range changes {
		if c.Listing && !listed[c.Row] {
			listed[c.Row] = true
			for _, m := range f.r.links.Related(c.Row, 2*public.RelatedCount, f.relatedFloor) {
				keys = append(keys, purge.Article(m.ID))
			}
		}
	}
	if all {
		if err := f.r.site.LoadSettings(ctx, f.s); err != nil {
			return err
		}
		keys = []string{purge.Site}
	}
	f.r.public.Purge(keys, listing, all)
	f.purges.Add(keys...)
	f.metrics.ChangeApplied(time.Since(heard))
	return nil
}
