package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

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

// Article returns the article with the given slug; see store.ArticleStore.
func (s *Store) Article(ctx context.Context, slug string) (_ *article.Article, err error) {
	defer s.wrap(&err, "Article(%q)", slug)
	return s.ArticleWhere(ctx, s.db.Reader(), `a.slug = $1`, slug)
}

// ArticleByID returns the article with the given ID; see
// store.ArticleStore.
func (s *Store) ArticleByID(ctx context.Context, id int64) (_ *article.Article, err error) {
	defer s.wrap(&err, "ArticleByID(%d)", id)
	return s.ArticleWhere(ctx, s.db.Reader(), `a.id = $1`, id)
}

// ArticleBySource returns the article imported from source; see
// store.ArticleStore.
func (s *Store) ArticleBySource(ctx context.Context, source string) (_ *article.Article, err error) {
	defer s.wrap(&err, "ArticleBySource(%q)", source)
	return s.ArticleWhere(ctx, s.db.Reader(), `a.source = $1`, source)
}

const articleColumns = `
	a.id, a.slug, a.title, a.description, a.status, a.published_at, a.created_at,
	a.updated_at, a.word_count, a.reading_minutes, COALESCE(a.source, ''), a.source_hash,
	a.version, a.view_count, a.comment_count, a.comments_closed, a.focus_keyphrase, COALESCE(a.owner_id, 0),
	au.id, au.slug, au.name, au.bio`

func scanArticle(row Row, a *article.Article, extra ...any) error {
	var authorID *int64
	var authorSlug, authorName, authorBio *string
	dest := append([]any{&a.ID, &a.Slug, &a.Title, &a.Description, &a.Status, Time(&a.PublishedAt),
		Time(&a.CreatedAt), Time(&a.UpdatedAt), &a.WordCount, &a.ReadingMinutes, &a.Source, &a.SourceHash,
		&a.Version, &a.Views, &a.CommentCount, &a.CommentsClosed, &a.FocusKeyphrase, &a.OwnerID,
		&authorID, &authorSlug, &authorName, &authorBio}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if authorID != nil {
		a.Author = &article.Author{ID: *authorID, Slug: *authorSlug, Name: *authorName, Bio: *authorBio}
	}
	return nil
}

// ArticleWhere loads through q one whole article, with its body, tags and
// requested links; cond is the WHERE clause. No article wraps
// store.ErrNotFound.
func (s *Store) ArticleWhere(ctx context.Context, q Conn, cond string, args ...any) (*article.Article, error) {
	a := &article.Article{}
	row := q.QueryRow(ctx, `
		SELECT `+articleColumns+`, a.body
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id
		WHERE `+cond, args...)
	if err := scanArticle(row, a, &a.Body); err != nil {
		if noRows(err) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	if err := s.loadTags(ctx, q, []*article.Article{a}); err != nil {
		return nil, err
	}
	if err := s.loadRequestedLinks(ctx, q, []*article.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// byArticleID indexes articles by ID, and lists the IDs.
func byArticleID(as []*article.Article) (map[int64]*article.Article, []int64) {
	byID := make(map[int64]*article.Article, len(as))
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	return byID, ids
}

// loadTags fills in the tags of the given articles with one query.
func (s *Store) loadTags(ctx context.Context, q Conn, as []*article.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID, ids := byArticleID(as)
	rows, err := q.Query(ctx, `
		SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at
		JOIN tags t ON t.id = at.tag_id
		WHERE `+s.db.In("at.article_id", "$1")+`
		ORDER BY at.article_id, at.position`, s.db.Int64s(ids))
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
func (s *Store) loadRequestedLinks(ctx context.Context, q Conn, as []*article.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID, ids := byArticleID(as)
	rows, err := q.Query(ctx, `
		SELECT article_id, title
		FROM article_requested_links
		WHERE `+s.db.In("article_id", "$1")+`
		ORDER BY article_id, position`, s.db.Int64s(ids))
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

// articleFilter turns a query into conditions and the order that suits
// them.
func (s *Store) articleFilter(q store.ArticleQuery) (f *filter, order string) {
	f = &filter{}
	order = `COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
	if q.Status != "" {
		f.conditions = append(f.conditions, `a.status = `+f.arg(q.Status))
	}
	if !q.PublicAt.IsZero() {
		f.conditions = append(f.conditions, `a.status IN ('published', 'scheduled')`, `a.published_at <= `+f.arg(s.db.Time(q.PublicAt)))
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
		// in every script, one kind of quote and dash), so that both
		// backends find the same titles (SQLite's LIKE folds only ASCII).
		f.conditions = append(f.conditions, `a.title_key LIKE `+f.arg("%"+escapeLike(article.TitleKey(q.TitleContains))+"%")+` ESCAPE '\'`)
	}
	// A list is one argument, so that the statement is the same (and
	// prepared once) for any number of values.
	if len(q.Slugs) > 0 {
		f.conditions = append(f.conditions, s.db.In("a.slug", f.arg(s.db.Strings(q.Slugs))))
	}
	if len(q.Sources) > 0 {
		f.conditions = append(f.conditions, s.db.In("a.source", f.arg(s.db.Strings(q.Sources))))
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
func (s *Store) Articles(ctx context.Context, q store.ArticleQuery) (_ []*article.Article, err error) {
	defer s.wrap(&err, "Articles(%+v)", q)
	f, order := s.articleFilter(q)
	columns := articleColumns
	if q.Whole {
		columns += `, a.body`
	}
	query := `
		SELECT ` + columns + `
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id` + f.where() + `
		ORDER BY ` + order
	query += f.page(q.Limit, q.Offset)
	return s.listArticles(ctx, q.Whole, query, f.args...)
}

// listArticles runs a query selecting articleColumns (and the body, when
// whole) and loads the tags (and the requested links, when whole) of what
// it finds.
func (s *Store) listArticles(ctx context.Context, whole bool, query string, args ...any) ([]*article.Article, error) {
	rows, err := s.db.Reader().Query(ctx, query, args...)
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
	// Some hundreds at a time: SQLite bounds a JSON argument's depth, not
	// its length, but one query need not read everything at once.
	for start := 0; start < len(as); start += 500 {
		chunk := as[start:min(start+500, len(as))]
		if err := s.loadTags(ctx, s.db.Reader(), chunk); err != nil {
			return nil, err
		}
		if !whole {
			continue
		}
		if err := s.loadRequestedLinks(ctx, s.db.Reader(), chunk); err != nil {
			return nil, err
		}
	}
	return as, nil
}

// EachArticle walks whole articles; see store.ArticleStore.
func (s *Store) EachArticle(ctx context.Context, q store.ArticleQuery, fn func(*article.Article) error) (err error) {
	defer s.wrap(&err, "EachArticle(%+v)", q)
	tags, err := s.allTags(ctx)
	if err != nil {
		return err
	}
	requested, err := s.allRequestedLinks(ctx)
	if err != nil {
		return err
	}
	f, order := s.articleFilter(q)
	query := `
		SELECT ` + articleColumns + `, a.body
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id` + f.where() + `
		ORDER BY ` + order
	query += f.page(q.Limit, q.Offset)
	rows, err := s.db.Reader().Query(ctx, query, f.args...)
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
// store.ArticleStore. The join is there for the author filter; both
// databases leave it out of a query without one.
func (s *Store) ArticleVersions(ctx context.Context, q store.ArticleQuery) (_ []store.ArticleVersion, err error) {
	defer s.wrap(&err, "ArticleVersions(%+v)", q)
	f, order := s.articleFilter(q)
	query := `
		SELECT a.id, a.version
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id` + f.where() + `
		ORDER BY ` + order
	query += f.page(q.Limit, q.Offset)
	rows, err := s.db.Reader().Query(ctx, query, f.args...)
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
func (s *Store) allTags(ctx context.Context) (map[int64][]article.Tag, error) {
	rows, err := s.db.Reader().Query(ctx, `
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
func (s *Store) allRequestedLinks(ctx context.Context) (map[int64][]string, error) {
	rows, err := s.db.Reader().Query(ctx, `
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
func (s *Store) CountArticles(ctx context.Context, q store.ArticleQuery) (n int, err error) {
	defer s.wrap(&err, "CountArticles(%+v)", q)
	f, _ := s.articleFilter(q)
	err = s.db.Reader().QueryRow(ctx, `
		SELECT COUNT(*)
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id`+f.where(), f.args...).Scan(&n)
	return n, err
}

// PublicArticlesByTitle finds public articles by title; see
// store.ArticleStore.
func (s *Store) PublicArticlesByTitle(ctx context.Context, titles []string, at time.Time) (_ []*article.Article, err error) {
	defer s.wrap(&err, "PublicArticlesByTitle(%q)", titles)
	if len(titles) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(titles))
	for _, t := range titles {
		keys = append(keys, article.TitleKey(t))
	}
	return s.listArticles(ctx, false, `
		SELECT `+articleColumns+`
		FROM articles a
		LEFT JOIN authors au ON au.id = a.author_id
		WHERE a.status IN ('published', 'scheduled')
			AND a.published_at <= $1
			AND `+s.db.In("a.title_key", "$2"), s.db.Time(at), s.db.Strings(keys))
}

// DeleteArticle deletes an article and its revisions; see
// store.ArticleStore.
func (s *Store) DeleteArticle(ctx context.Context, slug string) (err error) {
	defer s.wrap(&err, "DeleteArticle(%q)", slug)
	// One statement is atomic: the revisions, tags and requested links go
	// with the article through ON DELETE CASCADE.
	return oneRow(s.db.Writer().Exec(ctx, `DELETE FROM articles WHERE slug = $1`, slug))
}
