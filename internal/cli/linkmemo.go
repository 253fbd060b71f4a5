package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web/public"
)

// An export keeps the linking engine's answers to its pages (related
// articles, requested links resolved by title) beside its manifest, with
// what the index that gave them was built from: the site's settings and
// the program (the export's fingerprint), the trained word vectors, and
// every indexed article in build order with a digest of what the index
// read of it, and the image the index was read from if it was (see
// linkimage.go). The index is built in the same order on every run, so
// that the same input gives the same answers (linking.Loader), as the
// same image given the same articles does: an export that finds it
// unchanged reads the answers instead of making the index. A note, a
// comment, a photo or a closed comment thread change an article's page,
// not what the index reads of it.

// linkMemoFile is the memo's name in the export's state folder. It is
// kept in encoding/gob, which an export after a note reads and writes
// in a fraction of the time JSON took (4 MB at 10,000 articles).
const linkMemoFile = "links.gob"

// legacyLinkMemoFile is where the memo was kept before, as JSON: it is
// removed with the memo.
const legacyLinkMemoFile = "links.json"

// linkMemoFormat changes with the memo's format.
const linkMemoFormat = 2

// memoDepth is how many related articles the memo keeps of each: what
// an article page shows, and the neighbours an incremental export
// renders again for an article whose text changed.
const memoDepth = 2 * public.RelatedCount

// maxMemoChecks bounds the articles whose version changed since the memo
// that an export reads again to see whether the index would read them
// the same, and those changed since the index's image that it indexes
// again; beyond it the index is built from the store.
const maxMemoChecks = 200

type linkMemo struct {
	Format int
	// Key digests the input besides the articles: see memoKey.
	Key string
	// Image is the ID of the image the index was read from or kept in,
	// if any (see linkimage.go): an index read from another image may
	// answer otherwise.
	Image string
	// Articles are the indexed articles in the order the index was
	// built in, or, for an index read from an image, in the listing's.
	Articles []memoArticle
	// Related are the related articles of each, best first, at most
	// memoDepth.
	Related map[int64][]memoMatch
	// Titles are the titles resolved, with the article found (0 for
	// none).
	Titles map[string]int64

	byID map[int64]int // the index in Articles of each
}

type memoArticle struct {
	ID      int64
	Version int
	Digest  uint64 // docDigest of what the index read
	Slug    string
	Title   string
}

type memoMatch struct {
	ID    int64
	Score float64
}

// memoKey digests the index's input besides the articles.
func memoKey(fingerprint, language string, trained store.WordVectors) string {
	b, _ := json.Marshal([]any{linkMemoFormat, fingerprint, language, trained.TrainedAt.UTC().Format(time.RFC3339Nano), trained.Articles, trained.Words})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readLinkMemo reads the memo at path; nil when there is none, or one of
// another format or that cannot be read (the index is built then).
func readLinkMemo(path string) *linkMemo {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var m linkMemo
	if gob.NewDecoder(bufio.NewReader(f)).Decode(&m) != nil || m.Format != linkMemoFormat {
		return nil
	}
	return &m
}

// write replaces the memo at path (written to a temporary name first: a
// half-written memo is never read).
func (m *linkMemo) write(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), linkMemoFile+".*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	err = gob.NewEncoder(w).Encode(m)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return removeLegacyMemo(path)
}

// removeLegacyMemo removes the JSON memo an earlier version kept beside
// the memo at path.
func removeLegacyMemo(path string) error {
	if err := os.Remove(filepath.Join(filepath.Dir(path), legacyLinkMemoFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// exportLinks answers the export's pages from the memo while the index
// has the memo's input, and from the index otherwise, which it builds
// the first time it needs it; it records the index's answers for the next
// export's memo.
type exportLinks struct {
	// live and floor are set before the export begins.
	live  *liveIndex
	floor float64

	mu sync.Mutex
	// ctx is the export's, for a build the pages need.
	ctx context.Context
	// memo holds answers good for the store as it is, or is nil;
	// memoChanged is set when it took articles' new versions.
	memo        *linkMemo
	memoChanged bool
	// unmoved are the articles of a new version since the memo that the
	// index reads the same (see inputCheck).
	unmoved map[int64]bool
	// fresh are the answers the index gave this run.
	fresh *linkMemo
	// err is the first failure to build the index for a page.
	err error

	// begun is closed once the begin that start ran has returned, with
	// reuse and beginErr; nil when begin was called directly.
	begun    chan struct{}
	reuse    bool
	beginErr error
}

// start runs begin in the background, then then(reuse) if it did not
// fail: the memo is read and checked against the store (50 ms at 10,000
// articles) while the export lists its articles, and what needs the memo
// waits for it (wait).
func (l *exportLinks) start(ctx context.Context, path, fingerprint string, then func(reuse bool)) {
	done := make(chan struct{})
	l.begun = done
	go func() {
		defer close(done)
		l.reuse, l.beginErr = l.begin(ctx, path, fingerprint)
		if l.beginErr == nil {
			then(l.reuse)
		}
	}()
}

// wait waits for the begin that start ran, and returns what it returned.
func (l *exportLinks) wait() (reuse bool, err error) {
	if l.begun != nil {
		<-l.begun
	}
	return l.reuse, l.beginErr
}

// begin readies l for an export with the memo at path and the export's
// fingerprint: it keeps the memo if the index would be built from the
// same input, and reports whether it did.
func (l *exportLinks) begin(ctx context.Context, path, fingerprint string) (bool, error) {
	if path != "" {
		l.live.mu.Lock()
		l.live.image = &indexImage{path: filepath.Join(filepath.Dir(path), linkImageFile), fingerprint: fingerprint}
		l.live.mu.Unlock()
	}
	memo := readLinkMemo(path)
	var check inputCheck
	if memo != nil {
		var err error
		if check, err = l.live.checkInput(ctx, memo, fingerprint); err != nil {
			return false, err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ctx, l.err = ctx, nil
	l.memo, l.memoChanged, l.unmoved = nil, false, check.unmoved
	l.fresh = &linkMemo{Related: map[int64][]memoMatch{}, Titles: map[string]int64{}}
	if check.same {
		l.memo, l.memoChanged = memo, check.versioned
	}
	return check.same, nil
}

// index makes sure the live index is built, and records why not when
// it cannot be. Pages ask the index without l.mu held: they are rendered
// on every core, and ranking is most of an article page's time.
func (l *exportLinks) index() bool {
	l.mu.Lock()
	ctx := l.ctx
	l.mu.Unlock()
	if err := l.live.ensure(ctx); err != nil {
		l.mu.Lock()
		if l.err == nil {
			l.err = err
		}
		l.mu.Unlock()
		return false
	}
	return true
}

// remembered returns the memo's related articles of id, if it has them
// n deep.
func (l *exportLinks) remembered(id int64, n int) ([]linking.Match, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.memo == nil || n > memoDepth {
		return nil, false
	}
	ms, ok := l.memo.Related[id]
	if !ok {
		// A page (not a story) is not in the index, which answers
		// nothing for it.
		_, indexed := l.memo.index(id)
		return nil, !indexed
	}
	return l.memo.matches(ms[:min(n, len(ms))]), true
}

// Related answers as linking.Index.Related does.
func (l *exportLinks) Related(id int64, n int, floor float64) []linking.Match {
	// After a failed start the export fails too (end says why).
	if _, err := l.wait(); err != nil {
		return nil
	}
	if floor != l.floor {
		if !l.index() {
			return nil
		}
		return l.live.Related(id, n, floor)
	}
	if ms, ok := l.remembered(id, n); ok {
		return ms
	}
	if !l.index() {
		return nil
	}
	ms := l.live.Related(id, max(n, memoDepth), floor)
	l.mu.Lock()
	l.fresh.Related[id] = memoMatches(ms)
	l.mu.Unlock()
	return ms[:min(n, len(ms))]
}

// ResolveTitle answers as linking.Index.ResolveTitle does.
func (l *exportLinks) ResolveTitle(title string) (linking.Match, bool) {
	// After a failed start the export fails too (end says why).
	if _, err := l.wait(); err != nil {
		return linking.Match{}, false
	}
	l.mu.Lock()
	if l.memo != nil {
		if id, ok := l.memo.Titles[title]; ok {
			defer l.mu.Unlock()
			if id == 0 {
				return linking.Match{}, false
			}
			return l.memo.matches([]memoMatch{{ID: id}})[0], true
		}
	}
	l.mu.Unlock()
	if !l.index() {
		return linking.Match{}, false
	}
	m, ok := l.live.ResolveTitle(title)
	l.mu.Lock()
	l.fresh.Titles[title] = m.ID
	l.mu.Unlock()
	return m, ok
}

// matches returns ms as the index would, with the articles' slugs and
// titles (not the reasons and cosines, which pages do not show).
func (m *linkMemo) matches(ms []memoMatch) []linking.Match {
	out := make([]linking.Match, len(ms))
	for i, x := range ms {
		out[i] = linking.Match{ID: x.ID, Score: x.Score}
		if a, ok := m.article(x.ID); ok {
			out[i].Slug, out[i].Title = a.Slug, a.Title
		}
	}
	return out
}

// article finds the memo's article of id.
func (m *linkMemo) article(id int64) (memoArticle, bool) {
	i, ok := m.index(id)
	if !ok {
		return memoArticle{}, false
	}
	return m.Articles[i], true
}

// index finds where in m.Articles the article of id is.
func (m *linkMemo) index(id int64) (int, bool) {
	if m.byID == nil {
		m.byID = make(map[int64]int, len(m.Articles))
		for i, a := range m.Articles {
			m.byID[a.ID] = i
		}
	}
	i, ok := m.byID[id]
	return i, ok
}

// Unmoved reports whether article id has a new version since the memo
// that the index reads as before (a note, a photo): the related
// articles of others do not move for it.
func (l *exportLinks) Unmoved(id int64) bool {
	l.wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.unmoved[id]
}

// memoWarm is how many of the newest stories warm gives an answer.
const memoWarm = 500

// warm adds to this run's answers those of the newest n stories that
// have none, when the index was built from the store this run (and is as
// built): the pages of recent stories are those the next exports render
// most (a comment, a correction), and a page without an answer has the
// whole index built again. At 10,000 articles 500 answers take about
// 0.7 s of CPU. An index read from its image is not warmed: a page
// without an answer has it read again, in about 0.3 s at that size.
func (l *exportLinks) warm(ctx context.Context, n int) {
	l.wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	in, built := l.live.input("")
	if !built || in.Image != "" {
		return
	}
	kept := l.memo != nil && sameArticles(l.memo.Articles, in.Articles)
	var todo []int64
	for _, a := range in.Articles[:min(n, len(in.Articles))] {
		if _, ok := l.fresh.Related[a.ID]; ok {
			continue
		}
		if kept {
			if _, ok := l.memo.Related[a.ID]; ok {
				continue
			}
		}
		todo = append(todo, a.ID)
	}
	answers := make([][]memoMatch, len(todo))
	var next atomic.Int64
	var workers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		workers.Go(func() {
			for i := int(next.Add(1) - 1); i < len(todo) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				answers[i] = memoMatches(l.live.Related(todo[i], memoDepth, l.floor))
			}
		})
	}
	workers.Wait()
	if ctx.Err() != nil {
		return
	}
	for i, id := range todo {
		l.fresh.Related[id] = answers[i]
	}
}

// memoMatches keeps what the memo keeps of ms.
func memoMatches(ms []linking.Match) []memoMatch {
	kept := make([]memoMatch, len(ms))
	for i, m := range ms {
		kept[i] = memoMatch{ID: m.ID, Score: m.Score}
	}
	return kept
}

// end returns the first failure to build the index for a page.
func (l *exportLinks) end() error {
	if _, err := l.wait(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return fmt.Errorf("build the linking index: %w", l.err)
	}
	return nil
}

// save writes the memo for the next export: the answers of this run and,
// when the index (if it was built) had the memo's input, the memo's.
func (l *exportLinks) save(path, fingerprint string) error {
	if _, err := l.wait(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	// The image first: the memo names it.
	if err := l.live.writeImage(fingerprint); err != nil {
		return fmt.Errorf("keep the linking index: %w", err)
	}
	next := l.memo
	in, built := l.live.input(fingerprint)
	switch {
	case built:
		if next == nil || next.Key != in.Key || next.Image != in.Image || !sameArticles(next.Articles, in.Articles) {
			next = in
		}
	case len(l.fresh.Related) > 0 || len(l.fresh.Titles) > 0:
		// Answers of an index changed since it was built: no input
		// names them.
		return nil
	}
	if next == nil || next == l.memo && !l.memoChanged && len(l.fresh.Related) == 0 && len(l.fresh.Titles) == 0 {
		return nil // nothing new to keep
	}
	next.Format = linkMemoFormat
	if next.Related == nil {
		next.Related = map[int64][]memoMatch{}
	}
	if next.Titles == nil {
		next.Titles = map[string]int64{}
	}
	for id, ms := range l.fresh.Related {
		next.Related[id] = ms
	}
	for t, id := range l.fresh.Titles {
		next.Titles[t] = id
	}
	return next.write(path)
}

// sameArticles reports whether a and b are the same articles in the same
// order, read the same by the index.
func sameArticles(a, b []memoArticle) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Digest != b[i].Digest {
			return false
		}
	}
	return true
}

// inputCheck is what checkInput found of a memo.
type inputCheck struct {
	// same says an index built now would have the memo's input;
	// versioned that the memo took articles' new versions then.
	same, versioned bool
	// unmoved are the articles of a new version that the index reads as
	// the memo's did (a note, a photo, comments closed): no other
	// article's related articles move for them.
	unmoved map[int64]bool
}

// checkInput compares the input an index built now would have with
// memo's: the same key, and the same articles in the same order, each
// read the same. Those of another version than the memo's are read
// again (at most maxMemoChecks), and where the index would read them the
// same the memo takes their versions. It builds nothing.
func (l *liveIndex) checkInput(ctx context.Context, memo *linkMemo, fingerprint string) (inputCheck, error) {
	check := inputCheck{unmoved: map[int64]bool{}}
	language, err := siteLanguage(ctx, l.store, l.language)
	if err != nil {
		return check, err
	}
	trained, err := l.store.WordVectors(ctx, wordvec.BaseLanguage(language))
	if errors.Is(err, store.ErrNotFound) {
		trained, err = store.WordVectors{}, nil
	}
	if err != nil {
		return check, err
	}
	if memo.Key != memoKey(fingerprint, language, trained) {
		return check, nil
	}
	public, err := l.store.ArticleVersions(ctx, store.ArticleQuery{PublicAt: l.now(), Kind: article.Story})
	if err != nil {
		return check, err
	}
	check.same = len(public) == len(memo.Articles)
	checks := 0
	for i, v := range public {
		at, ok := memo.index(v.ID)
		if !ok || at != i {
			check.same = false
		}
		if !ok {
			continue
		}
		m := &memo.Articles[at]
		if m.Version == v.Version {
			continue
		}
		if checks++; checks > maxMemoChecks {
			check.same = false
			break
		}
		a, err := l.store.ArticleByID(ctx, v.ID)
		if errors.Is(err, store.ErrNotFound) {
			check.same = false
			continue
		}
		if err != nil {
			return check, err
		}
		if docDigest(linking.DocFromArticle(l.renderer, a)) != m.Digest {
			check.same = false
			continue
		}
		check.unmoved[v.ID] = true
		m.Version = a.Version
	}
	check.versioned = len(check.unmoved) > 0
	// The answers of an index read from an image are good while that
	// image is the one kept: another would give an index of its own.
	l.mu.Lock()
	image := l.image
	l.mu.Unlock()
	if memo.Image != "" && (image == nil || imageID(image.path) != memo.Image) {
		check.same = false
	}
	return check, nil
}

// input returns the memo of the index's input, without answers, and
// whether the index is built (and not changed since: its answers are
// then those of any index built from that input).
func (l *liveIndex) input(fingerprint string) (*linkMemo, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ix := l.ix.Load()
	if ix == nil || !l.rebuilt {
		return nil, false
	}
	m := &linkMemo{Key: memoKey(fingerprint, l.built, l.trained), Image: l.fromImage, Articles: make([]memoArticle, 0, len(l.order))}
	for _, id := range l.order {
		d, _ := ix.Doc(id)
		m.Articles = append(m.Articles, memoArticle{ID: id, Version: l.versions[id], Digest: l.digests[id], Slug: d.Slug, Title: d.Title})
	}
	return m, true
}
