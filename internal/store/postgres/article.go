package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// CreateArticle stores a new article; see store.ArticleStore.
func (db *DB) CreateArticle(ctx context.Context, a *article.Article) (err error) {
	defer wrap(&err, "CreateArticle(%q)", a.Slug)
	now := dbTime(db.now())
	err = db.transact(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		stored := db.queueCreate(b, a, now)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		stored()
		return nil
	})
	return db.Conflict(err, a)
}

// queueCreate queues on b the statements that store a new article with
// its author, tags and requested links. None waits for another's answer
// (they find the article and its author by slug), so that a batch of
// articles goes to the server in one round trip. A taken slug or source
// and a missing owner come back as constraint violations, which conflict
// words. stored sets what the store gave a, once all of them succeeded.
func (db *DB) queueCreate(b *pgx.Batch, a *article.Article, now time.Time) (stored func()) {
	var authorSlug *string
	if au := a.Author; au != nil {
		authorSlug = &au.Slug
		b.Queue(db.UpsertAuthorSQL(), au.Slug, au.Name, au.Bio).QueryRow(func(row pgx.Row) error {
			return row.Scan(&au.ID)
		})
	}
	updated := now
	if !a.UpdatedAt.IsZero() {
		updated = dbTime(a.UpdatedAt)
	}
	var id int64
	b.Queue(`
		INSERT INTO articles (slug, title, description, body, status, published_at,
			created_at, updated_at, author_id, word_count, reading_minutes, source, source_hash, title_key, focus_keyphrase, owner_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT id FROM authors WHERE slug = $9), $10, $11, $12, $13, $14, $15, $16)
		RETURNING id`,
		a.Slug, a.Title, a.Description, a.Body, a.Status, nullTime(a.PublishedAt),
		now, updated, authorSlug, a.WordCount, a.ReadingMinutes,
		nullString(a.Source), a.SourceHash, article.TitleKey(a.Title), a.FocusKeyphrase, sqlstore.NullID(a.OwnerID),
	).QueryRow(func(row pgx.Row) error { return row.Scan(&id) })
	if len(a.Tags) > 0 {
		slugs, names := make([]string, len(a.Tags)), make([]string, len(a.Tags))
		for i, t := range a.Tags {
			slugs[i], names[i] = t.Slug, t.Name
		}
		// A tag keeps the name it was first given.
		b.Queue(`
			WITH t AS (
				INSERT INTO tags (slug, name)
				SELECT * FROM unnest($2::text[], $3::text[])
				ON CONFLICT (slug) DO UPDATE SET name = tags.name
				RETURNING id, slug, name
			), tagged AS (
				INSERT INTO article_tags (article_id, tag_id, position)
				SELECT (SELECT id FROM articles WHERE slug = $1), t.id, x.position - 1
				FROM unnest($2::text[]) WITH ORDINALITY AS x (slug, position)
				JOIN t ON t.slug = x.slug
			)
			SELECT id, slug, name FROM t`, a.Slug, slugs, names).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var t article.Tag
				if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
					return err
				}
				for i := range a.Tags {
					if a.Tags[i].Slug == t.Slug {
						a.Tags[i] = t
					}
				}
			}
			return rows.Err()
		})
	}
	if len(a.RequestedLinks) > 0 {
		b.Queue(`
			INSERT INTO article_requested_links (article_id, position, title)
			SELECT (SELECT id FROM articles WHERE slug = $1), x.position - 1, x.title
			FROM unnest($2::text[]) WITH ORDINALITY AS x (title, position)`, a.Slug, a.RequestedLinks)
	}
	return func() { a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, 1, now, updated }
}

// SaveArticles writes a batch of articles in one transaction, each in a
// savepoint of its own; see store.ArticleStore. Runs of new articles are
// pipelined (createAll); an update reads the stored article before it
// writes, so it goes alone.
func (db *DB) SaveArticles(ctx context.Context, ws []store.ArticleWrite) (_ []error, err error) {
	defer wrap(&err, "SaveArticles(%d articles)", len(ws))
	now := dbTime(db.now())
	errs := make([]error, len(ws))
	restore := store.RememberBatch(ws)
	err = db.transact(ctx, func(tx pgx.Tx) error {
		for i := 0; i < len(ws); {
			if w := ws[i]; w.Article.ID != 0 {
				err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
					return db.UpdateArticleIn(ctx, sharedConn{sp}, w.Article, w.Note, now)
				})
				// The savepoint was rolled back on the article's own
				// error. Should that fail, the transaction is aborted
				// and the commit reports it for the whole batch.
				errs[i] = db.Conflict(err, w.Article)
				i++
				continue
			}
			n := 1
			for i+n < len(ws) && ws[i+n].Article.ID == 0 {
				n++
			}
			if err := db.createAll(ctx, tx, ws[i:i+n], errs[i:i+n], now); err != nil {
				return err
			}
			i += n
		}
		return nil
	})
	if err != nil {
		restore()
		return nil, err
	}
	return errs, nil
}

// createAll stores new articles in one pipeline, each between a savepoint
// and its release, and sets errs for those that fail. The server skips
// what follows a failed statement, so then the failed article's savepoint
// is rolled back and the articles after it are sent again. The error is
// for a transaction that cannot go on.
func (db *DB) createAll(ctx context.Context, tx pgx.Tx, ws []store.ArticleWrite, errs []error, now time.Time) error {
	for start := 0; start < len(ws); {
		b := &pgx.Batch{}
		done := start
		for _, w := range ws[start:] {
			b.Queue(`SAVEPOINT article`)
			stored := db.queueCreate(b, w.Article, now)
			b.Queue(`RELEASE SAVEPOINT article`).Exec(func(pgconn.CommandTag) error {
				stored()
				done++
				return nil
			})
		}
		err := tx.SendBatch(ctx, b).Close()
		if err == nil {
			return nil
		}
		if done == len(ws) {
			return err
		}
		for _, q := range []string{`ROLLBACK TO SAVEPOINT article`, `RELEASE SAVEPOINT article`} {
			if _, spErr := tx.Exec(ctx, q); spErr != nil {
				// Not the article's failure: the connection or the
				// transaction is gone.
				return err
			}
		}
		errs[done] = db.Conflict(err, ws[done].Article)
		start = done + 1
	}
	return nil
}

// uniqueViolation is the SQLSTATE of a unique constraint violation.
const uniqueViolation = "23505"

// AddViews adds counted page views; see store.ArticleStore.
func (db *DB) AddViews(ctx context.Context, day time.Time, views map[int64]int64) (err error) {
	defer wrap(&err, "AddViews(%d articles)", len(views))
	date := day.UTC().Format(time.DateOnly)
	return db.transact(ctx, func(tx pgx.Tx) error {
		// One statement for all articles; IDs deleted meanwhile join nothing.
		ids := make([]int64, 0, len(views))
		counts := make([]int64, 0, len(views))
		for id, n := range views {
			ids = append(ids, id)
			counts = append(counts, n)
		}
		_, err := tx.Exec(ctx, `
			WITH v AS (
				SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS v (article_id, views)
			), counted AS (
				UPDATE articles a SET view_count = a.view_count + v.views
				FROM v
				WHERE a.id = v.article_id
				RETURNING a.id, v.views
			)
			INSERT INTO article_views_daily (article_id, day, views)
			SELECT id, $3::date, views FROM counted
			ON CONFLICT (article_id, day) DO UPDATE SET views = article_views_daily.views + excluded.views`,
			ids, counts, date)
		return err
	})
}

// nullString stores the empty string as NULL.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// wrap names the store operation in an error, keeping it matchable with
// errors.Is.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("postgres: "+format+": %w", append(args, *errp)...)
	}
}
