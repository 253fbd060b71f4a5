package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
	current, err := articleWhere(ctx, tx, `a.id = ?`, a.ID)
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

// Article returns the article with the given slug; see store.ArticleStore.
func (db *DB) Article(ctx context.Context, slug string) (_ *article.Article, err error) {
	defer wrap(&err, "Article(%q)", slug)
	return articleWhere(ctx, db.readConn(), `a.slug = ?`, slug)
}

// ArticleByID returns the article with the given ID; see
// store.ArticleStore.
func (db *DB) ArticleByID(ctx context.Context, id int64) (_ *article.Article, err error) {
	defer wrap(&err, "ArticleByID(%d)", id)
	return articleWhere(ctx, db.readConn(), `a.id = ?`, id)
}

// ArticleBySource returns the article imported from source; see
// store.ArticleStore.
func (db *DB) ArticleBySource(ctx context.Context, source string) (_ *article.Article, err error) {
	defer wrap(&err, "ArticleBySource(%q)", source)
	return articleWhere(ctx, db.readConn(), `a.source = ?`, source)
}

const articleColumns = `
	a.id, a.slug, a.title, a.description, a.status, a.published_at, a.created_at,
	a.updated_at, a.word_count, a.reading_minutes, COALESCE(a.source, ''), a.source_hash,
	a.version, a.view_count, a.comment_count, a.comments_closed, a.focus_keyphrase, COALESCE(a.owner_id, 0),
	au.id, au.slug, au.name, au.bio`

func scanArticle(row scanner, a *article.Article, extra ...any) error {
	var published sql.NullString
	var created, updated string
	var authorID sql.NullInt64
	var authorSlug, authorName, authorBio sql.NullString
	dest := append([]any{&a.ID, &a.Slug, &a.Title, &a.Description, &a.Status, &published,
		&created, &updated, &a.WordCount, &a.ReadingMinutes, &a.Source, &a.SourceHash,
		&a.Version, &a.Views, &a.CommentCount, &a.CommentsClosed, &a.FocusKeyphrase, &a.OwnerID,
		&authorID, &authorSlug, &authorName, &authorBio}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	var err error
	if a.PublishedAt, err = parseTime(published); err != nil {
		return err
	}
	if a.CreatedAt, err = time.Parse(timeLayout, created); err != nil {
		return err
	}
	if a.UpdatedAt, err = time.Parse(timeLayout, updated); err != nil {
		return err
	}
	if authorID.Valid {
		a.Author = &article.Author{ID: authorID.Int64, Slug: authorSlug.String, Name: authorName.String, Bio: authorBio.String}
	}
	return nil
}

// articleWhere loads one whole article, with its body, tags and requested
// links.
func articleWhere(ctx context.Context, q conn, cond string, args ...any) (*article.Article, error) {
	a := &article.Article{}
	row := q.queryRow(ctx, `
		SELECT `+articleColumns+`, a.body
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id
		WHERE `+cond, args...)
	if err := scanArticle(row, a, &a.Body); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
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
func loadTags(ctx context.Context, q conn, as []*article.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*article.Article, len(as))
	ids := make([]any, 0, len(as))
	for _, a := range as {
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	rows, err := q.query(ctx, `
		SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at
		JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id IN (`+placeholders(len(ids))+`)
		ORDER BY at.article_id, at.position`, ids...)
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
func loadRequestedLinks(ctx context.Context, q conn, as []*article.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*article.Article, len(as))
	ids := make([]any, 0, len(as))
	for _, a := range as {
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	rows, err := q.query(ctx, `
		SELECT article_id, title
		FROM article_requested_links
		WHERE article_id IN (`+placeholders(len(ids))+`)
		ORDER BY article_id, position`, ids...)
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

// escapeLike makes s match itself in a LIKE pattern escaped with a
// backslash: a title search for "100%" finds that, not every title with
// "100" in it.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// jsonArray encodes strings as a JSON array; strings always encode.
func jsonArray(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// articleFilter turns a query into SQL conditions, their arguments and
// the order that suits them.
func articleFilter(q store.ArticleQuery) (where string, args []any, order string) {
	var conditions []string
	order = `COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
	if q.Status != "" {
		conditions = append(conditions, `a.status = ?`)
		args = append(args, q.Status)
	}
	if !q.PublicAt.IsZero() {
		conditions = append(conditions, `a.status IN ('published', 'scheduled')`, `a.published_at <= ?`)
		args = append(args, formatTime(q.PublicAt))
		order = `a.published_at DESC, a.id DESC`
	}
	if q.TagSlug != "" {
		conditions = append(conditions, `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.slug = ?)`)
		args = append(args, q.TagSlug)
	}
	if q.AuthorSlug != "" {
		conditions = append(conditions, `au.slug = ?`)
		args = append(args, q.AuthorSlug)
	}
	if q.OwnerID != 0 {
		conditions = append(conditions, `a.owner_id = ?`)
		args = append(args, q.OwnerID)
	}
	if q.TitleContains != "" {
		// title_key is the title folded by article.TitleKey: lower case in
		// every script (SQLite's LIKE folds only ASCII), one kind of quote
		// and dash.
		conditions = append(conditions, `a.title_key LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(article.TitleKey(q.TitleContains))+"%")
	}
	// A list is one JSON argument, so that the statement is the same
	// (and prepared once) for any number of values.
	if len(q.Slugs) > 0 {
		conditions = append(conditions, `a.slug IN (SELECT value FROM json_each(?))`)
		args = append(args, jsonArray(q.Slugs))
	}
	if len(q.Sources) > 0 {
		conditions = append(conditions, `a.source IN (SELECT value FROM json_each(?))`)
		args = append(args, jsonArray(q.Sources))
	}
	if len(conditions) > 0 {
		where = ` WHERE ` + strings.Join(conditions, ` AND `)
	}
	return where, args, order
}

// Articles lists articles, whole when q.Whole is set, newest first; see
// store.ArticleStore.
func (db *DB) Articles(ctx context.Context, q store.ArticleQuery) (_ []*article.Article, err error) {
	defer wrap(&err, "Articles(%+v)", q)
	where, args, order := articleFilter(q)
	columns := articleColumns
	if q.Whole {
		columns += `, a.body`
	}
	query := `SELECT ` + columns + ` FROM articles a LEFT JOIN authors au ON au.id = a.author_id` + where + ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, q.Offset)
	}
	return db.listArticles(ctx, q.Whole, query, args...)
}

// listArticles runs a query selecting articleColumns (and the body, when
// whole) and loads the tags (and the requested links, when whole) of what
// it finds.
func (db *DB) listArticles(ctx context.Context, whole bool, query string, args ...any) ([]*article.Article, error) {
	rows, err := db.readConn().query(ctx, query, args...)
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
	// SQLite allows a limited number of variables per statement.
	for start := 0; start < len(as); start += 500 {
		chunk := as[start:min(start+500, len(as))]
		if err := loadTags(ctx, db.readConn(), chunk); err != nil {
			return nil, err
		}
		if !whole {
			continue
		}
		if err := loadRequestedLinks(ctx, db.readConn(), chunk); err != nil {
			return nil, err
		}
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
	where, args, order := articleFilter(q)
	query := `SELECT ` + articleColumns + `, a.body FROM articles a LEFT JOIN authors au ON au.id = a.author_id` + where + ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, q.Offset)
	}
	rows, err := db.reader.QueryContext(ctx, query, args...)
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
// store.ArticleStore. The join is there for the author filter; SQLite
// leaves it out of a query without one.
func (db *DB) ArticleVersions(ctx context.Context, q store.ArticleQuery) (_ []store.ArticleVersion, err error) {
	defer wrap(&err, "ArticleVersions(%+v)", q)
	where, args, order := articleFilter(q)
	query := `SELECT a.id, a.version FROM articles a LEFT JOIN authors au ON au.id = a.author_id` + where + ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, q.Offset)
	}
	rows, err := db.readConn().query(ctx, query, args...)
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
	rows, err := db.reader.QueryContext(ctx, `
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
	rows, err := db.reader.QueryContext(ctx, `
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
	where, args, _ := articleFilter(q)
	err = db.readConn().queryRow(ctx, `SELECT COUNT(*) FROM articles a LEFT JOIN authors au ON au.id = a.author_id`+where, args...).Scan(&n)
	return n, err
}

// PublicArticlesByTitle finds public articles by title; see
// store.ArticleStore.
func (db *DB) PublicArticlesByTitle(ctx context.Context, titles []string, at time.Time) (_ []*article.Article, err error) {
	defer wrap(&err, "PublicArticlesByTitle(%q)", titles)
	if len(titles) == 0 {
		return nil, nil
	}
	args := []any{formatTime(at)}
	for _, t := range titles {
		args = append(args, article.TitleKey(t))
	}
	return db.listArticles(ctx, false, `
		SELECT `+articleColumns+`
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id
		WHERE a.status IN ('published', 'scheduled')
			AND a.published_at <= ?
			AND a.title_key IN (`+placeholders(len(titles))+`)`, args...)
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

// DeleteArticle deletes an article and its revisions; see
// store.ArticleStore.
func (db *DB) DeleteArticle(ctx context.Context, slug string) (err error) {
	defer wrap(&err, "DeleteArticle(%q)", slug)
	return db.transact(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `DELETE FROM articles WHERE slug = ?`, slug)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
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
