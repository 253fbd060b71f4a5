package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// CreateArticle stores a new article; see store.ArticleStore.
func (db *DB) CreateArticle(ctx context.Context, a *article.Article) (err error) {
	defer wrap(&err, "CreateArticle(%q)", a.Slug)
	now := dbTime(time.Now())
	err = db.transact(ctx, func(tx pgx.Tx) error {
		if err := checkFree(ctx, tx, a, 0); err != nil {
			return err
		}
		authorID, err := upsertAuthor(ctx, tx, a.Author)
		if err != nil {
			return err
		}
		updated := now
		if !a.UpdatedAt.IsZero() {
			updated = dbTime(a.UpdatedAt)
		}
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO articles (slug, title, description, body, status, published_at,
				created_at, updated_at, author_id, word_count, reading_minutes, source, source_hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			RETURNING id`,
			a.Slug, a.Title, a.Description, a.Body, a.Status, nullTime(a.PublishedAt),
			now, updated, authorID, a.WordCount, a.ReadingMinutes,
			nullString(a.Source), a.SourceHash,
		).Scan(&id)
		if err != nil {
			return err
		}
		if err := writeTagsAndLinks(ctx, tx, id, a); err != nil {
			return err
		}
		a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, 1, now, updated
		return nil
	})
	return conflict(err, a)
}

// UpdateArticle replaces a stored article, keeping the old version as a
// revision; see store.ArticleStore.
func (db *DB) UpdateArticle(ctx context.Context, a *article.Article, note string) (err error) {
	defer wrap(&err, "UpdateArticle(%q)", a.Slug)
	now := dbTime(time.Now())
	err = db.transact(ctx, func(tx pgx.Tx) error {
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
		current, err := articleWhere(ctx, tx, `a.id = $1`, a.ID)
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
				source = $11, source_hash = $12, version = version + 1
			WHERE id = $13`,
			a.Slug, a.Title, a.Description, a.Body, a.Status, nullTime(a.PublishedAt),
			now, authorID, a.WordCount, a.ReadingMinutes,
			nullString(a.Source), a.SourceHash, a.ID)
		if err != nil {
			return err
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
		return nil
	})
	return conflict(err, a)
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

// conflict reports a clash on an article's slug or source as ErrConflict.
// checkFree finds most clashes first; this catches a concurrent write that
// took the slug or source between checkFree and the insert.
func conflict(err error, a *article.Article) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != uniqueViolation {
		return err
	}
	switch pgErr.ConstraintName {
	case "articles_slug_key":
		return fmt.Errorf("%w: slug %q is already used by another article", store.ErrConflict, a.Slug)
	case "articles_source":
		return fmt.Errorf("%w: source %q is already imported as another article", store.ErrConflict, a.Source)
	}
	return err
}

func upsertAuthor(ctx context.Context, tx pgx.Tx, au *article.Author) (*int64, error) {
	if au == nil {
		return nil, nil
	}
	// An empty bio never wipes one written earlier.
	err := tx.QueryRow(ctx, `
		INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET
			name = excluded.name,
			bio = CASE WHEN excluded.bio <> '' THEN excluded.bio ELSE authors.bio END
		RETURNING id`, au.Slug, au.Name, au.Bio).Scan(&au.ID)
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
			published_at, tags, requested_links, saved_at, note)
		VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE article_id = $1),
			$2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ArticleID, r.Title, r.Slug, r.Description, r.Body, r.Status,
		nullTime(r.PublishedAt), string(tags), string(links), now, note)
	if err != nil {
		return fmt.Errorf("keep revision: %w", err)
	}
	return nil
}

// Article returns the article with the given slug; see store.ArticleStore.
func (db *DB) Article(ctx context.Context, slug string) (_ *article.Article, err error) {
	defer wrap(&err, "Article(%q)", slug)
	return articleWhere(ctx, db.pool, `a.slug = $1`, slug)
}

// ArticleBySource returns the article imported from source; see
// store.ArticleStore.
func (db *DB) ArticleBySource(ctx context.Context, source string) (_ *article.Article, err error) {
	defer wrap(&err, "ArticleBySource(%q)", source)
	return articleWhere(ctx, db.pool, `a.source = $1`, source)
}

// querier is what both a pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const articleColumns = `
	a.id, a.slug, a.title, a.description, a.status, a.published_at, a.created_at,
	a.updated_at, a.word_count, a.reading_minutes, COALESCE(a.source, ''), a.source_hash,
	a.version, au.id, au.slug, au.name, au.bio`

func scanArticle(row pgx.Row, a *article.Article, extra ...any) error {
	var published *time.Time
	var authorID *int64
	var authorSlug, authorName, authorBio *string
	dest := append([]any{&a.ID, &a.Slug, &a.Title, &a.Description, &a.Status, &published,
		&a.CreatedAt, &a.UpdatedAt, &a.WordCount, &a.ReadingMinutes, &a.Source, &a.SourceHash,
		&a.Version, &authorID, &authorSlug, &authorName, &authorBio}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	a.PublishedAt = fromNullTime(published)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if authorID != nil {
		a.Author = &article.Author{ID: *authorID, Slug: *authorSlug, Name: *authorName, Bio: *authorBio}
	}
	return nil
}

// articleWhere loads one whole article, with its body, tags and requested
// links.
func articleWhere(ctx context.Context, q querier, cond string, args ...any) (*article.Article, error) {
	a := &article.Article{}
	row := q.QueryRow(ctx, `
		SELECT `+articleColumns+`, a.body
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id
		WHERE `+cond, args...)
	if err := scanArticle(row, a, &a.Body); err != nil {
		if errNoRows(err) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	if err := loadTags(ctx, q, []*article.Article{a}); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT title FROM article_requested_links WHERE article_id = $1 ORDER BY position`, a.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var title string
		if err := rows.Scan(&title); err != nil {
			return nil, err
		}
		a.RequestedLinks = append(a.RequestedLinks, title)
	}
	return a, rows.Err()
}

// loadTags fills in the tags of the given articles with one query.
func loadTags(ctx context.Context, q querier, as []*article.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*article.Article, len(as))
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	rows, err := q.Query(ctx, `
		SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at
		JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ANY($1)
		ORDER BY at.article_id, at.position`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var articleID int64
		var t article.Tag
		if err := rows.Scan(&articleID, &t.ID, &t.Slug, &t.Name); err != nil {
			return err
		}
		byID[articleID].Tags = append(byID[articleID].Tags, t)
	}
	return rows.Err()
}

// Articles lists articles without their bodies or requested links, newest
// first; see store.ArticleStore.
func (db *DB) Articles(ctx context.Context, q store.ArticleQuery) (_ []*article.Article, err error) {
	defer wrap(&err, "Articles(%+v)", q)
	var conditions []string
	var args []any
	// arg adds a query argument and returns its placeholder.
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Status != "" {
		conditions = append(conditions, `a.status = `+arg(q.Status))
	}
	query := `
		SELECT ` + articleColumns + `
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id`
	if len(conditions) > 0 {
		query += `
		WHERE ` + strings.Join(conditions, ` AND `)
	}
	query += `
		ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
	// As in the sqlite store, Offset counts only with a Limit.
	if q.Limit > 0 {
		query += `
		LIMIT ` + arg(q.Limit) + ` OFFSET ` + arg(q.Offset)
	}
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var as []*article.Article
	for rows.Next() {
		a := &article.Article{}
		if err := scanArticle(rows, a); err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadTags(ctx, db.pool, as); err != nil {
		return nil, err
	}
	return as, nil
}

// DeleteArticle deletes an article and its revisions; see
// store.ArticleStore.
func (db *DB) DeleteArticle(ctx context.Context, slug string) (err error) {
	defer wrap(&err, "DeleteArticle(%q)", slug)
	// One statement is atomic: the revisions, tags and requested links go
	// with the article through ON DELETE CASCADE.
	tag, err := db.pool.Exec(ctx, `DELETE FROM articles WHERE slug = $1`, slug)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// Revisions lists an article's earlier versions without their bodies; see
// store.ArticleStore.
func (db *DB) Revisions(ctx context.Context, articleID int64) (_ []article.Revision, err error) {
	defer wrap(&err, "Revisions(%d)", articleID)
	rows, err := db.pool.Query(ctx, `
		SELECT number, title, slug, description, status, published_at, tags, requested_links, saved_at, note
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

// Revision returns one whole revision; see store.ArticleStore.
func (db *DB) Revision(ctx context.Context, articleID int64, n int) (_ *article.Revision, err error) {
	defer wrap(&err, "Revision(%d, %d)", articleID, n)
	r := &article.Revision{ArticleID: articleID}
	row := db.pool.QueryRow(ctx, `
		SELECT number, title, slug, description, status, published_at, tags, requested_links, saved_at, note, body
		FROM revisions
		WHERE article_id = $1 AND number = $2`, articleID, n)
	if err := scanRevision(row, r, &r.Body); err != nil {
		if errNoRows(err) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	return r, nil
}

func scanRevision(row pgx.Row, r *article.Revision, extra ...any) error {
	var published *time.Time
	var tags, links []byte
	dest := append([]any{&r.Number, &r.Title, &r.Slug, &r.Description, &r.Status, &published, &tags, &links, &r.SavedAt, &r.Note}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	r.PublishedAt = fromNullTime(published)
	r.SavedAt = r.SavedAt.UTC()
	if err := json.Unmarshal(tags, &r.Tags); err != nil {
		return fmt.Errorf("revision %d tags: %w", r.Number, err)
	}
	if err := json.Unmarshal(links, &r.RequestedLinks); err != nil {
		return fmt.Errorf("revision %d requested links: %w", r.Number, err)
	}
	return nil
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
