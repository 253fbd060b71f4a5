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

const authorColumns = `id, slug, name, bio, COALESCE(photo_media_id, 0), role_title, links`

func scanAuthor(row Row) (*article.Author, error) {
	au := &article.Author{Profile: &article.Profile{}}
	var links []byte
	if err := row.Scan(&au.ID, &au.Slug, &au.Name, &au.Bio, &au.Profile.PhotoMediaID, &au.Profile.RoleTitle, &links); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(links, &au.Profile.Links); err != nil {
		return nil, fmt.Errorf("author %q links: %w", au.Slug, err)
	}
	return au, nil
}

// Author returns an author by slug; see store.ArticleStore. The error
// wraps store.ErrNotFound when no author has the slug.
func (s *Store) Author(ctx context.Context, slug string) (_ *article.Author, err error) {
	defer s.wrap(&err, "Author(%q)", slug)
	au, err := scanAuthor(s.db.Reader().QueryRow(ctx, `SELECT `+authorColumns+` FROM authors WHERE slug = $1`, slug))
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return au, err
}

// Authors lists every author; see store.ArticleStore.
func (s *Store) Authors(ctx context.Context) (_ []*article.Author, err error) {
	defer s.wrap(&err, "Authors")
	var out []*article.Author
	return out, each(ctx, s.db.Reader(), `SELECT `+authorColumns+` FROM authors ORDER BY name, id`, nil, func(row Row) error {
		au, err := scanAuthor(row)
		out = append(out, au)
		return err
	})
}

// UpdateAuthor replaces an author's name, bio and profile; see
// store.ArticleStore.
func (s *Store) UpdateAuthor(ctx context.Context, au *article.Author) (err error) {
	defer s.wrap(&err, "UpdateAuthor(%d)", au.ID)
	p := au.Profile
	if p == nil {
		p = &article.Profile{}
	}
	links := p.Links
	if links == nil {
		links = []article.Link{}
	}
	b, err := json.Marshal(links)
	if err != nil {
		return err
	}
	err = oneRow(s.db.Writer().Exec(ctx, `
		UPDATE authors SET name = $1, bio = $2, photo_media_id = $3, role_title = $4, links = $5
		WHERE id = $6`, au.Name, au.Bio, NullID(p.PhotoMediaID), p.RoleTitle, string(b), au.ID))
	if _, kind := s.db.Constraint(err); kind == ForeignKeyViolation {
		return fmt.Errorf("%w: image %d, for the author's photo, is not in the library", store.ErrNotFound, p.PhotoMediaID)
	}
	return err
}

// Revisions lists an article's revisions, oldest first, without their
// bodies; see store.ArticleStore.
func (s *Store) Revisions(ctx context.Context, articleID int64) (_ []article.Revision, err error) {
	defer s.wrap(&err, "Revisions(%d)", articleID)
	var rs []article.Revision
	return rs, each(ctx, s.db.Reader(), `
		SELECT number, title, slug, description, status, published_at, tags, requested_links, saved_at, note, focus_keyphrase, seo_title,
			COALESCE(featured_media_id, 0), COALESCE(section_id, 0), updates
		FROM revisions
		WHERE article_id = $1
		ORDER BY number`, []any{articleID}, func(row Row) error {
		r := article.Revision{ArticleID: articleID}
		rs = append(rs, r)
		return scanRevision(row, &rs[len(rs)-1])
	})
}

// Revision returns one whole revision; see store.ArticleStore. The
// error wraps store.ErrNotFound when the article has no such revision.
func (s *Store) Revision(ctx context.Context, articleID int64, n int) (_ *article.Revision, err error) {
	defer s.wrap(&err, "Revision(%d, %d)", articleID, n)
	r := &article.Revision{ArticleID: articleID}
	row := s.db.Reader().QueryRow(ctx, `
		SELECT number, title, slug, description, status, published_at, tags, requested_links, saved_at, note, focus_keyphrase, seo_title,
			COALESCE(featured_media_id, 0), COALESCE(section_id, 0), updates, body
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
	var tags, links, updates []byte
	dest := append([]any{&r.Number, &r.Title, &r.Slug, &r.Description, &r.Status, Time(&r.PublishedAt), &tags, &links, Time(&r.SavedAt), &r.Note, &r.FocusKeyphrase, &r.SEOTitle,
		&r.FeaturedMediaID, &r.SectionID, &updates}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if err := unmarshalUpdates(updates, &r.Updates); err != nil {
		return fmt.Errorf("revision %d: %w", r.Number, err)
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

// fromArticles is the FROM clause of articles with their authors.
const fromArticles = `
	FROM articles a` + articleJoins

// articleJoins are the tables an article's list columns and filters read
// besides articles a.
const articleJoins = `
	LEFT JOIN authors au ON au.id = a.author_id
	LEFT JOIN sections se ON se.id = a.section_id`

const articleColumns = `
	a.id, a.slug, a.title, a.description, a.status, a.published_at, a.created_at,
	a.updated_at, a.word_count, a.reading_minutes, COALESCE(a.source, ''), a.source_hash,
	a.version, a.view_count, a.comment_count, a.comments_closed, a.focus_keyphrase, a.seo_title, COALESCE(a.owner_id, 0),
	COALESCE(a.featured_media_id, 0), a.kind, a.updates,
	au.id, au.slug, au.name, au.bio,
	se.id, se.slug, se.name`

func scanArticle(row Row, a *article.Article, extra ...any) error {
	var authorID *int64
	var authorSlug, authorName, authorBio *string
	var sectionID *int64
	var sectionSlug, sectionName *string
	var updates []byte
	dest := append([]any{&a.ID, &a.Slug, &a.Title, &a.Description, &a.Status, Time(&a.PublishedAt),
		Time(&a.CreatedAt), Time(&a.UpdatedAt), &a.WordCount, &a.ReadingMinutes, &a.Source, &a.SourceHash,
		&a.Version, &a.Views, &a.CommentCount, &a.CommentsClosed, &a.FocusKeyphrase, &a.SEOTitle, &a.OwnerID,
		&a.FeaturedMediaID, &a.Kind, &updates,
		&authorID, &authorSlug, &authorName, &authorBio,
		&sectionID, &sectionSlug, &sectionName}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	if authorID != nil {
		a.Author = &article.Author{ID: *authorID, Slug: *authorSlug, Name: *authorName, Bio: *authorBio}
	}
	if sectionID != nil {
		a.Section = &article.Section{ID: *sectionID, Slug: *sectionSlug, Name: *sectionName}
	}
	return unmarshalUpdates(updates, &a.Updates)
}

// unmarshalUpdates reads a JSON list of update notes; an empty list is
// nil.
func unmarshalUpdates(b []byte, dst *[]article.Update) error {
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("update notes: %w", err)
	}
	if len(*dst) == 0 {
		*dst = nil
	}
	return nil
}

// marshalUpdates writes update notes as a JSON list.
func marshalUpdates(us []article.Update) string {
	if len(us) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(us) // times and strings always marshal
	return string(b)
}

// ArticleWhere loads through q one whole article, with its body, tags and
// requested links; cond is the WHERE clause. No article wraps
// store.ErrNotFound.
func (s *Store) ArticleWhere(ctx context.Context, q Conn, cond string, args ...any) (*article.Article, error) {
	a := &article.Article{}
	row := q.QueryRow(ctx, `
		SELECT `+articleColumns+`, a.body`+fromArticles+`
		WHERE `+cond, args...)
	if err := scanArticle(row, a, &a.Body); err != nil {
		if noRows(err) {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	if err := s.loadTagsAndLinks(ctx, q, []*article.Article{a}, true); err != nil {
		return nil, err
	}
	return a, nil
}

// loadTagsAndLinks fills in the tags (and the requested links, when
// links is set) of the given articles, with one query each.
func (s *Store) loadTagsAndLinks(ctx context.Context, q Conn, as []*article.Article, links bool) error {
	if len(as) == 0 {
		return nil
	}
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	x, err := s.extras(ctx, q, ids, links)
	if err != nil {
		return err
	}
	x.fill(as)
	return nil
}

// articleExtras are what an article's row does not hold: its tags, and
// its requested links and photos when read.
type articleExtras struct {
	tags      map[int64][]article.Tag
	requested map[int64][]string
	images    map[int64][]int64
}

func (x articleExtras) fill(as []*article.Article) {
	for _, a := range as {
		a.Tags, a.RequestedLinks, a.MediaIDs = x.tags[a.ID], x.requested[a.ID], x.images[a.ID]
	}
}

// extras reads the tags (and the requested links and photos, when links
// is set) of the articles with the given IDs, of every article for nil.
func (s *Store) extras(ctx context.Context, q Conn, ids []int64, links bool) (articleExtras, error) {
	x := articleExtras{requested: map[int64][]string{}, images: map[int64][]int64{}}
	var err error
	if x.tags, err = s.tags(ctx, q, ids); err != nil {
		return x, err
	}
	if !links {
		return x, nil
	}
	if x.requested, err = s.requestedLinks(ctx, q, ids); err != nil {
		return x, err
	}
	query, args := s.ofArticles(`SELECT article_id, media_id FROM article_media`, "article_id", ids)
	return x, each(ctx, q, query+` ORDER BY article_id, media_id`, args, func(row Row) error {
		var article, image int64
		err := row.Scan(&article, &image)
		x.images[article] = append(x.images[article], image)
		return err
	})
}

// tags returns the tags of the articles with the given IDs (of every
// article for nil), in their order. The articles' rows name their tags
// by ID, and the tags they name are read once: a join spelt out each
// tag's slug and name again for every article that carries it, 40% of
// the time of listing every article.
func (s *Store) tags(ctx context.Context, q Conn, ids []int64) (map[int64][]article.Tag, error) {
	type carried struct{ article, tag int64 }
	var rows []carried
	named := map[int64]article.Tag{}
	query, args := s.ofArticles(`SELECT article_id, tag_id FROM article_tags`, "article_id", ids)
	err := each(ctx, q, query+` ORDER BY article_id, position`, args, func(row Row) error {
		var c carried
		err := row.Scan(&c.article, &c.tag)
		rows = append(rows, c)
		named[c.tag] = article.Tag{}
		return err
	})
	if err != nil || len(rows) == 0 {
		return map[int64][]article.Tag{}, err
	}
	tagIDs := make([]int64, 0, len(named))
	for id := range named {
		tagIDs = append(tagIDs, id)
	}
	err = each(ctx, q, `SELECT id, slug, name FROM tags WHERE `+s.db.In("id", "$1"), []any{s.db.Int64s(tagIDs)}, func(row Row) error {
		var t article.Tag
		err := row.Scan(&t.ID, &t.Slug, &t.Name)
		named[t.ID] = t
		return err
	})
	if err != nil {
		return nil, err
	}
	tags := map[int64][]article.Tag{}
	for _, c := range rows {
		if t := named[c.tag]; t.ID != 0 {
			tags[c.article] = append(tags[c.article], t)
		}
	}
	return tags, nil
}

// requestedLinks returns the requested links of the articles with the
// given IDs (of every article for nil), in their order.
func (s *Store) requestedLinks(ctx context.Context, q Conn, ids []int64) (map[int64][]string, error) {
	query, args := s.ofArticles(`SELECT article_id, title FROM article_requested_links`, "article_id", ids)
	links := map[int64][]string{}
	return links, each(ctx, q, query+` ORDER BY article_id, position`, args, func(row Row) error {
		var id int64
		var title string
		err := row.Scan(&id, &title)
		links[id] = append(links[id], title)
		return err
	})
}

// ofArticles keeps query to the rows whose column col is one of ids,
// unless ids is nil.
func (s *Store) ofArticles(query, col string, ids []int64) (string, []any) {
	if ids == nil {
		return query, nil
	}
	return query + ` WHERE ` + s.db.In(col, "$1"), []any{s.db.Int64s(ids)}
}

// articleFilter turns a query into conditions and the order that suits
// them.
func (s *Store) articleFilter(q store.ArticleQuery) (f *filter, order string) {
	return s.articleFilterBy(q, false)
}

// articleFilterBy is articleFilter; with probe, an article's tag, topic
// or story is asked of each article in turn (EXISTS), for a query that
// walks the articles by date, instead of listing the tag's articles
// first.
func (s *Store) articleFilterBy(q store.ArticleQuery, probe bool) (f *filter, order string) {
	f = &filter{}
	member := func(id, members string) string {
		if probe {
			return `EXISTS (` + members + ` AND ` + id + ` = a.id)`
		}
		return `a.id IN (` + members + `)`
	}
	order = `COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
	if q.Status != "" {
		f.conditions = append(f.conditions, `a.status = `+f.arg(q.Status))
	}
	if !q.PublicAt.IsZero() {
		f.conditions = append(f.conditions, `a.status IN ('published', 'scheduled')`, `a.published_at <= `+f.arg(s.db.Time(q.PublicAt)))
		order = `a.published_at DESC, a.id DESC`
	}
	if q.TagSlug != "" {
		f.conditions = append(f.conditions, member(`at.article_id`, `SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.slug = `+f.arg(q.TagSlug)))
	}
	if q.EntityID != 0 {
		f.conditions = append(f.conditions, member(`ae.article_id`, `SELECT ae.article_id FROM article_entities ae WHERE ae.entity_id = `+f.arg(q.EntityID)))
	}
	if q.StoryID != 0 {
		f.conditions = append(f.conditions, member(`st.article_id`, `SELECT st.article_id FROM article_stories st WHERE st.story_id = `+f.arg(q.StoryID)))
	}
	if q.AuthorSlug != "" {
		f.conditions = append(f.conditions, `au.slug = `+f.arg(q.AuthorSlug))
	}
	switch q.Kind {
	case "":
	case store.AnyPage:
		f.conditions = append(f.conditions, `a.kind <> 'article'`)
	default:
		f.conditions = append(f.conditions, `a.kind = `+f.arg(q.Kind))
	}
	if q.SectionSlug != "" {
		f.conditions = append(f.conditions, `se.slug = `+f.arg(q.SectionSlug))
	}
	if q.OwnerID != 0 {
		f.conditions = append(f.conditions, `a.owner_id = `+f.arg(q.OwnerID))
	}
	// A list is one argument, so that the statement is the same (and
	// prepared once) for any number of values.
	if len(q.Slugs) > 0 {
		f.conditions = append(f.conditions, s.db.In("a.slug", f.arg(s.db.Strings(q.Slugs))))
	}
	if len(q.Sources) > 0 {
		f.conditions = append(f.conditions, s.db.In("a.source", f.arg(s.db.Strings(q.Sources))))
	}
	if len(q.IDs) > 0 {
		f.conditions = append(f.conditions, s.db.In("a.id", f.arg(s.db.Int64s(q.IDs))))
	}
	return f, order
}

// escapeLike makes s match itself in a LIKE pattern escaped with a
// backslash: a title search for "100%" finds that, not every title with
// "100" in it.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// listFrom is the FROM clause of a list of articles: a tag's, and those
// asked for by ID, are found by ID.
func (s *Store) listFrom(q store.ArticleQuery) string {
	if q.TagSlug != "" || q.EntityID != 0 || q.StoryID != 0 || len(q.IDs) > 0 {
		return `
	FROM ` + s.db.ArticlesByID() + articleJoins
	}
	return fromArticles
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
	// Not a story's: a story is a handful of articles, which the newest
	// of the site seldom hold.
	if s.db.NewestFirst() && q.Limit > 0 && !q.PublicAt.IsZero() && (q.TagSlug != "" || q.EntityID != 0) {
		as, err := s.newestOf(ctx, q, columns)
		if as != nil || err != nil {
			return as, err
		}
	}
	from := s.listFrom(q)
	var query string
	if q.Limit > 0 {
		// The page's articles are chosen first, from the filter and order
		// alone (on SQLite an index holds all they read), and only they
		// are read whole: every row skipped by the offset was read
		// otherwise, and a SQLite row's later columns lie past its body.
		query = `SELECT ` + columns + ` FROM articles a JOIN (SELECT a.id` + from + f.where() + ` ORDER BY ` + order + f.page(q.Limit, q.Offset) + `) page ON page.id = a.id` +
			articleJoins + ` ORDER BY ` + order
	} else {
		query = `SELECT ` + columns + from + f.where() + ` ORDER BY ` + order
	}
	return s.listArticles(ctx, q.Whole, everyArticle(q), query, f.args...)
}

// everyArticle reports whether q lists every article, or every public
// one, or every public story: most of the articles there are.
func everyArticle(q store.ArticleQuery) bool {
	return q.Status == "" && (q.Kind == "" || q.Kind == article.Story) &&
		q.TagSlug == "" && q.AuthorSlug == "" && q.SectionSlug == "" && q.EntityID == 0 && q.StoryID == 0 &&
		q.OwnerID == 0 && len(q.Slugs) == 0 && len(q.Sources) == 0 && len(q.IDs) == 0 && q.Limit <= 0 && q.Offset == 0
}

// newestOf returns a page of a tag's or topic's public articles
// when the newest public articles of the site hold it, or nil when they
// do not. A page of a common tag, or of the feed of a topic that half
// the articles name, is among the newest few hundred: walking them by
// date finds it at once, where listing every article of the tag first
// read and sorted thousands (20 ms each of the 19 topic feeds a note on
// the generated 10,000-article site renews, on SQLite). A rare tag's
// page is mostly not there, and is read as before, after some hundred
// articles asked in vain.
func (s *Store) newestOf(ctx context.Context, q store.ArticleQuery, columns string) ([]*article.Article, error) {
	f, order := s.articleFilterBy(q, true)
	// Wide enough for a page of a tag one article in ten carries.
	newest := max(200, 10*(q.Offset+q.Limit))
	// The publication time of the newest-th public article: those
	// published since hold the page if it holds enough of the tag's.
	f.conditions = append(f.conditions, `a.published_at >= (SELECT w.published_at FROM articles w
		WHERE w.status IN ('published', 'scheduled') AND w.published_at <= `+f.arg(s.db.Time(q.PublicAt))+`
		ORDER BY w.published_at DESC LIMIT 1 OFFSET `+f.arg(newest)+`)`)
	query := `SELECT ` + columns + ` FROM articles a JOIN (SELECT a.id` + fromArticles + f.where() + ` ORDER BY ` + order + f.page(q.Limit, q.Offset) + `) page ON page.id = a.id` +
		articleJoins + ` ORDER BY ` + order
	as, err := s.listArticles(ctx, q.Whole, false, query, f.args...)
	if err != nil || len(as) < q.Limit {
		return nil, err
	}
	return as, nil
}

// listArticles runs a query selecting articleColumns (and the body, when
// whole) and loads the tags (and the requested links, when whole) of what
// it finds.
func (s *Store) listArticles(ctx context.Context, whole, every bool, query string, args ...any) ([]*article.Article, error) {
	// For (almost) every article, the tags of every article are read in
	// one query beside the articles' own: read after them, a few hundred
	// articles at a time, they were a third of listing a site's articles
	// for a static export.
	var x articleExtras
	var xErr error
	read := make(chan struct{})
	if every {
		go func() {
			defer close(read)
			x, xErr = s.extras(ctx, s.db.Reader(), nil, whole)
		}()
	} else {
		close(read)
	}
	var as []*article.Article
	err := each(ctx, s.db.Reader(), query, args, func(row Row) error {
		a := &article.Article{}
		as = append(as, a)
		if whole {
			return scanArticle(row, a, &a.Body)
		}
		return scanArticle(row, a)
	})
	<-read
	if err != nil {
		return nil, err
	}
	if every {
		if xErr != nil {
			return nil, xErr
		}
		x.fill(as)
		return as, nil
	}
	// Some hundreds at a time: SQLite bounds a JSON argument's depth, not
	// its length, but one query need not read everything at once.
	for start := 0; start < len(as); start += 500 {
		if err := s.loadTagsAndLinks(ctx, s.db.Reader(), as[start:min(start+500, len(as))], whole); err != nil {
			return nil, err
		}
	}
	return as, nil
}

// EachArticle walks whole articles; see store.ArticleStore.
func (s *Store) EachArticle(ctx context.Context, q store.ArticleQuery, fn func(*article.Article) error) (err error) {
	defer s.wrap(&err, "EachArticle(%+v)", q)
	tags, err := s.tags(ctx, s.db.Reader(), nil)
	if err != nil {
		return err
	}
	requested, err := s.requestedLinks(ctx, s.db.Reader(), nil)
	if err != nil {
		return err
	}
	f, order := s.articleFilter(q)
	query := `SELECT ` + articleColumns + `, a.body` + fromArticles + f.where() + ` ORDER BY ` + order + f.page(q.Limit, q.Offset)
	return each(ctx, s.db.Reader(), query, f.args, func(row Row) error {
		a := &article.Article{}
		if err := scanArticle(row, a, &a.Body); err != nil {
			return err
		}
		a.Tags, a.RequestedLinks = tags[a.ID], requested[a.ID]
		return fn(a)
	})
}

// ArticleVersions lists the IDs and versions of articles; see
// store.ArticleStore.
func (s *Store) ArticleVersions(ctx context.Context, q store.ArticleQuery) (_ []store.ArticleVersion, err error) {
	defer s.wrap(&err, "ArticleVersions(%+v)", q)
	query, args := s.ArticleVersionsSQL(q)
	var vs []store.ArticleVersion
	return vs, each(ctx, s.db.Reader(), query, args, func(row Row) error {
		var v store.ArticleVersion
		err := row.Scan(&v.ID, &v.Version)
		vs = append(vs, v)
		return err
	})
}

// ArticleVersionsSQL is the query ArticleVersions runs, with its
// arguments: SQLite's tests hold its plan to an index alone. The
// join is there for the author filter; both databases leave it out of a
// query without one.
func (s *Store) ArticleVersionsSQL(q store.ArticleQuery) (query string, args []any) {
	f, order := s.articleFilter(q)
	return `SELECT a.id, a.version` + s.listFrom(q) + f.where() + ` ORDER BY ` + order + f.page(q.Limit, q.Offset), f.args
}

// CountArticles counts the articles matching q; see store.ArticleStore.
func (s *Store) CountArticles(ctx context.Context, q store.ArticleQuery) (n int, err error) {
	defer s.wrap(&err, "CountArticles(%+v)", q)
	f, _ := s.articleFilter(q)
	err = s.db.Reader().QueryRow(ctx, `SELECT COUNT(*)`+s.listFrom(q)+f.where(), f.args...).Scan(&n)
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
	return s.listArticles(ctx, false, false, `
		SELECT `+articleColumns+fromArticles+`
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
