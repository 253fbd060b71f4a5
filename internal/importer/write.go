package importer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/importer/markdown"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// writer stores the batches of one run.
type writer struct {
	im *Importer
	// holders says who holds each slug the run has looked up in the store
	// or given out, so that it asks the store about each slug once.
	holders map[string]holder
	// redirects counts the old addresses redirected.
	redirects int
}

// holder is who holds a slug: nobody, or the article imported from source
// ("" for an article written in Dateline).
type holder struct {
	taken  bool
	source string
}

func (im *Importer) writer() *writer {
	return &writer{im: im, holders: map[string]holder{}}
}

// pending is an article of a batch on its way to the store.
type pending struct {
	index int // in the batch
	old   *article.Article
	// fromTitle is set when the file gives no slug, so that the slug may
	// be numbered to keep it apart from another article's.
	fromTitle bool
}

// write stores a batch of parsed files in one transaction, each article
// in a savepoint of its own, and returns each file's result in order. An
// article from a source imported before updates the article made from it
// (or is left alone when the file has not changed); any other is created.
// An article whose slug comes from its title gets the first of that slug,
// slug-2, slug-3, … that no article from another source holds. The error
// is for a batch that could not be stored at all.
func (w *writer) write(ctx context.Context, batch []parsed) ([]Result, error) {
	results, existing, err := w.begin(ctx, batch)
	if err != nil {
		return nil, err
	}
	var unchanged []store.Redirect
	var todo []pending
	var slugs []string
	for i, p := range batch {
		if p.err != nil {
			continue
		}
		a, old := p.article, existing[p.article.Source]
		r := &results[i]
		if old != nil {
			r.Slug = old.Slug
			if old.SourceHash == a.SourceHash {
				r.Outcome, r.Err = Unchanged, nil
				// Its old addresses again, in case a run stopped
				// before it redirected them.
				unchanged = append(unchanged, redirectsOf(p.oldPaths, old)...)
				continue
			}
		}
		note, err := w.im.addImages(ctx, p)
		if r.Err = err; err != nil {
			continue
		}
		if note != "" {
			r.Notes = append(r.Notes, note)
		}
		if a.Section == nil && w.im.opts.Section != "" && (old == nil || old.Section == nil) {
			a.Section = &article.Section{Name: w.im.opts.Section}
		}
		fromTitle := a.Slug == "" || p.numbered
		if r.Err = w.im.service.PrepareImport(w.im.opts.Actor, newsroom.ImportWrite{Article: a, Old: old}); r.Err != nil {
			continue
		}
		todo = append(todo, pending{index: i, old: old, fromTitle: fromTitle})
		slugs = append(slugs, a.Slug)
	}
	if len(todo) == 0 {
		return results, w.redirect(ctx, unchanged)
	}
	if err := w.lookUp(ctx, slugs); err != nil {
		return nil, err
	}
	ws := make([]newsroom.ImportWrite, len(todo))
	for k, t := range todo {
		a := batch[t.index].article
		// A published article keeps its address (prepare), and an
		// unchanged slug is the article's own.
		if t.fromTitle && (t.old == nil || a.Slug != t.old.Slug) {
			if err := w.number(ctx, a); err != nil {
				return nil, err
			}
		}
		w.claim(a.Slug, a.Source)
		ws[k] = newsroom.ImportWrite{Article: a, Old: t.old}
	}
	errs, err := w.im.service.SaveImport(ctx, w.im.opts.Actor, ws)
	if err != nil {
		for _, x := range ws {
			delete(w.holders, x.Article.Slug)
		}
		return nil, err
	}
	rs := unchanged
	for k, t := range todo {
		r, a := &results[t.index], ws[k].Article
		r.Slug = a.Slug
		if errs[k] == nil {
			rs = append(rs, redirectsOf(batch[t.index].oldPaths, a)...)
		}
		if errs[k] != nil {
			// What the failed article claimed is not its; look again.
			delete(w.holders, a.Slug)
			r.Err = w.im.explainConflict(ctx, a, errs[k])
			continue
		}
		r.Outcome, r.Status = Created, a.Status
		if t.old != nil {
			r.Outcome = Updated
			// A renamed draft left its old slug free.
			delete(w.holders, t.old.Slug)
			w.holders[a.Slug] = holder{taken: true, source: a.Source}
		}
	}
	if err := w.redirect(ctx, rs); err != nil {
		return nil, err
	}
	return results, nil
}

// redirectsOf are the redirects from an article's old addresses, once it
// is public (a draft's address may change before it is published).
func redirectsOf(oldPaths []string, a *article.Article) []store.Redirect {
	if a.Status == article.Draft {
		return nil
	}
	var rs []store.Redirect
	for _, old := range oldPaths {
		if from, err := store.CleanRedirectPath(old); err == nil {
			rs = append(rs, store.Redirect{From: from, To: urls.Article(a.Slug)})
		}
	}
	return rs
}

// redirect stores redirects from old addresses, in one transaction.
func (w *writer) redirect(ctx context.Context, rs []store.Redirect) error {
	if len(rs) == 0 {
		return nil
	}
	_, made, err := w.im.service.ImportRedirects(ctx, rs)
	if err != nil {
		return fmt.Errorf("redirect old addresses: %w", err)
	}
	w.redirects += made
	return nil
}

// bySource returns the stored articles imported from sources, by source.
func (w *writer) bySource(ctx context.Context, sources []string) (map[string]*article.Article, error) {
	m := map[string]*article.Article{}
	if len(sources) == 0 {
		return m, nil
	}
	as, err := w.im.store.Articles(ctx, store.ArticleQuery{Sources: sources})
	if err != nil {
		return nil, fmt.Errorf("look up imported articles: %w", err)
	}
	for _, a := range as {
		m[a.Source] = a
	}
	return m, nil
}

// lookUp asks the store who holds those of slugs the run knows nothing of.
func (w *writer) lookUp(ctx context.Context, slugs []string) error {
	var unknown []string
	for _, s := range slugs {
		if _, ok := w.holders[s]; !ok {
			unknown = append(unknown, s)
			w.holders[s] = holder{}
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	as, err := w.im.store.Articles(ctx, store.ArticleQuery{Slugs: unknown})
	if err != nil {
		for _, s := range unknown {
			delete(w.holders, s)
		}
		return fmt.Errorf("look up slugs: %w", err)
	}
	for _, a := range as {
		w.holders[a.Slug] = holder{taken: true, source: a.Source}
	}
	return nil
}

// number gives a, whose slug comes from its title, the first of that slug
// and its numbered forms that no article from another source holds. It
// looks numbers up a window at a time, the window growing with the number,
// so that a title used a thousand times costs a handful of queries.
func (w *writer) number(ctx context.Context, a *article.Article) error {
	base := a.Slug
	for n := 1; ; n++ {
		slug := article.NumberedSlug(base, n)
		if _, ok := w.holders[slug]; !ok {
			var window []string
			for k := n; k < n+max(n, 8); k++ {
				window = append(window, article.NumberedSlug(base, k))
			}
			if err := w.lookUp(ctx, window); err != nil {
				return err
			}
		}
		if h := w.holders[slug]; !h.taken || h.source == a.Source {
			a.Slug = slug
			return nil
		}
	}
}

// claim records that the article from source takes slug, unless another
// article holds it: then storing it fails, and says which.
func (w *writer) claim(slug, source string) {
	if h, ok := w.holders[slug]; !ok || !h.taken {
		w.holders[slug] = holder{taken: true, source: source}
	}
}

// explainConflict names the article that holds a's slug when saving a
// failed on a conflict, so the author knows which file to change.
func (im *Importer) explainConflict(ctx context.Context, a *article.Article, err error) error {
	if !errors.Is(err, store.ErrConflict) {
		return err
	}
	other, lookupErr := im.store.Article(ctx, a.Slug)
	if lookupErr != nil || other.ID == a.ID {
		return err
	}
	return slugTaken(a.Slug, other)
}

func slugTaken(slug string, other *article.Article) error {
	if other.Source != "" {
		return fmt.Errorf("slug %q is already used by %q, imported from %s; give one of them another title or a slug in its front matter", slug, other.Title, other.Source)
	}
	return fmt.Errorf("slug %q is already used by the article %q; give this one another title or a slug in its front matter", slug, other.Title)
}

// imageFile is the file an image reference of the article names: beside
// its file, or for /images/x.jpg a file of its site (Hugo's static/).
// Outside a site a site-absolute reference names no file
// (fs.ErrNotExist): it stays the address it is.
func (p parsed) imageFile(ref markdown.ImageRef, what string) (string, error) {
	if !ref.Rooted {
		return filepath.Join(filepath.Dir(p.path), filepath.FromSlash(ref.Path)), nil
	}
	if p.site == nil {
		return "", fs.ErrNotExist
	}
	path, ok := p.site.Image(ref.Path)
	if !ok {
		return "", fmt.Errorf("%s %s: %w (looked in the site's static files)", what, ref.Path, fs.ErrNotExist)
	}
	return path, nil
}

// addImages adds the image files an article names beside its file to the
// photo library (queued: serve makes their sizes), and names them in the
// article instead: its featured image, and media:ID in its body.
func (im *Importer) addImages(ctx context.Context, p parsed) (note string, err error) {
	imgs, a := p.images, p.article
	if imgs == nil || imgs.Featured == nil && len(imgs.Body) == 0 {
		return "", nil
	}
	add := func(ref markdown.ImageRef, what string) (int64, error) {
		path, err := p.imageFile(ref, what)
		if err != nil {
			return 0, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, fmt.Errorf("%s %s: %w", what, ref.Path, describeFSError(err))
		}
		it, err := im.service.Queue(ctx, im.opts.Actor, filepath.Base(path), data, media.Info{Alt: ref.Alt, Caption: ref.Caption, Credit: ref.Credit})
		if err != nil {
			return 0, fmt.Errorf("%s %s: %w", what, ref.Path, describeFSError(err))
		}
		return it.ID, nil
	}
	if ref := imgs.Featured; ref != nil {
		id, err := add(*ref, "featured image")
		switch {
		case err == nil:
			a.FeaturedMediaID = id
		case p.featuredMissing(err):
			note = err.Error() + ": imported without it"
		case !(ref.Rooted && p.site == nil):
			return "", err
		}
	}
	ids := map[string]int64{}
	for _, ref := range imgs.Body {
		id, err := add(ref, "image")
		if errors.Is(err, fs.ErrNotExist) {
			// Left as written, as before there was a library: exports
			// often name images they do not carry.
			continue
		}
		if err != nil {
			return "", err
		}
		ids[ref.Path] = id
	}
	markdown.UseImages(a, ids)
	return note, nil
}

// featuredMissing reports whether err says that the featured image of a
// file in a Hugo or Jekyll site is not among the site's files: a site
// moved without all its images still comes in, each such article without
// its picture, noted. (A single Markdown file that names a missing image
// fails, as a mistake its writer can mend.)
func (p parsed) featuredMissing(err error) bool {
	return p.site != nil && errors.Is(err, fs.ErrNotExist)
}

// begin starts a batch's results (failed, with the reason of each file
// that could not be parsed) and finds the articles imported before from
// the batch's files, by source.
func (w *writer) begin(ctx context.Context, batch []parsed) ([]Result, map[string]*article.Article, error) {
	results := make([]Result, len(batch))
	var sources []string
	for i, p := range batch {
		results[i] = Result{Path: p.path, Outcome: Failed, Err: p.err, Notes: p.notes}
		if p.err == nil {
			sources = append(sources, p.article.Source)
		}
	}
	existing, err := w.bySource(ctx, sources)
	return results, existing, err
}

// check is write for a dry run: each file's result is what write would
// do with it (created, updated, unchanged, or failed with the service's
// reason), and nothing is stored. A slug another article holds is not
// checked: write would number it.
func (w *writer) check(ctx context.Context, batch []parsed) ([]Result, error) {
	results, existing, err := w.begin(ctx, batch)
	if err != nil {
		return nil, err
	}
	for i, p := range batch {
		if p.err != nil {
			continue
		}
		a, old := p.article, existing[p.article.Source]
		r := &results[i]
		if err := w.im.service.PrepareImport(w.im.opts.Actor, newsroom.ImportWrite{Article: a, Old: old}); err != nil {
			r.Err = err
			continue
		}
		if p.images == nil {
			continue
		}
		if ref := p.images.Featured; ref != nil && !(ref.Rooted && p.site == nil) {
			// The run fails an article whose featured image is missing,
			// unless it is a site's (see featuredMissing).
			path, err := p.imageFile(*ref, "featured image")
			if err == nil {
				_, err = os.Stat(path)
				if err != nil {
					err = fmt.Errorf("featured image %s: %w", ref.Path, describeFSError(err))
				}
			}
			switch {
			case err != nil && p.featuredMissing(err):
				r.Notes = append(r.Notes, err.Error()+": imported without it")
			case err != nil:
				r.Err = err
				continue
			}
		}
		r.Slug, r.Status = a.Slug, a.Status
		switch {
		case old == nil:
			r.Outcome = Created
		case old.SourceHash == a.SourceHash:
			r.Outcome, r.Slug = Unchanged, old.Slug
		default:
			r.Outcome, r.Slug = Updated, old.Slug
		}
		if r.Outcome == Created && a.Status != article.Draft {
			w.redirects += len(p.oldPaths)
		}
	}
	return results, nil
}
