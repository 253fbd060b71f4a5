package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

// insertArticleSQL stores a new article, with an ID never given before.
const insertArticleSQL = `
	INSERT INTO articles (id, slug, title, description, body, status, published_at,
		created_at, updated_at, author_id, word_count, reading_minutes, source, source_hash, title_key, focus_keyphrase, owner_id)
	VALUES ((SELECT id + 1 FROM article_id_high), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

// A batch keeps each article's writes in a savepoint of their own.
const (
	savepointSQL           = `SAVEPOINT article`
	rollbackToSavepointSQL = `ROLLBACK TO SAVEPOINT article`
	releaseSavepointSQL    = `RELEASE SAVEPOINT article`
)

// hotWrites lists the statements an import runs for every article, as
// SQLite runs them, to prepare at Open.
func (db *DB) hotWrites() []string {
	shared := []string{sqlstore.SlugTakenSQL, sqlstore.SourceTakenSQL, db.UpsertAuthorSQL(), db.UpsertTagSQL(),
		sqlstore.InsertArticleTagSQL, sqlstore.InsertRequestedLinkSQL}
	hot := []string{insertArticleSQL, savepointSQL, rollbackToSavepointSQL, releaseSavepointSQL}
	for _, q := range shared {
		hot = append(hot, sqliteQuery(q))
	}
	return hot
}

// CreateArticle stores a new article; see store.ArticleStore.
func (db *DB) CreateArticle(ctx context.Context, a *article.Article) (err error) {
	defer wrap(&err, "CreateArticle(%q)", a.Slug)
	now := db.now().UTC()
	return db.transact(ctx, func(tx conn) error { return db.createArticle(ctx, tx, a, now) })
}

func (db *DB) createArticle(ctx context.Context, tx conn, a *article.Article, now time.Time) error {
	shared := sharedConn{tx}
	if err := db.CheckFree(ctx, shared, a, 0); err != nil {
		return err
	}
	if err := db.CheckOwner(ctx, shared, a.OwnerID); err != nil {
		return err
	}
	authorID, err := db.UpsertAuthor(ctx, shared, a.Author)
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
	if err := db.WriteTagsAndLinks(ctx, shared, id, a); err != nil {
		return err
	}
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, 1, now, updated
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
				errs[i] = db.createArticle(ctx, tx, w.Article, now)
			} else {
				errs[i] = db.UpdateArticleIn(ctx, sharedConn{tx}, w.Article, w.Note, now)
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
