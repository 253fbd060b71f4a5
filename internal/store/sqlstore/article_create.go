package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// Statement is one statement of a pipeline (Conn.Pipeline) with what to
// do with its answer: Row, when set, scans the one row it returns, Rows
// each of the rows it returns, and Done runs once it succeeded.
type Statement struct {
	SQL  string
	Args []any
	Row  func(Row) error
	Rows func(Row) error
	Done func()
}

// A batch keeps each article's writes in a savepoint of their own.
const (
	savepointSQL           = `SAVEPOINT article`
	rollbackToSavepointSQL = `ROLLBACK TO SAVEPOINT article`
	releaseSavepointSQL    = `RELEASE SAVEPOINT article`
)

// CreateArticle stores a new article; see store.ArticleStore.
func (s *Store) CreateArticle(ctx context.Context, a *article.Article) (err error) {
	defer s.wrap(&err, "CreateArticle(%q)", a.Slug)
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error {
		stmts, stored := s.createStatements(a, now)
		if err := tx.Pipeline(ctx, stmts); err != nil {
			return err
		}
		stored()
		return nil
	})
	return s.Conflict(err, a)
}

// SaveArticles writes a batch of articles in one transaction, each in a
// savepoint of its own; see store.ArticleStore. Runs of new articles go
// in one pipeline (createAll); an update reads the stored article before
// it writes, so it goes alone.
func (s *Store) SaveArticles(ctx context.Context, ws []store.ArticleWrite) (_ []error, err error) {
	defer s.wrap(&err, "SaveArticles(%d articles)", len(ws))
	now := s.nowUTC()
	errs := make([]error, len(ws))
	restore := rememberBatch(ws)
	err = s.db.Transact(ctx, func(tx Conn) error {
		for i := 0; i < len(ws); {
			if w := ws[i]; w.Article.ID != 0 {
				if _, err := tx.Exec(ctx, savepointSQL); err != nil {
					return err
				}
				if errs[i] = s.updateArticle(ctx, tx, w.Article, w.Note, now); errs[i] != nil {
					errs[i] = s.Conflict(errs[i], w.Article)
					if _, err := tx.Exec(ctx, rollbackToSavepointSQL); err != nil {
						return err
					}
				}
				if _, err := tx.Exec(ctx, releaseSavepointSQL); err != nil {
					return err
				}
				i++
				continue
			}
			n := 1
			for i+n < len(ws) && ws[i+n].Article.ID == 0 {
				n++
			}
			if err := s.createAll(ctx, tx, ws[i:i+n], errs[i:i+n], now); err != nil {
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

// rememberBatch returns a function that puts back what a batch's writes
// set on its articles (ID and Version), for a batch that was not
// committed, so that none looks stored.
func rememberBatch(ws []store.ArticleWrite) (restore func()) {
	type state struct {
		id      int64
		version int
	}
	before := make([]state, len(ws))
	for i, w := range ws {
		before[i] = state{w.Article.ID, w.Article.Version}
	}
	return func() {
		for i, w := range ws {
			w.Article.ID, w.Article.Version = before[i].id, before[i].version
		}
	}
}

// createAll stores new articles in one pipeline, each between a savepoint
// and its release, and sets errs for those that fail. A pipeline stops at
// a failed statement (PostgreSQL skips the rest of its batch), so then the
// failed article's savepoint is rolled back and the articles after it are
// sent again. The error is for a transaction that cannot go on.
func (s *Store) createAll(ctx context.Context, tx Conn, ws []store.ArticleWrite, errs []error, now time.Time) error {
	for start := 0; start < len(ws); {
		var batch []Statement
		done := start
		for _, w := range ws[start:] {
			stmts, stored := s.createStatements(w.Article, now)
			batch = append(batch, Statement{SQL: savepointSQL})
			batch = append(batch, stmts...)
			batch = append(batch, Statement{SQL: releaseSavepointSQL, Done: func() {
				stored()
				done++
			}})
		}
		err := tx.Pipeline(ctx, batch)
		if err == nil {
			return nil
		}
		if done == len(ws) {
			return err
		}
		for _, q := range []string{rollbackToSavepointSQL, releaseSavepointSQL} {
			if _, spErr := tx.Exec(ctx, q); spErr != nil {
				// Not the article's failure: the connection or the
				// transaction is gone.
				return err
			}
		}
		errs[done] = s.Conflict(err, ws[done].Article)
		start = done + 1
	}
	return nil
}

// insertArticleSQL stores a new article. Neither it nor the statements
// after it wait for an earlier one's answer (they find the article and its
// author by slug), so that a batch of articles can go to the server in one
// round trip.
func (s *Store) insertArticleSQL() string {
	return `
	INSERT INTO articles (id, slug, title, description, body, status, published_at,
		created_at, updated_at, author_id, word_count, reading_minutes, source, source_hash, title_key, focus_keyphrase, owner_id,
		featured_media_id, section_id, kind, comments_closed, updates, seo_title, search_tags)
	VALUES (` + s.db.NewID("articles") + `, $1, $2, $3, $4, $5, $6, $7, $8,
		(SELECT id FROM authors WHERE slug = $9), $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
	RETURNING id`
}

// createStatements are the statements that store a new article with its
// author, tags and requested links. A taken slug or source and a missing
// owner come back as constraint violations, which Conflict words. stored
// sets what the store gave a, once all of them succeeded.
func (s *Store) createStatements(a *article.Article, now time.Time) (_ []Statement, stored func()) {
	var stmts []Statement
	var authorSlug *string
	if au := a.Author; au != nil {
		authorSlug = &au.Slug
		stmts = append(stmts, s.upsertAuthor(au))
	}
	updated := now
	if !a.UpdatedAt.IsZero() {
		updated = a.UpdatedAt.UTC().Truncate(time.Microsecond)
	}
	var id int64
	stmts = append(stmts, Statement{
		SQL: s.insertArticleSQL(),
		Args: []any{a.Slug, a.Title, a.Description, a.Body, a.Status, s.db.NullTime(a.PublishedAt),
			s.db.Time(now), s.db.Time(updated), authorSlug, a.WordCount, a.ReadingMinutes,
			NullString(a.Source), a.SourceHash, article.TitleKey(a.Title), a.FocusKeyphrase, NullID(a.OwnerID),
			NullID(a.FeaturedMediaID), NullID(a.SectionID()), kindOf(a), a.CommentsClosed, marshalUpdates(a.Updates), a.SEOTitle,
			searchTags(a)},
		Row: func(r Row) error { return r.Scan(&id) },
	})
	stmts = append(stmts, s.tagsAndLinks(a)...)
	if len(a.Tags) > 0 {
		stmts = append(stmts, Statement{SQL: searchTagsSQL, Args: []any{a.Slug}})
	}
	return stmts, func() { a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, 1, now, updated }
}

// searchTags is what the article's search_tags column will hold once its
// tags are stored (the view article_tag_names): their names in order. An
// article is stored with it so that its search entry is written once;
// searchTagsSQL corrects it where a tag kept an earlier spelling.
func searchTags(a *article.Article) string {
	names := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		names[i] = t.Name
	}
	return strings.Join(names, " ")
}

// searchTagsSQL writes the search_tags of the article with slug $1 after
// its tags changed, when they differ from what it holds: a write, and so
// a new search entry, only then.
const searchTagsSQL = `
	UPDATE articles SET search_tags = (SELECT names FROM article_tag_names WHERE article_id = articles.id)
	WHERE slug = $1 AND search_tags <> (SELECT names FROM article_tag_names WHERE article_id = articles.id)`

// kindOf is the kind stored for a: a story unless it says otherwise.
func kindOf(a *article.Article) article.Kind {
	if a.Kind == "" {
		return article.Story
	}
	return a.Kind
}

// upsertAuthor stores an author by slug and reads back its ID. An empty
// bio never wipes one written earlier.
func (s *Store) upsertAuthor(au *article.Author) Statement {
	return Statement{
		SQL: `
		INSERT INTO authors (id, slug, name, bio) VALUES (` + s.db.NewID("authors") + `, $1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET
			name = excluded.name,
			bio = CASE WHEN excluded.bio <> '' THEN excluded.bio ELSE authors.bio END
		RETURNING id`,
		Args: []any{au.Slug, au.Name, au.Bio},
		Row:  func(r Row) error { return r.Scan(&au.ID) },
	}
}

// tagsAndLinks are the statements that store the tags, requested links
// and images of a new or cleared article, and read back its tags' IDs and
// names. They find the article by its slug.
func (s *Store) tagsAndLinks(a *article.Article) []Statement {
	var stmts []Statement
	if len(a.Tags) > 0 {
		slugs, names := make([]string, len(a.Tags)), make([]string, len(a.Tags))
		for i, t := range a.Tags {
			slugs[i], names[i] = t.Slug, t.Name
		}
		upsert := Statement{
			SQL: s.upsertTagsSQL(), Args: []any{s.db.Strings(slugs), s.db.Strings(names), a.Slug},
			Rows: func(r Row) error {
				var t article.Tag
				if err := r.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
					return err
				}
				for i := range a.Tags {
					if a.Tags[i].Slug == t.Slug {
						a.Tags[i] = t
					}
				}
				return nil
			},
		}
		if s.db.WritingWith() {
			// One statement instead of two: a pipeline's cost is its
			// statements, and an import runs these for every article.
			upsert.SQL = `WITH t AS (` + upsert.SQL + `), tagged AS (` + s.tagArticleSQL("t") + `) SELECT id, slug, name FROM t`
			stmts = append(stmts, upsert)
		} else {
			stmts = append(stmts, upsert, Statement{SQL: s.tagArticleSQL("tags"), Args: []any{s.db.Strings(slugs), nil, a.Slug}})
		}
	}
	if len(a.RequestedLinks) > 0 {
		stmts = append(stmts, Statement{SQL: s.requestLinksSQL(), Args: []any{a.Slug, s.db.Strings(a.RequestedLinks)}})
	}
	if len(a.MediaIDs) > 0 {
		stmts = append(stmts, Statement{SQL: `
			INSERT INTO article_media (article_id, media_id)
			SELECT (SELECT id FROM articles WHERE slug = $1), m.id
			FROM media m
			WHERE ` + s.db.In("m.id", "$2"), Args: []any{a.Slug, s.db.Int64s(a.MediaIDs)}})
	}
	return stmts
}

// upsertTagsSQL stores tags by slug ($1) and name ($2), keeping the first
// spelling of a name, and returns them.
func (s *Store) upsertTagsSQL() string {
	idColumn, newID := s.db.NewIDs("tags", "k.position")
	return `
	INSERT INTO tags (` + idColumn + `slug, name)
	SELECT ` + newID + `k.value, n.value
	FROM ` + s.db.Each("$1", "k") + ` JOIN ` + s.db.Each("$2", "n") + ` ON n.position = k.position
	WHERE true
	ON CONFLICT (slug) DO UPDATE SET name = tags.name
	RETURNING id, slug, name`
}

// tagArticleSQL tags the article with slug $3 with the tags of slugs $1,
// in their order, found in table (tags, or the upsert's answer). Each tag
// is looked up by its own subquery, through the slug's index: a join let
// PostgreSQL's planner scan the growing table.
func (s *Store) tagArticleSQL(table string) string {
	return `
	INSERT INTO article_tags (article_id, tag_id, position)
	SELECT (SELECT id FROM articles WHERE slug = $3), (SELECT id FROM ` + table + ` WHERE slug = k.value), k.position - 1
	FROM ` + s.db.Each("$1", "k")
}

// requestLinksSQL stores the requested links ($2) of the article with
// slug $1, in their order.
func (s *Store) requestLinksSQL() string {
	return `
	INSERT INTO article_requested_links (article_id, position, title)
	SELECT (SELECT id FROM articles WHERE slug = $1), k.position - 1, k.value
	FROM ` + s.db.Each("$2", "k")
}

// HotWrites lists the statements an import runs for every article, for a
// backend that prepares them ahead.
func (s *Store) HotWrites() []string {
	return []string{s.insertArticleSQL(), s.upsertAuthor(&article.Author{}).SQL, s.upsertTagsSQL(),
		s.tagArticleSQL("tags"), s.requestLinksSQL(), searchTagsSQL, savepointSQL, rollbackToSavepointSQL, releaseSavepointSQL,
		s.insertEntitySQL(), insertAliasSQL, updateLinkSQL, deleteLinkSQL, setStorySQL}
}

// RunEach runs a pipeline's statements one after the other on c; see
// Conn.Pipeline.
func RunEach(ctx context.Context, c Conn, stmts []Statement) error {
	for _, st := range stmts {
		var err error
		switch {
		case st.Row != nil:
			err = st.Row(c.QueryRow(ctx, st.SQL, st.Args...))
		case st.Rows != nil:
			err = each(ctx, c, st.SQL, st.Args, st.Rows)
		default:
			_, err = c.Exec(ctx, st.SQL, st.Args...)
		}
		if err != nil {
			return err
		}
		if st.Done != nil {
			st.Done()
		}
	}
	return nil
}
