package cli

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// liveIndex keeps the linking index of a running server in step with the
// store: built once at start, then every interval only the articles that
// changed (by version), appeared (a scheduled one's time came) or left
// (deleted or unpublished) are indexed again. It works the same when
// another node or the command line made the change. Once a share of the
// index is stale (see linking.Index.Stale), a fresh one is built from
// the store and swapped in; readers keep the old one meanwhile. It ranks
// with the word vectors trained on the archive when there are some, and
// trains them in the background when the archive has grown enough (see
// refreshVectors).
type liveIndex struct {
	ix       atomic.Pointer[linking.Index]
	store    store.Store
	news     *newsroom.Service
	renderer *render.Renderer
	logger   *slog.Logger
	now      func() time.Time
	// rebuildShare is the share of stale articles that makes sync
	// build the index again.
	rebuildShare float64
	// language is the site's language when its settings name none.
	language string

	mu sync.Mutex // serialises sync and build
	// versions are the indexed articles' versions, and digests what the
	// index read of each (see docDigest).
	versions map[int64]int
	digests  map[int64]uint64
	// order are the articles in the order build indexed them, and
	// rebuilt is set while the index is as build left it (sync changed
	// none of them).
	order   []int64
	rebuilt bool
	// image is where an export keeps the index between runs (nil for a
	// server), and fromImage the ID of the image the index was read from
	// or written to ("" when built from the store and kept nowhere): see
	// linkimage.go.
	image     *indexImage
	fromImage string
	// built is the language of the current index and trained the set of
	// trained vectors it ranks with (zero for none).
	built   string
	trained store.WordVectors
	// refreshing is set while refreshVectors runs, checked the time it
	// last ran (by the clock), and refreshes the running ones.
	refreshing atomic.Bool
	checked    time.Time
	refreshes  sync.WaitGroup
	// failed is set when the last refresh failed: the next waits for
	// vectorCheckInterval instead of the next sync.
	failed atomic.Bool
	// minTrain is the archive a training needs (0: the newsroom's
	// default).
	minTrain int
}

// vectorCheckInterval is how often a server looks for word vectors
// trained elsewhere (by another node, or by "dateline links train").
const vectorCheckInterval = 10 * time.Minute

// newLiveIndex returns a liveIndex not built yet: see ensure.
func newLiveIndex(news *newsroom.Service, s store.Store, r *render.Renderer, logger *slog.Logger, now func() time.Time, language string) *liveIndex {
	return &liveIndex{store: s, news: news, renderer: r, logger: logger, now: now, rebuildShare: 0.2, language: language}
}

// ensure builds the index unless it is built: serve builds it before it
// serves, an export only when it renders an article page.
func (l *liveIndex) ensure(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix.Load() != nil {
		return nil
	}
	return l.build(ctx)
}

// Related and ResolveTitle serve the article pages from the current index
// (nothing before it is built).
func (l *liveIndex) Related(id int64, n int, floor float64) []linking.Match {
	if ix := l.ix.Load(); ix != nil {
		return ix.Related(id, n, floor)
	}
	return nil
}
func (l *liveIndex) ResolveTitle(title string) (linking.Match, bool) {
	if ix := l.ix.Load(); ix != nil {
		return ix.ResolveTitle(title)
	}
	return linking.Match{}, false
}

// build indexes every public article into a new index, in the site's
// language as it is now and with the vectors trained for it, and makes
// it the current one. The caller holds l.mu, or has l to itself.
func (l *liveIndex) build(ctx context.Context) error {
	language, err := siteLanguage(ctx, l.store, l.language)
	if err != nil {
		return err
	}
	table, trained, err := l.news.SiteWordVectors(ctx, language)
	if ctx.Err() != nil {
		// Abandoned (an export that renders no article page stops the
		// build it began in advance): nothing went wrong.
		return ctx.Err()
	}
	if err != nil {
		// Ranking without them beats serving no related articles.
		l.logger.Error("read the trained word vectors: ranking without them", "err", err)
	}
	if l.image != nil {
		read, err := l.readImage(ctx, language, wordvec.ForSite(language, table), trained)
		if read || err != nil {
			return err
		}
	}
	ix, versions, digests := linking.NewIndexFor(language, table), map[int64]int{}, map[int64]uint64{}
	var order []int64
	var digestsMu sync.Mutex
	start := time.Now()
	load := ix.Loader(runtime.GOMAXPROCS(0))
	err = l.store.EachArticle(ctx, store.ArticleQuery{PublicAt: l.now(), Kind: article.Story}, func(a *article.Article) error {
		load.Add(func() linking.Doc {
			d := linking.DocFromArticle(l.renderer, a)
			digestsMu.Lock()
			digests[a.ID] = docDigest(d)
			digestsMu.Unlock()
			return d
		})
		versions[a.ID] = a.Version
		order = append(order, a.ID)
		return nil
	})
	load.Wait()
	if err != nil {
		return err
	}
	l.ix.Store(ix)
	l.versions, l.digests, l.order, l.rebuilt, l.fromImage = versions, digests, order, true, ""
	l.built, l.trained, l.checked = language, trained, l.now()
	l.logger.Info("linking index built", "articles", ix.Len(), "trained_vectors", table != nil, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// refreshVectorsIfDue starts refreshVectors in the background when the
// archive has outgrown the trained vectors or it is time to look for a
// set trained elsewhere, unless it runs already. The caller holds l.mu.
func (l *liveIndex) refreshVectorsIfDue(ctx context.Context) {
	if wordvec.ForLanguage(l.built) == nil {
		return // other languages rank without vectors
	}
	now := l.now()
	due := newsroom.WordVectorsDue(len(l.versions), l.minTrain, l.trained) && !l.failed.Load()
	if !due && now.Sub(l.checked) < vectorCheckInterval {
		return
	}
	if !l.refreshing.CompareAndSwap(false, true) {
		return
	}
	l.checked = now
	l.refreshes.Add(1)
	go func() {
		defer l.refreshes.Done()
		defer l.refreshing.Store(false)
		err := l.refreshVectors(ctx)
		l.failed.Store(err != nil)
		if err != nil && ctx.Err() == nil {
			l.logger.Error("word vectors of the archive", "err", err)
		}
	}()
}

// refreshVectors builds the index again with the trained vectors when a
// newer set is stored (another node or the command line trained it), and
// otherwise trains a set first when the archive has outgrown the one it
// has. Training takes a core and a half (see wordvec.Train), for minutes
// at most, while the current index keeps serving.
func (l *liveIndex) refreshVectors(ctx context.Context) error {
	l.mu.Lock()
	language, have, articles := l.built, l.trained, len(l.versions)
	l.mu.Unlock()
	_, stored, err := l.news.SiteWordVectors(ctx, language)
	if err != nil {
		return err
	}
	if !newsroom.WordVectorsDue(articles, l.minTrain, stored) {
		if stored.TrainedAt.Equal(have.TrainedAt) {
			return nil
		}
	} else {
		start := time.Now()
		v, err := l.news.TrainWordVectors(ctx, language, newsroom.TrainOptions{MinArticles: l.minTrain})
		if err != nil {
			return err
		}
		l.logger.Info("trained word vectors on the archive", "articles", v.Articles, "words", v.Words, "duration", time.Since(start).Round(time.Millisecond))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.build(ctx)
}

// sync brings the index up to date with the store. It lists the public
// articles' versions only, and loads whole just the articles that are new
// or changed since the last sync: with nothing changed, it reads no body.
// Cancelled midway, it leaves the index and l.versions in step, with the
// rest for the next sync.
func (l *liveIndex) sync(ctx context.Context) error {
	public, err := l.store.ArticleVersions(ctx, store.ArticleQuery{PublicAt: l.now(), Kind: article.Story})
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ix := l.ix.Load()
	if ix == nil {
		return l.build(ctx)
	}
	seen := make(map[int64]bool, len(public))
	for _, v := range public {
		seen[v.ID] = true
		if have, ok := l.versions[v.ID]; ok && have == v.Version {
			continue
		}
		whole, err := l.store.ArticleByID(ctx, v.ID)
		if errors.Is(err, store.ErrNotFound) {
			delete(seen, v.ID) // deleted since the list: removed below
			continue
		}
		if err != nil {
			return err
		}
		// A new version that changes nothing the index reads (a note,
		// a photo, the comments closed) leaves the index alone: indexing
		// an article again shifts other articles' weights a little (see
		// linking.Index.Stale), and a node would then rank differently
		// from one that has just started.
		d := linking.DocFromArticle(l.renderer, whole)
		if digest := docDigest(d); digest != l.digests[v.ID] {
			ix.Upsert(d)
			l.digests[v.ID] = digest
			l.rebuilt = false
		}
		l.versions[v.ID] = whole.Version
	}
	for id := range l.versions {
		if !seen[id] {
			l.rebuilt = false
			ix.Remove(id)
			delete(l.versions, id)
			delete(l.digests, id)
		}
	}
	if stale, n := ix.Stale(); stale > 0 && float64(stale) >= l.rebuildShare*float64(max(n, 1)) {
		l.logger.Info("linking index stale, building it again", "stale", stale, "articles", n)
		return l.build(ctx)
	}
	l.refreshVectorsIfDue(ctx)
	return nil
}

// run syncs every interval until ctx is done, and then waits for a
// training under way to stop.
func (l *liveIndex) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	defer l.refreshes.Wait()
	for {
		select {
		case <-t.C:
			if ctx.Err() != nil {
				return // select chose the tick of the two ready
			}
			if err := l.sync(ctx); err != nil && ctx.Err() == nil {
				l.logger.Error("update the linking index", "err", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

// siteLanguage is the language the site's settings name, else fallback
// (the configured default).
func siteLanguage(ctx context.Context, s store.Store, fallback string) (string, error) {
	settings, err := s.SiteSettings(ctx)
	if err != nil {
		return "", err
	}
	if settings.Language != "" {
		return settings.Language, nil
	}
	return fallback, nil
}

// docDigest sums up everything of d the index reads, the same in every
// process: an export's link memo keeps it for the next.
func docDigest(d linking.Doc) uint64 {
	h := sha256.New()
	for _, s := range append([]string{d.Slug, d.Title, d.Standfirst, d.Text, d.Published.UTC().Format(time.RFC3339Nano)}, append(d.Headings, d.Tags...)...) {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	// The counts keep a heading from passing for a tag.
	io.WriteString(h, strconv.Itoa(len(d.Headings))+"/"+strconv.Itoa(len(d.Tags)))
	var sum uint64
	for _, b := range h.Sum(nil)[:8] {
		sum = sum<<8 | uint64(b)
	}
	return sum
}
