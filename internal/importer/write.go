package importer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// write stores a batch of parsed files in one transaction, each article
// in a savepoint of its own, and returns each file's result in order. An
// article from a source imported before updates the article made from it
// (or is left alone when the file has not changed); any other is created.
// The error is for a batch that could not be stored at all.
func (im *Importer) write(ctx context.Context, batch []parsed) ([]Result, error) {
	now := im.opts.Now()
	results := make([]Result, len(batch))
	var sources []string
	for i, p := range batch {
		results[i] = Result{Path: p.path, Outcome: Failed, Err: p.err}
		if p.err == nil {
			sources = append(sources, p.article.Source)
		}
	}
	existing, err := im.bySource(ctx, sources)
	if err != nil {
		return nil, err
	}
	var ws []store.ArticleWrite
	// of gives the batch index of each write, and outcome what it is when
	// stored.
	var of []int
	var outcome []Outcome
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
				continue
			}
		}
		if r.Err = prepare(a, old, now); r.Err != nil {
			continue
		}
		w, o := store.ArticleWrite{Article: a}, Created
		if old != nil {
			w.Note, o = "import", Updated
		}
		ws = append(ws, w)
		of, outcome = append(of, i), append(outcome, o)
	}
	if len(ws) == 0 {
		return results, nil
	}
	errs, err := im.store.SaveArticles(ctx, ws)
	if err != nil {
		return nil, err
	}
	for k, w := range ws {
		r, a := &results[of[k]], w.Article
		r.Slug = a.Slug
		if errs[k] != nil {
			r.Err = im.explainConflict(ctx, a, errs[k])
			continue
		}
		r.Outcome, r.Status = outcome[k], a.Status
	}
	return results, nil
}

// bySource returns the stored articles imported from sources, by source.
func (im *Importer) bySource(ctx context.Context, sources []string) (map[string]*article.Article, error) {
	m := map[string]*article.Article{}
	if len(sources) == 0 {
		return m, nil
	}
	as, err := im.store.Articles(ctx, store.ArticleQuery{Sources: sources})
	if err != nil {
		return nil, fmt.Errorf("look up imported articles: %w", err)
	}
	for _, a := range as {
		m[a.Source] = a
	}
	return m, nil
}

// prepare readies a to be stored: as a new article, or, when old was
// imported from the same source, as old's next version, keeping its
// publication date and, once it is public, its address.
func prepare(a, old *article.Article, now time.Time) error {
	if old == nil {
		if err := a.Validate(now); err != nil {
			return err
		}
		if a.UpdatedAt.IsZero() && !a.PublishedAt.IsZero() && !a.PublishedAt.After(now) {
			// An article brought from elsewhere was last changed when it
			// was published, unless its file says otherwise (lastmod).
			a.UpdatedAt = a.PublishedAt
		}
		return nil
	}
	a.ID, a.Version, a.OwnerID = old.ID, old.Version, old.OwnerID
	if a.PublishedAt.IsZero() && a.Status != article.Draft {
		a.PublishedAt = old.PublishedAt
	}
	if err := a.Validate(now); err != nil {
		return err
	}
	article.KeepPublishedSlug(old, a, now)
	return nil
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
