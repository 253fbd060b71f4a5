package sqlstore

import (
	"context"
	"fmt"

	"github.com/datelinehq/dateline/internal/store"
)

// WordVectors returns the trained word vectors of a language; see
// store.WordVectorStore.
func (s *Store) WordVectors(ctx context.Context, language string) (_ store.WordVectors, err error) {
	defer s.wrap(&err, "WordVectors(%q)", language)
	v := store.WordVectors{Language: language}
	err = s.db.Reader().QueryRow(ctx, `
		SELECT articles, words, trained_at, data
		FROM word_vectors
		WHERE language = $1`, language).Scan(&v.Articles, &v.Words, Time(&v.TrainedAt), &v.Data)
	if noRows(err) {
		return v, fmt.Errorf("%w: no word vectors trained for %q", store.ErrNotFound, language)
	}
	return v, err
}

// SaveWordVectors replaces the trained word vectors of a language; see
// store.WordVectorStore.
func (s *Store) SaveWordVectors(ctx context.Context, v *store.WordVectors) (err error) {
	defer s.wrap(&err, "SaveWordVectors(%q)", v.Language)
	if v.Language == "" || len(v.Data) == 0 {
		return fmt.Errorf("word vectors need a language and data")
	}
	now := s.nowUTC()
	_, err = s.db.Writer().Exec(ctx, `
		INSERT INTO word_vectors (language, articles, words, trained_at, data)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (language) DO UPDATE SET
			articles = excluded.articles,
			words = excluded.words,
			trained_at = excluded.trained_at,
			data = excluded.data`, v.Language, v.Articles, v.Words, s.db.Time(now), v.Data)
	if err == nil {
		v.TrainedAt = now
	}
	return err
}
