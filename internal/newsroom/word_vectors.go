package newsroom

import (
	"context"
	"errors"
	"fmt"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/store"
)

// MinTrainArticles is the archive a training needs: word2vec learns
// little from fewer than some 10^5 words, a thousand stories. Word
// vectors trained on the site's archive (issue 16) join the English
// vectors Dateline ships when related articles are ranked: they know the
// site's own names and subjects, which the shipped vectors lack.
const MinTrainArticles = 1000

// WordVectorsDue reports whether an archive of articles public stories
// should be trained on, given the set trained before (zero for none): it
// has reached minArticles (MinTrainArticles when 0), and has grown by a
// quarter since.
func WordVectorsDue(articles, minArticles int, trained store.WordVectors) bool {
	if minArticles <= 0 {
		minArticles = MinTrainArticles
	}
	return articles >= minArticles && articles >= trained.Articles+trained.Articles/4
}

// SiteWordVectors returns the vectors trained on the site's archive for
// a site in language, with what they were trained on, or a nil table and
// a zero record when none were trained.
func (s *Service) SiteWordVectors(ctx context.Context, language string) (*wordvec.Table, store.WordVectors, error) {
	v, err := s.store.WordVectors(ctx, wordvec.BaseLanguage(language))
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.WordVectors{}, nil
	}
	if err != nil {
		return nil, v, err
	}
	t, err := wordvec.Parse(v.Data)
	if err != nil {
		return nil, v, fmt.Errorf("the word vectors trained on %s: %w", v.TrainedAt.Format("2 January 2006"), err)
	}
	return t, v, nil
}

// TrainOptions shape TrainWordVectors.
type TrainOptions struct {
	// Progress, when set, is told how far the training is (see
	// wordvec.TrainOptions.Progress).
	Progress func(done, planned int64)
	// MinArticles is the archive it needs (0: MinTrainArticles).
	MinArticles int
}

// TrainWordVectors trains word vectors on the public stories of a site
// in language and stores them, replacing those trained before. Only an
// English site's ranking uses them (see wordvec.ForSite); for another
// language, or an archive smaller than o.MinArticles, it
// trains nothing and says why. A training cancelled through ctx stores
// nothing.
func (s *Service) TrainWordVectors(ctx context.Context, language string, o TrainOptions) (store.WordVectors, error) {
	base := wordvec.BaseLanguage(language)
	if base != "en" {
		return store.WordVectors{}, fmt.Errorf("train word vectors: related articles use word vectors on English sites only; this site's language is %q", language)
	}
	if wordvec.ForLanguage(base) == nil {
		return store.WordVectors{}, errors.New("train word vectors: this binary was built without the English word vectors, which the trained ones join (build it with make build, or after scripts/gen-vectors.sh)")
	}
	now := s.now()
	query := store.ArticleQuery{PublicAt: now, Kind: article.Story}
	var readErr error
	var words int64
	texts := func(yield func([]string) bool) {
		words = 0
		stop := errors.New("stop")
		err := s.store.EachArticle(ctx, query, func(a *article.Article) error {
			w := linking.TrainingWords(linking.DocFromArticle(s.renderer, a))
			words += int64(len(w))
			if !yield(w) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) && readErr == nil {
			readErr = err
		}
	}
	// The archive's size, to refuse a small one before reading it.
	public, err := s.store.ArticleVersions(ctx, query)
	if err != nil {
		return store.WordVectors{}, fmt.Errorf("train word vectors: %w", err)
	}
	if o.MinArticles <= 0 {
		o.MinArticles = MinTrainArticles
	}
	if total := len(public); total < o.MinArticles {
		return store.WordVectors{}, fmt.Errorf("train word vectors: the site has %d public stories; training needs %d", total, o.MinArticles)
	}
	to := wordvec.SiteTraining
	to.Progress = o.Progress
	t := wordvec.Train(ctx, texts, to)
	if readErr != nil {
		return store.WordVectors{}, fmt.Errorf("train word vectors: %w", readErr)
	}
	if err := ctx.Err(); err != nil {
		return store.WordVectors{}, fmt.Errorf("train word vectors: %w", err)
	}
	if t == nil {
		return store.WordVectors{}, errors.New("train word vectors: no word of the archive recurs enough to learn from")
	}
	data, err := t.MarshalBinary()
	if err != nil {
		return store.WordVectors{}, err
	}
	// Articles is the archive's size when trained, which WordVectorsDue
	// measures growth from, even when a large one was read in part.
	v := store.WordVectors{Language: base, Articles: len(public), Words: words, Data: data}
	if err := s.store.SaveWordVectors(ctx, &v); err != nil {
		return store.WordVectors{}, fmt.Errorf("train word vectors: %w", err)
	}
	return v, nil
}
