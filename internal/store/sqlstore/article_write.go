package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// The statements every article write runs; SQLite prepares them at Open.
const (
	SlugTakenSQL           = `SELECT id FROM articles WHERE slug = $1 AND id <> $2`
	SourceTakenSQL         = `SELECT id FROM articles WHERE source = $1 AND id <> $2`
	InsertArticleTagSQL    = `INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)`
	InsertRequestedLinkSQL = `INSERT INTO article_requested_links (article_id, position, title) VALUES ($1, $2, $3)`
)

// UpsertAuthorSQL stores an author by slug. An empty bio never wipes one
// written earlier.
func (s *Store) UpsertAuthorSQL() string {
	return `
	INSERT INTO authors (id, slug, name, bio) VALUES (` + s.db.NewID("authors") + `, $1, $2, $3)
	ON CONFLICT (slug) DO UPDATE SET
		name = excluded.name,
		bio = CASE WHEN excluded.bio <> '' THEN excluded.bio ELSE authors.bio END
	RETURNING id`
}

// UpsertTagSQL stores a tag by slug, keeping the first spelling of its
// name.
func (s *Store) UpsertTagSQL() string {
	return `
	INSERT INTO tags (id, slug, name) VALUES (` + s.db.NewID("tags") + `, $1, $2)
	ON CONFLICT (slug) DO UPDATE SET name = tags.name
	RETURNING id, name`
}

// UpdateArticle replaces a stored article, keeping the old version as a
// revision; see store.ArticleStore.
func (s *Store) UpdateArticle(ctx context.Context, a *article.Article, note string) (err error) {
	defer s.wrap(&err, "UpdateArticle(%q)", a.Slug)
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error { return s.UpdateArticleIn(ctx, tx, a, note, now) })
	return s.Conflict(err, a)
}

// UpdateArticleIn is UpdateArticle in transaction tx, for a batch.
func (s *Store) UpdateArticleIn(ctx context.Context, tx Conn, a *article.Article, note string, now time.Time) error {
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
	if current.Version != a.Version {
		return fmt.Errorf("%w: article %q was saved by someone else meanwhile (stored version %d, this change started from %d)",
			store.ErrConflict, current.Slug, current.Version, a.Version)
	}
	if err := s.CheckFree(ctx, tx, a, a.ID); err != nil {
		return err
	}
	if err := s.CheckOwner(ctx, tx, a.OwnerID); err != nil {
		return err
	}
	if err := s.insertRevision(ctx, tx, current, now, note); err != nil {
		return err
	}
	authorID, err := s.UpsertAuthor(ctx, tx, a.Author)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		UPDATE articles SET
			slug = $1, title = $2, description = $3, body = $4, status = $5, published_at = $6,
			updated_at = $7, author_id = $8, word_count = $9, reading_minutes = $10,
			source = $11, source_hash = $12, title_key = $13, focus_keyphrase = $14, owner_id = $15, version = version + 1
		WHERE id = $16`,
		a.Slug, a.Title, a.Description, a.Body, a.Status, s.db.NullTime(a.PublishedAt),
		s.db.Time(now), authorID, a.WordCount, a.ReadingMinutes,
		NullString(a.Source), a.SourceHash, article.TitleKey(a.Title), a.FocusKeyphrase, NullID(a.OwnerID), a.ID)
	if err != nil {
		return err
	}
	if a.Slug != current.Slug && current.IsPublic(now) {
		if err := s.RedirectRenamed(ctx, tx, current.Slug, a.Slug, now); err != nil {
			return err
		}
	}
	for _, q := range []string{
		`DELETE FROM article_tags WHERE article_id = $1`,
		`DELETE FROM article_requested_links WHERE article_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, a.ID); err != nil {
			return err
		}
	}
	if err := s.WriteTagsAndLinks(ctx, tx, a.ID, a); err != nil {
		return err
	}
	a.Version, a.UpdatedAt, a.CreatedAt = current.Version+1, now, current.CreatedAt
	a.Views, a.CommentCount, a.CommentsClosed = current.Views, current.CommentCount, current.CommentsClosed
	return nil
}

// CheckOwner refuses an owner that is not a user (0 is nobody, and
// allowed), with a message naming it rather than a broken foreign key.
// On PostgreSQL the user's row stays share-locked until commit, so it
// cannot be deleted in between.
func (s *Store) CheckOwner(ctx context.Context, tx Conn, owner int64) error {
	if owner == 0 {
		return nil
	}
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM users WHERE id = $1`+s.db.ForKeyShare(), owner).Scan(&one)
	if noRows(err) {
		return fmt.Errorf("%w: user %d, to own the article, does not exist", store.ErrNotFound, owner)
	}
	return err
}

// CheckFree refuses a slug or source that belongs to another article than
// self (0 for a new article).
func (s *Store) CheckFree(ctx context.Context, tx Conn, a *article.Article, self int64) error {
	var id int64
	err := tx.QueryRow(ctx, SlugTakenSQL, a.Slug, self).Scan(&id)
	if err == nil {
		return slugTaken(a)
	}
	if !noRows(err) {
		return err
	}
	if a.Source == "" {
		return nil
	}
	err = tx.QueryRow(ctx, SourceTakenSQL, a.Source, self).Scan(&id)
	if err == nil {
		return sourceTaken(a)
	}
	if !noRows(err) {
		return err
	}
	return nil
}

func slugTaken(a *article.Article) error {
	return fmt.Errorf("%w: slug %q is already used by another article", store.ErrConflict, a.Slug)
}

func sourceTaken(a *article.Article) error {
	return fmt.Errorf("%w: source %q is already imported as another article", store.ErrConflict, a.Source)
}

// Conflict reports a clash on an article's slug or source as ErrConflict,
// and an owner that is not a user as ErrNotFound. A create may find them
// so; an update checks first (CheckFree, CheckOwner), and this catches a
// concurrent write between the check and the update.
func (s *Store) Conflict(err error, a *article.Article) error {
	switch name, kind := s.db.Constraint(err); {
	case kind == UniqueViolation && (name == "articles_slug_key"):
		return slugTaken(a)
	case kind == UniqueViolation && (name == "articles_source" || name == "articles_source_key"):
		return sourceTaken(a)
	case kind == ForeignKeyViolation && (name == "articles_owner_id_fkey" || name == "") && a.OwnerID != 0:
		return fmt.Errorf("%w: user %d, to own the article, does not exist", store.ErrNotFound, a.OwnerID)
	}
	return err
}

// UpsertAuthor stores the article's author (none for nil) and returns
// its ID for the article's row.
func (s *Store) UpsertAuthor(ctx context.Context, tx Conn, au *article.Author) (*int64, error) {
	if au == nil {
		return nil, nil
	}
	if err := tx.QueryRow(ctx, s.UpsertAuthorSQL(), au.Slug, au.Name, au.Bio).Scan(&au.ID); err != nil {
		return nil, fmt.Errorf("save author %q: %w", au.Name, err)
	}
	return &au.ID, nil
}

// WriteTagsAndLinks stores the tags and requested links of a new or
// cleared article.
func (s *Store) WriteTagsAndLinks(ctx context.Context, tx Conn, articleID int64, a *article.Article) error {
	for i := range a.Tags {
		t := &a.Tags[i]
		if err := tx.QueryRow(ctx, s.UpsertTagSQL(), t.Slug, t.Name).Scan(&t.ID, &t.Name); err != nil {
			return fmt.Errorf("save tag %q: %w", t.Name, err)
		}
		if _, err := tx.Exec(ctx, InsertArticleTagSQL, articleID, t.ID, i); err != nil {
			return fmt.Errorf("tag article with %q: %w", t.Name, err)
		}
	}
	for i, title := range a.RequestedLinks {
		if _, err := tx.Exec(ctx, InsertRequestedLinkSQL, articleID, i, title); err != nil {
			return fmt.Errorf("save requested link %q: %w", title, err)
		}
	}
	return nil
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
			published_at, tags, requested_links, saved_at, note, focus_keyphrase)
		VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE article_id = $1),
			$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		r.ArticleID, r.Title, r.Slug, r.Description, r.Body, r.Status,
		s.db.NullTime(r.PublishedAt), string(tags), string(links), s.db.Time(now), note, r.FocusKeyphrase)
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
