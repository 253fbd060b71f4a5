package sqlstore

import (
	"encoding/json"
	"fmt"

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

// Revisions lists an article's revisions, oldest first, without their
// bodies; see store.ArticleStore.
func (s *Store) Revisions(ctx context.Context, articleID int64) (_ []article.Revision, err error) {
	defer s.wrap(&err, "Revisions(%d)", articleID)
	rows, err := s.db.Reader().Query(ctx, `
		SELECT number, title, slug, description, status, published_at, tags, requested_links, saved_at, note, focus_keyphrase
		FROM revisions
		WHERE article_id = $1
		ORDER BY number`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []article.Revision
	for rows.Next() {
		r := article.Revision{ArticleID: articleID}
		if err := scanRevision(rows, &r); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

// Revision returns one whole revision; see store.ArticleStore. The
// error wraps store.ErrNotFound when the article has no such revision.
func (s *Store) Revision(ctx context.Context, articleID int64, n int) (_ *article.Revision, err error) {
	defer s.wrap(&err, "Revision(%d, %d)", articleID, n)
	r := &article.Revision{ArticleID: articleID}
	row := s.db.Reader().QueryRow(ctx, `
		SELECT number, title, slug, description, status, published_at, tags, requested_links, saved_at, note, focus_keyphrase, body
		FROM revisions
		WHERE article_id = $1 AND number = $2`, articleID, n)
	if err := scanRevision(row, r, &r.Body); err != nil {
		if noRows(err) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	return r, nil
}

func scanRevision(row Row, r *article.Revision, extra ...any) error {
	var tags, links []byte
	dest := append([]any{&r.Number, &r.Title, &r.Slug, &r.Description, &r.Status, Time(&r.PublishedAt), &tags, &links, Time(&r.SavedAt), &r.Note, &r.FocusKeyphrase}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if err := json.Unmarshal(tags, &r.Tags); err != nil {
		return fmt.Errorf("revision %d tags: %w", r.Number, err)
	}
	if err := json.Unmarshal(links, &r.RequestedLinks); err != nil {
		return fmt.Errorf("revision %d requested links: %w", r.Number, err)
	}
	return nil
}
