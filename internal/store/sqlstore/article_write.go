package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// UpdateArticle replaces a stored article, keeping the old version as a
// revision; see store.ArticleStore.
func (s *Store) UpdateArticle(ctx context.Context, a *article.Article, note string) (err error) {
	defer s.wrap(&err, "UpdateArticle(%q)", a.Slug)
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error { return s.updateArticle(ctx, tx, a, note, now) })
	return s.Conflict(err, a)
}

// updateArticle is UpdateArticle in transaction tx, for a batch.
func (s *Store) updateArticle(ctx context.Context, tx Conn, a *article.Article, note string, now time.Time) error {
	// Lock the row first, so that concurrent updates of one article
	// queue here and each sees the version the one before it wrote.
	var version int
	err := tx.QueryRow(ctx, `SELECT version FROM articles WHERE id = $1`+s.db.ForUpdate(), a.ID).Scan(&version)
	if noRows(err) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	current, err := s.ArticleWhere(ctx, tx, `a.id = $1`, a.ID)
	if err != nil {
		return err
	}
	if err := article.CheckEdit(current, a); err != nil {
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	if err := s.insertRevision(ctx, tx, current, now, note); err != nil {
		return err
	}
	var authorID *int64
	if a.Author != nil {
		up := s.upsertAuthor(a.Author)
		if err := up.Row(tx.QueryRow(ctx, up.SQL, up.Args...)); err != nil {
			return fmt.Errorf("save author %q: %w", a.Author.Name, err)
		}
		authorID = &a.Author.ID
	}
	_, err = tx.Exec(ctx, `
		UPDATE articles SET
			slug = $1, title = $2, description = $3, body = $4, status = $5, published_at = $6,
			updated_at = $7, author_id = $8, word_count = $9, reading_minutes = $10,
			source = $11, source_hash = $12, title_key = $13, focus_keyphrase = $14, owner_id = $15, featured_media_id = $16,
			section_id = $17, kind = $18, updates = $19, seo_title = $20, version = version + 1
		WHERE id = $21`,
		a.Slug, a.Title, a.Description, a.Body, a.Status, s.db.NullTime(a.PublishedAt),
		s.db.Time(now), authorID, a.WordCount, a.ReadingMinutes,
		NullString(a.Source), a.SourceHash, article.TitleKey(a.Title), a.FocusKeyphrase, NullID(a.OwnerID), NullID(a.FeaturedMediaID), NullID(a.SectionID()), kindOf(a), marshalUpdates(a.Updates), a.SEOTitle, a.ID)
	if err != nil {
		return err
	}
	if article.MovesAddress(current, a, now) {
		if err := s.RedirectRenamed(ctx, tx, current.Slug, a.Slug, now); err != nil {
			return err
		}
	}
	for _, q := range []string{
		`DELETE FROM article_tags WHERE article_id = $1`,
		`DELETE FROM article_requested_links WHERE article_id = $1`,
		`DELETE FROM article_media WHERE article_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, a.ID); err != nil {
			return err
		}
	}
	if err := tx.Pipeline(ctx, append(s.tagsAndLinks(a), Statement{SQL: searchTagsSQL, Args: []any{a.Slug}})); err != nil {
		return err
	}
	a.Version, a.UpdatedAt, a.CreatedAt = current.Version+1, now, current.CreatedAt
	a.Views, a.CommentCount, a.CommentsClosed = current.Views, current.CommentCount, current.CommentsClosed
	return nil
}

func slugTaken(a *article.Article) error {
	return fmt.Errorf("%w: slug %q is already used by another article", store.ErrConflict, a.Slug)
}

func sourceTaken(a *article.Article) error {
	return fmt.Errorf("%w: source %q is already imported as another article", store.ErrConflict, a.Source)
}

// Conflict reports a clash on an article's slug or source as ErrConflict,
// and an owner that is not a user as ErrNotFound: writes find them as
// broken constraints, whose words name no article or user.
func (s *Store) Conflict(err error, a *article.Article) error {
	switch name, kind := s.db.Constraint(err); {
	case kind == UniqueViolation && (name == "articles_slug_key"):
		return slugTaken(a)
	case kind == UniqueViolation && (name == "articles_source" || name == "articles_source_key"):
		return sourceTaken(a)
	case kind == ForeignKeyViolation && (name == "articles_owner_id_fkey" || name == "") && a.OwnerID != 0:
		return fmt.Errorf("%w: user %d, to own the article, does not exist", store.ErrNotFound, a.OwnerID)
	case kind == ForeignKeyViolation && (name == "articles_section_id_fkey" || name == "") && a.SectionID() != 0:
		return fmt.Errorf("%w: section %d of the article does not exist", store.ErrNotFound, a.SectionID())
	case kind == ForeignKeyViolation && (name == "articles_featured_media_id_fkey" || name == "") && a.FeaturedMediaID != 0:
		return fmt.Errorf("%w: image %d, to feature on the article, is not in the library", store.ErrNotFound, a.FeaturedMediaID)
	}
	return err
}

// insertRevision keeps current as the article's next revision. The caller
// holds the article's row lock, so the next number cannot be taken twice.
func (s *Store) insertRevision(ctx context.Context, tx Conn, current *article.Article, now time.Time, note string) error {
	r := article.RevisionOf(current)
	tags, err := json.Marshal(r.Tags)
	if err != nil {
		return err
	}
	links, err := json.Marshal(r.RequestedLinks)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO revisions (article_id, number, title, slug, description, body, status,
			published_at, tags, requested_links, saved_at, note, focus_keyphrase, featured_media_id, section_id, updates, seo_title)
		VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE article_id = $1),
			$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		r.ArticleID, r.Title, r.Slug, r.Description, r.Body, r.Status,
		s.db.NullTime(r.PublishedAt), string(tags), string(links), s.db.Time(now), note, r.FocusKeyphrase, NullID(r.FeaturedMediaID), NullID(r.SectionID), marshalUpdates(r.Updates), r.SEOTitle)
	if err != nil {
		return fmt.Errorf("keep revision: %w", err)
	}
	return nil
}

// NullString stores the empty string as NULL.
func NullString(str string) *string {
	if str == "" {
		return nil
	}
	return &str
}
