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

// Article returns the article with the given slug; see store.ArticleStore.
func (db *DB) Article(ctx context.Context, slug string) (_ *article.Article, err error) {
	defer wrap(&err, "Article(%q)", slug)
	return articleWhere(ctx, db.pool, `a.slug = $1`, slug)
}

// ArticleByID returns the article with the given ID; see
// store.ArticleStore.
func (db *DB) ArticleByID(ctx context.Context, id int64) (_ *article.Article, err error) {
	defer wrap(&err, "ArticleByID(%d)", id)
	return articleWhere(ctx, db.pool, `a.id = $1`, id)
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
	a.version, a.view_count, a.comment_count, a.comments_closed, a.focus_keyphrase, COALESCE(a.owner_id, 0),
	au.id, au.slug, au.name, au.bio`

func scanArticle(row pgx.Row, a *article.Article, extra ...any) error {
	var published *time.Time
	var authorID *int64
	var authorSlug, authorName, authorBio *string
	dest := append([]any{&a.ID, &a.Slug, &a.Title, &a.Description, &a.Status, &published,
		&a.CreatedAt, &a.UpdatedAt, &a.WordCount, &a.ReadingMinutes, &a.Source, &a.SourceHash,
		&a.Version, &a.Views, &a.CommentCount, &a.CommentsClosed, &a.FocusKeyphrase, &a.OwnerID,
		&authorID, &authorSlug, &authorName, &authorBio}, extra...)
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
	if err := loadRequestedLinks(ctx, q, []*article.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
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

// loadRequestedLinks fills in the requested links of the given articles
// with one query.
func loadRequestedLinks(ctx context.Context, q querier, as []*article.Article) error {
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
		SELECT article_id, title
		FROM article_requested_links
		WHERE article_id = ANY($1)
		ORDER BY article_id, position`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var articleID int64
		var title string
		if err := rows.Scan(&articleID, &title); err != nil {
			return err
		}
		byID[articleID].RequestedLinks = append(byID[articleID].RequestedLinks, title)
	}
	return rows.Err()
}

// filter builds the SQL conditions of a list query, numbering its
// arguments.
type filter struct {
	conditions []string
	args       []any
}

// arg adds a query argument and returns its placeholder.
func (f *filter) arg(v any) string {
	f.args = append(f.args, v)
	return "$" + strconv.Itoa(len(f.args))
}

func (f *filter) where() string {
	if len(f.conditions) == 0 {
		return ""
	}
	return `
		WHERE ` + strings.Join(f.conditions, ` AND `)
}

// articleFilter turns a query into conditions and the order that suits
// them.
func articleFilter(q store.ArticleQuery) (f *filter, order string) {
	f = &filter{}
	order = `COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
	if q.Status != "" {
		f.conditions = append(f.conditions, `a.status = `+f.arg(q.Status))
	}
	if !q.PublicAt.IsZero() {
		f.conditions = append(f.conditions, `a.status IN ('published', 'scheduled')`, `a.published_at <= `+f.arg(q.PublicAt.UTC()))
		order = `a.published_at DESC, a.id DESC`
	}
	if q.TagSlug != "" {
		f.conditions = append(f.conditions, `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.slug = `+f.arg(q.TagSlug)+`)`)
	}
	if q.AuthorSlug != "" {
		f.conditions = append(f.conditions, `au.slug = `+f.arg(q.AuthorSlug))
	}
	if q.OwnerID != 0 {
		f.conditions = append(f.conditions, `a.owner_id = `+f.arg(q.OwnerID))
	}
	if q.TitleContains != "" {
		// title_key is the title folded by article.TitleKey (lower case
		// in every script, one kind of quote and dash), so the search
		// finds the same titles as in the sqlite store.
		f.conditions = append(f.conditions, `a.title_key LIKE `+f.arg("%"+escapeLike(article.TitleKey(q.TitleContains))+"%")+` ESCAPE '\'`)
	}
	if len(q.Slugs) > 0 {
		f.conditions = append(f.conditions, `a.slug = ANY(`+f.arg(q.Slugs)+`)`)
	}
	if len(q.Sources) > 0 {
		f.conditions = append(f.conditions, `a.source = ANY(`+f.arg(q.Sources)+`)`)
	}
	return f, order
}

// escapeLike makes s match itself in a LIKE pattern escaped with a
// backslash: a title search for "100%" finds that, not every title with
// "100" in it.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Articles lists articles, whole when q.Whole is set, newest first; see
// store.ArticleStore.
func (db *DB) Articles(ctx context.Context, q store.ArticleQuery) (_ []*article.Article, err error) {
	defer wrap(&err, "Articles(%+v)", q)
	f, order := articleFilter(q)
	columns := articleColumns
	if q.Whole {
		columns += `, a.body`
	}
	query := `
		SELECT ` + columns + `
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id` + f.where() + `
		ORDER BY ` + order
	// As in the sqlite store, Offset counts only with a Limit.
	if q.Limit > 0 {
		query += `
		LIMIT ` + f.arg(q.Limit) + ` OFFSET ` + f.arg(q.Offset)
	}
	return db.listArticles(ctx, q.Whole, query, f.args...)
}

// listArticles runs a query selecting articleColumns (and the body, when
// whole) and loads the tags (and the requested links, when whole) of what
// it finds.
func (db *DB) listArticles(ctx context.Context, whole bool, query string, args ...any) ([]*article.Article, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var as []*article.Article
	for rows.Next() {
		a := &article.Article{}
		var extra []any
		if whole {
			extra = append(extra, &a.Body)
		}
		if err := scanArticle(rows, a, extra...); err != nil {
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
	if !whole {
		return as, nil
	}
	if err := loadRequestedLinks(ctx, db.pool, as); err != nil {
		return nil, err
	}
	return as, nil
}

// EachArticle walks whole articles; see store.ArticleStore.
func (db *DB) EachArticle(ctx context.Context, q store.ArticleQuery, fn func(*article.Article) error) (err error) {
	defer wrap(&err, "EachArticle(%+v)", q)
	tags, err := db.allTags(ctx)
	if err != nil {
		return err
	}
	requested, err := db.allRequestedLinks(ctx)
	if err != nil {
		return err
	}
	f, order := articleFilter(q)
	query := `
		SELECT ` + articleColumns + `, a.body
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id` + f.where() + `
		ORDER BY ` + order
	if q.Limit > 0 {
		query += `
		LIMIT ` + f.arg(q.Limit) + ` OFFSET ` + f.arg(q.Offset)
	}
	rows, err := db.pool.Query(ctx, query, f.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a := &article.Article{}
		if err := scanArticle(rows, a, &a.Body); err != nil {
			return err
		}
		a.Tags = tags[a.ID]
		a.RequestedLinks = requested[a.ID]
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ArticleVersions lists the IDs and versions of articles; see
// store.ArticleStore. The join is there for the author filter; PostgreSQL
// leaves it out of a query without one.
func (db *DB) ArticleVersions(ctx context.Context, q store.ArticleQuery) (_ []store.ArticleVersion, err error) {
	defer wrap(&err, "ArticleVersions(%+v)", q)
	f, order := articleFilter(q)
	query := `
		SELECT a.id, a.version
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id` + f.where() + `
		ORDER BY ` + order
	if q.Limit > 0 {
		query += `
		LIMIT ` + f.arg(q.Limit) + ` OFFSET ` + f.arg(q.Offset)
	}
	rows, err := db.pool.Query(ctx, query, f.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []store.ArticleVersion
	for rows.Next() {
		var v store.ArticleVersion
		if err := rows.Scan(&v.ID, &v.Version); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// allTags returns the tags of every article, in their order.
func (db *DB) allTags(ctx context.Context) (map[int64][]article.Tag, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at
		JOIN tags t ON t.id = at.tag_id
		ORDER BY at.article_id, at.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tags := map[int64][]article.Tag{}
	for rows.Next() {
		var id int64
		var t article.Tag
		if err := rows.Scan(&id, &t.ID, &t.Slug, &t.Name); err != nil {
			return nil, err
		}
		tags[id] = append(tags[id], t)
	}
	return tags, rows.Err()
}

// allRequestedLinks returns the requested links of every article, in
// their order.
func (db *DB) allRequestedLinks(ctx context.Context) (map[int64][]string, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT article_id, title
		FROM article_requested_links
		ORDER BY article_id, position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	links := map[int64][]string{}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, err
		}
		links[id] = append(links[id], title)
	}
	return links, rows.Err()
}

// CountArticles counts the articles matching q; see store.ArticleStore.
func (db *DB) CountArticles(ctx context.Context, q store.ArticleQuery) (n int, err error) {
	defer wrap(&err, "CountArticles(%+v)", q)
	f, _ := articleFilter(q)
	err = db.pool.QueryRow(ctx, `
		SELECT COUNT(*)
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id`+f.where(), f.args...).Scan(&n)
	return n, err
}

// PublicArticlesByTitle finds public articles by title; see
// store.ArticleStore.
func (db *DB) PublicArticlesByTitle(ctx context.Context, titles []string, at time.Time) (_ []*article.Article, err error) {
	defer wrap(&err, "PublicArticlesByTitle(%q)", titles)
	if len(titles) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(titles))
	for _, t := range titles {
		keys = append(keys, article.TitleKey(t))
	}
	return db.listArticles(ctx, false, `
		SELECT `+articleColumns+`
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id
		WHERE a.status IN ('published', 'scheduled')
			AND a.published_at <= $1
			AND a.title_key = ANY($2)`, at.UTC(), keys)
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
