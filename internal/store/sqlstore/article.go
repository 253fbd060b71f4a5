package sqlstore

import (
	"context"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// Tag returns a tag by slug; see store.ArticleStore. The error wraps
// store.ErrNotFound when no tag has the slug.
func (s *Store) Tag(ctx context.Context, slug string) (_ *article.Tag, err error) {
	defer s.wrap(&err, "Tag(%q)", slug)
	t := &article.Tag{}
	err = s.db.Reader().QueryRow(ctx, `SELECT id, slug, name FROM tags WHERE slug = $1`, slug).Scan(&t.ID, &t.Slug, &t.Name)
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return t, err
}

// Author returns an author by slug; see store.ArticleStore. The error
// wraps store.ErrNotFound when no author has the slug.
func (s *Store) Author(ctx context.Context, slug string) (_ *article.Author, err error) {
	defer s.wrap(&err, "Author(%q)", slug)
	au := &article.Author{}
	err = s.db.Reader().QueryRow(ctx, `SELECT id, slug, name, bio FROM authors WHERE slug = $1`, slug).Scan(&au.ID, &au.Slug, &au.Name, &au.Bio)
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return au, err
}
