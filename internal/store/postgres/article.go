package postgres

import (
	"context"
	"encoding/json"
	"errors"
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
		stored := queueCreate(b, a, now)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		stored()
		return nil
	})
	return conflict(err, a)
}

// queueCreate queues on b the statements that store a new article with
// its author, tags and requested links. None waits for another's answer
// (they find the article and its author by slug), so that a batch of
// articles goes to the server in one round trip. A taken slug or source
// and a missing owner come back as constraint violations, which conflict
// words. stored sets what the store gave a, once all of them succeeded.
func queueCreate(b *pgx.Batch, a *article.Article, now time.Time) (stored func()) {
	var authorSlug *string
	if au := a.Author; au != nil {
		authorSlug = &au.Slug
		b.Queue(upsertAuthorSQL, au.Slug, au.Name, au.Bio).QueryRow(func(row pgx.Row) error {
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

// UpdateArticle replaces a stored article, keeping the old version as a
// revision; see store.ArticleStore.
func (db *DB) UpdateArticle(ctx context.Context, a *article.Article, note string) (err error) {
	defer wrap(&err, "UpdateArticle(%q)", a.Slug)
	now := dbTime(db.now())
	err = db.transact(ctx, func(tx pgx.Tx) error { return db.updateArticle(ctx, tx, a, note, now) })
	return conflict(err, a)
}

func (db *DB) updateArticle(ctx context.Context, tx pgx.Tx, a *article.Article, note string, now time.Time) error {
	// Lock the row first, so that concurrent updates of one article
	// queue here and each sees the version the one before it wrote.
	var version int
	err := tx.QueryRow(ctx, `SELECT version FROM articles WHERE id = $1 FOR UPDATE`, a.ID).Scan(&version)
	if errNoRows(err) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
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
	_, err = tx.Exec(ctx, `
		UPDATE articles SET
			slug = $1, title = $2, description = $3, body = $4, status = $5, published_at = $6,
			updated_at = $7, author_id = $8, word_count = $9, reading_minutes = $10,
			source = $11, source_hash = $12, title_key = $13, focus_keyphrase = $14, owner_id = $15, version = version + 1
		WHERE id = $16`,
		a.Slug, a.Title, a.Description, a.Body, a.Status, nullTime(a.PublishedAt),
		now, authorID, a.WordCount, a.ReadingMinutes,
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
		`DELETE FROM article_tags WHERE article_id = $1`,
		`DELETE FROM article_requested_links WHERE article_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, a.ID); err != nil {
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
					return db.updateArticle(ctx, sp, w.Article, w.Note, now)
				})
				// The savepoint was rolled back on the article's own
				// error. Should that fail, the transaction is aborted
				// and the commit reports it for the whole batch.
				errs[i] = conflict(err, w.Article)
				i++
				continue
			}
			n := 1
			for i+n < len(ws) && ws[i+n].Article.ID == 0 {
				n++
			}
			if err := createAll(ctx, tx, ws[i:i+n], errs[i:i+n], now); err != nil {
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
func createAll(ctx context.Context, tx pgx.Tx, ws []store.ArticleWrite, errs []error, now time.Time) error {
	for start := 0; start < len(ws); {
		b := &pgx.Batch{}
		done := start
		for _, w := range ws[start:] {
			b.Queue(`SAVEPOINT article`)
			stored := queueCreate(b, w.Article, now)
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
		errs[done] = conflict(err, ws[done].Article)
		start = done + 1
	}
	return nil
}

// checkOwner refuses an owner that is not a user (0 is nobody, and
// allowed), with a message naming it rather than a broken foreign key.
// The user's row stays share-locked until commit, so it cannot be
// deleted in between.
func checkOwner(ctx context.Context, tx pgx.Tx, owner int64) error {
	if owner == 0 {
		return nil
	}
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE`, owner).Scan(&one)
	if errNoRows(err) {
		return fmt.Errorf("%w: user %d, to own the article, does not exist", store.ErrNotFound, owner)
	}
	return err
}

// checkFree refuses a slug or source that belongs to another article than
// self (0 for a new article).
func checkFree(ctx context.Context, tx pgx.Tx, a *article.Article, self int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM articles WHERE slug = $1 AND id <> $2`, a.Slug, self).Scan(&id)
	if err == nil {
		return fmt.Errorf("%w: slug %q is already used by another article", store.ErrConflict, a.Slug)
	}
	if !errNoRows(err) {
		return err
	}
	if a.Source == "" {
		return nil
	}
	err = tx.QueryRow(ctx, `SELECT id FROM articles WHERE source = $1 AND id <> $2`, a.Source, self).Scan(&id)
	if err == nil {
		return fmt.Errorf("%w: source %q is already imported as another article", store.ErrConflict, a.Source)
	}
	if !errNoRows(err) {
		return err
	}
	return nil
}

// uniqueViolation is the SQLSTATE of a unique constraint violation.
const uniqueViolation = "23505"

// conflict reports a clash on an article's slug or source as ErrConflict,
// and an owner that is not a user as ErrNotFound. A create finds them so;
// an update checks first (checkFree, checkOwner), and this catches a
// concurrent write between the check and the update.
func conflict(err error, a *article.Article) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	switch {
	case pgErr.Code == uniqueViolation && pgErr.ConstraintName == "articles_slug_key":
		return fmt.Errorf("%w: slug %q is already used by another article", store.ErrConflict, a.Slug)
	case pgErr.Code == uniqueViolation && pgErr.ConstraintName == "articles_source":
		return fmt.Errorf("%w: source %q is already imported as another article", store.ErrConflict, a.Source)
	case pgErr.Code == foreignKeyViolation && pgErr.ConstraintName == "articles_owner_id_fkey":
		return fmt.Errorf("%w: user %d, to own the article, does not exist", store.ErrNotFound, a.OwnerID)
	}
	return err
}

// upsertAuthorSQL stores an author by slug. An empty bio never wipes one
// written earlier.
const upsertAuthorSQL = `
	INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
	ON CONFLICT (slug) DO UPDATE SET
		name = excluded.name,
		bio = CASE WHEN excluded.bio <> '' THEN excluded.bio ELSE authors.bio END
	RETURNING id`

func upsertAuthor(ctx context.Context, tx pgx.Tx, au *article.Author) (*int64, error) {
	if au == nil {
		return nil, nil
	}
	err := tx.QueryRow(ctx, upsertAuthorSQL, au.Slug, au.Name, au.Bio).Scan(&au.ID)
	if err != nil {
		return nil, fmt.Errorf("save author %q: %w", au.Name, err)
	}
	return &au.ID, nil
}

func writeTagsAndLinks(ctx context.Context, tx pgx.Tx, articleID int64, a *article.Article) error {
	for i := range a.Tags {
		t := &a.Tags[i]
		err := tx.QueryRow(ctx, `
			INSERT INTO tags (slug, name) VALUES ($1, $2)
			ON CONFLICT (slug) DO UPDATE SET name = tags.name
			RETURNING id, name`, t.Slug, t.Name).Scan(&t.ID, &t.Name)
		if err != nil {
			return fmt.Errorf("save tag %q: %w", t.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)`, articleID, t.ID, i); err != nil {
			return fmt.Errorf("tag article with %q: %w", t.Name, err)
		}
	}
	for i, title := range a.RequestedLinks {
		if _, err := tx.Exec(ctx, `INSERT INTO article_requested_links (article_id, position, title) VALUES ($1, $2, $3)`, articleID, i, title); err != nil {
			return fmt.Errorf("save requested link %q: %w", title, err)
		}
	}
	return nil
}

// insertRevision keeps current as the article's next revision. The caller
// holds the article's row lock, so the next number cannot be taken twice.
func insertRevision(ctx context.Context, tx pgx.Tx, current *article.Article, now time.Time, note string) error {
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
		nullTime(r.PublishedAt), string(tags), string(links), now, note, r.FocusKeyphrase)
	if err != nil {
		return fmt.Errorf("keep revision: %w", err)
	}
	return nil
}

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
