package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

// The statements an import runs for every article, prepared once at Open.
const (
	insertArticleSQL = `
	INSERT INTO articles (id, slug, title, description, body, status, published_at,
		created_at, updated_at, author_id, word_count, reading_minutes, source, source_hash, title_key, focus_keyphrase, owner_id)
	VALUES ((SELECT id + 1 FROM article_id_high), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`
	slugTakenSQL    = `SELECT id FROM articles WHERE slug = ? AND id <> ?`
	sourceTakenSQL  = `SELECT id FROM articles WHERE source = ? AND id <> ?`
	upsertAuthorSQL = `
	INSERT INTO authors (id, slug, name, bio) VALUES ((SELECT id + 1 FROM author_id_high), ?, ?, ?)
	ON CONFLICT (slug) DO UPDATE SET
		name = excluded.name,
		bio = CASE WHEN excluded.bio <> '' THEN excluded.bio ELSE authors.bio END
	RETURNING id`
	upsertTagSQL = `
	INSERT INTO tags (id, slug, name) VALUES ((SELECT id + 1 FROM tag_id_high), ?, ?)
	ON CONFLICT (slug) DO UPDATE SET name = tags.name
	RETURNING id, name`
	insertArticleTagSQL    = `INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)`
	insertRequestedLinkSQL = `INSERT INTO article_requested_links (article_id, position, title) VALUES (?, ?, ?)`
)

// A batch keeps each article's writes in a savepoint of their own.
const (
	savepointSQL           = `SAVEPOINT article`
	rollbackToSavepointSQL = `ROLLBACK TO SAVEPOINT article`
	releaseSavepointSQL    = `RELEASE SAVEPOINT article`
)

// hotWrites lists the statements prepared at Open.
var hotWrites = []string{insertArticleSQL, slugTakenSQL, sourceTakenSQL, upsertAuthorSQL, upsertTagSQL, insertArticleTagSQL, insertRequestedLinkSQL,
	savepointSQL, rollbackToSavepointSQL, releaseSavepointSQL}

// CreateArticle stores a new article; see store.ArticleStore.
func (db *DB) CreateArticle(ctx context.Context, a *article.Article) (err error) {
	defer wrap(&err, "CreateArticle(%q)", a.Slug)
	now := db.now().UTC()
	return db.transact(ctx, func(tx conn) error { return createArticle(ctx, tx, a, now) })
}

func createArticle(ctx context.Context, tx conn, a *article.Article, now time.Time) error {
	if err := checkFree(ctx, tx, a, 0); err != nil {
		return err
	}
	if err := checkOwner(ctx, tx, a.OwnerID); err != nil {
		return err
	}
	authorID, err := upsertAuthor(ctx, tx, a.Author)
	if err != nil {
		return err
	}
	updated := a.UpdatedAt
	if updated.IsZero() {
		updated = now
	}
	var id int64
	err = tx.queryRow(ctx, insertArticleSQL,
		a.Slug, a.Title, a.Description, a.Body, a.Status, nullTime(a.PublishedAt),
		formatTime(now), formatTime(updated), authorID, a.WordCount, a.ReadingMinutes,
		nullString(a.Source), a.SourceHash, article.TitleKey(a.Title), a.FocusKeyphrase, sqlstore.NullID(a.OwnerID),
	).Scan(&id)
	if err != nil {
		return err
	}
	if err := writeTagsAndLinks(ctx, tx, id, a); err != nil {
		return err
	}
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, 1, now, updated
	return nil
}

// UpdateArticle replaces a stored article, keeping the old version as a
// revision; see store.ArticleStore.
func (db *DB) UpdateArticle(ctx context.Context, a *article.Article, note string) (err error) {
	defer wrap(&err, "UpdateArticle(%q)", a.Slug)
	now := db.now().UTC()
	return db.transact(ctx, func(tx conn) error { return db.updateArticle(ctx, tx, a, note, now) })
}

func (db *DB) updateArticle(ctx context.Context, tx conn, a *article.Article, note string, now time.Time) error {
	current, err := db.ArticleWhere(ctx, sharedConn{tx}, `a.id = $1`, a.ID)
	if err != nil {
		return err
	}
	if current.Version != a.Version {
		return fmt.Errorf("%w: article %q was saved by someone else meanwhile (stored version %d, this change started from %d)",
			store.ErrConflict, current.Slug, current.Version, a.Version)
	}
	if err := checkFree(ctx, tx, a, a.ID); err != nil {
		return err
	}
	if err := checkOwner(ctx, tx, a.OwnerID); err != nil {
		return err
	}
	if err := insertRevision(ctx, tx, current, now, note); err != nil {
		return err
	}
	authorID, err := upsertAuthor(ctx, tx, a.Author)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `
		UPDATE articles SET
			slug = ?, title = ?, description = ?, body = ?, status = ?, published_at = ?,
			updated_at = ?, author_id = ?, word_count = ?, reading_minutes = ?,
			source = ?, source_hash = ?, title_key = ?, focus_keyphrase = ?, owner_id = ?, version = version + 1
		WHERE id = ?`,
		a.Slug, a.Title, a.Description, a.Body, a.Status, nullTime(a.PublishedAt),
		formatTime(now), authorID, a.WordCount, a.ReadingMinutes,
		nullString(a.Source), a.SourceHash, article.TitleKey(a.Title), a.FocusKeyphrase, sqlstore.NullID(a.OwnerID), a.ID)
	if err != nil {
		return err
	}
	if a.Slug != current.Slug && current.IsPublic(now) {
		if err := db.RedirectRenamed(ctx, sharedConn{tx}, current.Slug, a.Slug, now); err != nil {
			return err
		}
	}
	for _, q := range []string{
		`DELETE FROM article_tags WHERE article_id = ?`,
		`DELETE FROM article_requested_links WHERE article_id = ?`,
	} {
		if _, err := tx.exec(ctx, q, a.ID); err != nil {
			return err
		}
	}
	if err := writeTagsAndLinks(ctx, tx, a.ID, a); err != nil {
		return err
	}
	a.Version, a.UpdatedAt, a.CreatedAt = current.Version+1, now, current.CreatedAt
	a.Views, a.CommentCount, a.CommentsClosed = current.Views, current.CommentCount, current.CommentsClosed
	return nil
}

// SaveArticles writes a batch of articles in one transaction, each in a
// savepoint of its own; see store.ArticleStore.
func (db *DB) SaveArticles(ctx context.Context, ws []store.ArticleWrite) (_ []error, err error) {
	defer wrap(&err, "SaveArticles(%d articles)", len(ws))
	now := db.now().UTC()
	errs := make([]error, len(ws))
	restore := store.RememberBatch(ws)
	err = db.transact(ctx, func(tx conn) error {
		for i, w := range ws {
			if _, err := tx.exec(ctx, savepointSQL); err != nil {
				return err
			}
			if w.Article.ID == 0 {
				errs[i] = createArticle(ctx, tx, w.Article, now)
			} else {
				errs[i] = db.updateArticle(ctx, tx, w.Article, w.Note, now)
			}
			if errs[i] != nil {
				if _, err := tx.exec(ctx, rollbackToSavepointSQL); err != nil {
					return err
				}
			}
			if _, err := tx.exec(ctx, releaseSavepointSQL); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		restore()
		return nil, err
	}
	return errs, nil
}

// checkOwner refuses an owner that is not a user (0 is nobody, and
// allowed), with a message naming it rather than a broken foreign key.
func checkOwner(ctx context.Context, tx conn, owner int64) error {
	if owner == 0 {
		return nil
	}
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, owner).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: user %d, to own the article, does not exist", store.ErrNotFound, owner)
	}
	return err
}

// checkFree refuses a slug or source that belongs to another article than
// self (0 for a new article).
func checkFree(ctx context.Context, tx conn, a *article.Article, self int64) error {
	var id int64
	err := tx.queryRow(ctx, slugTakenSQL, a.Slug, self).Scan(&id)
	if err == nil {
		return fmt.Errorf("%w: slug %q is already used by another article", store.ErrConflict, a.Slug)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if a.Source == "" {
		return nil
	}
	err = tx.queryRow(ctx, sourceTakenSQL, a.Source, self).Scan(&id)
	if err == nil {
		return fmt.Errorf("%w: source %q is already imported as another article", store.ErrConflict, a.Source)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

func upsertAuthor(ctx context.Context, tx conn, au *article.Author) (sql.NullInt64, error) {
	if au == nil {
		return sql.NullInt64{}, nil
	}
	// An empty bio never wipes one written earlier.
	err := tx.queryRow(ctx, upsertAuthorSQL, au.Slug, au.Name, au.Bio).Scan(&au.ID)
	if err != nil {
		return sql.NullInt64{}, fmt.Errorf("save author %q: %w", au.Name, err)
	}
	return sql.NullInt64{Int64: au.ID, Valid: true}, nil
}

func writeTagsAndLinks(ctx context.Context, tx conn, articleID int64, a *article.Article) error {
	for i := range a.Tags {
		t := &a.Tags[i]
		err := tx.queryRow(ctx, upsertTagSQL, t.Slug, t.Name).Scan(&t.ID, &t.Name)
		if err != nil {
			return fmt.Errorf("save tag %q: %w", t.Name, err)
		}
		if _, err := tx.exec(ctx, insertArticleTagSQL, articleID, t.ID, i); err != nil {
			return fmt.Errorf("tag article with %q: %w", t.Name, err)
		}
	}
	for i, title := range a.RequestedLinks {
		if _, err := tx.exec(ctx, insertRequestedLinkSQL, articleID, i, title); err != nil {
			return fmt.Errorf("save requested link %q: %w", title, err)
		}
	}
	return nil
}

func insertRevision(ctx context.Context, tx conn, current *article.Article, now time.Time, note string) error {
	r := article.RevisionOf(current)
	tags, err := json.Marshal(r.Tags)
	if err != nil {
		return err
	}
	links, err := json.Marshal(r.RequestedLinks)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `
		INSERT INTO revisions (article_id, number, title, slug, description, body, status,
			published_at, tags, requested_links, saved_at, note, focus_keyphrase)
		SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		FROM revisions WHERE article_id = ?`,
		r.ArticleID, r.Title, r.Slug, r.Description, r.Body, r.Status,
		nullTime(r.PublishedAt), string(tags), string(links), formatTime(now), note, r.FocusKeyphrase, r.ArticleID)
	if err != nil {
		return fmt.Errorf("keep revision: %w", err)
	}
	return nil
}

// AddViews adds counted page views; see store.ArticleStore.
func (db *DB) AddViews(ctx context.Context, day time.Time, views map[int64]int64) (err error) {
	defer wrap(&err, "AddViews(%d articles)", len(views))
	date := day.UTC().Format(time.DateOnly)
	return db.transact(ctx, func(tx conn) error {
		for id, n := range views {
			res, err := tx.exec(ctx, `UPDATE articles SET view_count = view_count + ? WHERE id = ?`, n, id)
			if err != nil {
				return err
			}
			if updated, err := res.RowsAffected(); err != nil {
				return err
			} else if updated == 0 {
				continue
			}
			_, err = tx.exec(ctx, `
				INSERT INTO article_views_daily (article_id, day, views) VALUES (?, ?, ?)
				ON CONFLICT (article_id, day) DO UPDATE SET views = views + excluded.views`, id, date, n)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

func (db *DB) readConn() conn { return conn{stmts: db.reads} }

// wrap names the store operation in an error, keeping it matchable with
// errors.Is.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("sqlite: "+format+": %w", append(args, *errp)...)
	}
}
