package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
)

// lockArticle takes article id's row lock until the transaction ends. Every
// change to comments takes the lock of their article first, so changes to
// one article's comments queue there: each sees what the one before it
// committed, its duplicate check included, and its recount is exact.
// A missing article wraps store.ErrNotFound.
func (s *Store) lockArticle(ctx context.Context, tx Conn, id int64) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM articles WHERE id = $1`+s.db.ForUpdate(), id).Scan(&one)
	if noRows(err) {
		return fmt.Errorf("%w: article %d does not exist", store.ErrNotFound, id)
	}
	return err
}

// lockCommentArticles locks the articles of the comments ids (see
// lockArticle), in ID order as every change to several articles' comments
// takes them, so that two such changes queue instead of deadlocking. It
// returns their IDs. Comments never move between articles; a missing one
// is left for the caller to find.
func (s *Store) lockCommentArticles(ctx context.Context, tx Conn, ids []int64) ([]int64, error) {
	return list(ctx, tx, `
		SELECT id FROM articles
		WHERE id IN (SELECT article_id FROM comments WHERE `+s.db.In("id", "$1")+`)
		ORDER BY id`+s.db.ForUpdate(), []any{s.db.Int64s(ids)}, scanID)
}

func scanID(row Row, id *int64) error { return row.Scan(id) }

// recount sets the comment count of the given articles from their approved
// comments. The caller holds their locks (see lockArticle).
func (s *Store) recount(ctx context.Context, tx Conn, articleIDs ...int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE articles SET comment_count = (
			SELECT COUNT(*) FROM comments WHERE article_id = articles.id AND state = 'approved')
		WHERE `+s.db.In("id", "$1"), s.db.Int64s(articleIDs))
	return err
}

// CreateComment stores a new comment; see store.CommentStore.
func (s *Store) CreateComment(ctx context.Context, c *comment.Comment, nonce string, expires time.Time) (err error) {
	defer s.wrap(&err, "CreateComment(article %d)", c.ArticleID)
	now := s.nowUTC()
	return s.db.Transact(ctx, func(tx Conn) error {
		if _, err := tx.Exec(ctx, `DELETE FROM comment_nonces WHERE expires_at < $1`, s.db.Time(now)); err != nil {
			return err
		}
		// A racing insert of the same nonce waits for this transaction,
		// then inserts nothing.
		n, err := tx.Exec(ctx, `
			INSERT INTO comment_nonces (nonce, expires_at) VALUES ($1, $2)
			ON CONFLICT (nonce) DO NOTHING`, nonce, s.db.Time(expires))
		if err != nil {
			return err
		}
		if n == 0 {
			return comment.ErrTokenUsed
		}
		if err := s.lockArticle(ctx, tx, c.ArticleID); err != nil {
			return err
		}
		if c.ParentID != 0 {
			var parent bool
			err := tx.QueryRow(ctx, `
				SELECT EXISTS (
					SELECT 1 FROM comments
					WHERE id = $1 AND article_id = $2 AND state IN ('approved', 'pending'))`,
				c.ParentID, c.ArticleID).Scan(&parent)
			if err != nil {
				return err
			}
			if !parent {
				return fmt.Errorf("%w: the comment you reply to does not exist on this article", store.ErrNotFound)
			}
		}
		hash := comment.BodyHash(c.Body)
		var dup bool
		err = tx.QueryRow(ctx, `
			SELECT EXISTS (
				SELECT 1 FROM comments
				WHERE article_id = $1 AND body_hash = $2 AND email = $3 AND state <> 'trash')`,
			c.ArticleID, hash, c.Email).Scan(&dup)
		if err != nil {
			return err
		}
		if dup {
			return comment.ErrDuplicate
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO comments (id, article_id, parent_id, author, email, url, body, body_hash, state, created_at, commenter_key, reason)
			VALUES (`+s.db.NewID("comments")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`,
			c.ArticleID, NullID(c.ParentID), c.Author, c.Email, c.URL, c.Body, hash, c.State, s.db.Time(now), c.CommenterKey, c.Reason,
		).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.CreatedAt = now
		if c.State == comment.Approved {
			return s.recount(ctx, tx, c.ArticleID)
		}
		return nil
	})
}

// NullID stores the ID 0 as NULL.
func NullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

const commentColumns = `
	c.id, c.article_id, COALESCE(c.parent_id, 0), c.author, c.email, c.url, c.body, c.state,
	c.created_at, c.commenter_key, c.reason, a.slug, a.title`

func scanComment(row Row) (*comment.Comment, error) {
	c := &comment.Comment{}
	if err := row.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Author, &c.Email, &c.URL, &c.Body, &c.State,
		Time(&c.CreatedAt), &c.CommenterKey, &c.Reason, &c.ArticleSlug, &c.ArticleTitle); err != nil {
		return nil, err
	}
	return c, nil
}

// Comment returns one comment; see store.CommentStore.
func (s *Store) Comment(ctx context.Context, id int64) (_ *comment.Comment, err error) {
	defer s.wrap(&err, "Comment(%d)", id)
	c, err := scanComment(s.db.Reader().QueryRow(ctx, `
		SELECT `+commentColumns+`
		FROM comments c
		JOIN articles a ON a.id = c.article_id
		WHERE c.id = $1`, id))
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return c, err
}

// Comments lists comments; see store.CommentStore.
func (s *Store) Comments(ctx context.Context, q store.CommentQuery) (_ []*comment.Comment, err error) {
	defer s.wrap(&err, "Comments(%+v)", q)
	f, order := commentFilter(q)
	query := `
		SELECT ` + commentColumns + `
		FROM comments c
		JOIN articles a ON a.id = c.article_id` + f.where() + `
		ORDER BY ` + order
	query += f.page(q.Limit, q.Offset)
	return list(ctx, s.db.Reader(), query, f.args, func(row Row, c **comment.Comment) (err error) {
		*c, err = scanComment(row)
		return err
	})
}

// ModerateComments applies a batch of decisions in one transaction; see
// store.CommentStore.
func (s *Store) ModerateComments(ctx context.Context, ds []store.CommentDecision) (err error) {
	defer s.wrap(&err, "ModerateComments(%d decisions)", len(ds))
	return s.moderate(ctx, ds)
}

// ModerateComment changes a comment's state, as a batch of one; see
// store.CommentStore.
func (s *Store) ModerateComment(ctx context.Context, id int64, state comment.State, tokens []string) (err error) {
	defer s.wrap(&err, "ModerateComment(%d, %s)", id, state)
	return s.moderate(ctx, []store.CommentDecision{{ID: id, State: state, Tokens: tokens}})
}

// DeleteComment deletes a comment, as a batch of one; see
// store.CommentStore.
func (s *Store) DeleteComment(ctx context.Context, id int64) (err error) {
	defer s.wrap(&err, "DeleteComment(%d)", id)
	return s.moderate(ctx, []store.CommentDecision{{ID: id, Delete: true}})
}

// moderate applies decisions in one transaction, holding the locks of
// their comments' articles, then recounts those articles.
//
// Each decision that teaches the classifier takes the lock of the
// document count (the empty token) before any token's, so two batches
// that train cannot hold token locks the other waits for: the second
// waits for the first at its first training decision, holding only the
// locks of its own, other articles.
func (s *Store) moderate(ctx context.Context, ds []store.CommentDecision) error {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return s.db.Transact(ctx, func(tx Conn) error {
		articles, err := s.lockCommentArticles(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if err := s.decide(ctx, tx, d); err != nil {
				return err
			}
		}
		return s.recount(ctx, tx, articles...)
	})
}

// decide applies one decision in transaction tx, which holds the lock of
// the comment's article; the caller recounts it. A missing comment wraps
// store.ErrNotFound.
func (s *Store) decide(ctx context.Context, tx Conn, d store.CommentDecision) error {
	var trained string
	err := tx.QueryRow(ctx, `SELECT trained_as FROM comments WHERE id = $1`+s.db.ForUpdate(), d.ID).Scan(&trained)
	if noRows(err) {
		return fmt.Errorf("comment %d: %w", d.ID, store.ErrNotFound)
	} else if err != nil {
		return err
	}
	if d.Delete {
		return deleteComment(ctx, tx, d.ID)
	}
	label := comment.TrainingLabel(d.State)
	if label == "" {
		label = trained // pending and trash teach nothing, and unlearn nothing
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET state = $1, trained_as = $2 WHERE id = $3`, d.State, label, d.ID); err != nil {
		return err
	}
	if label == trained {
		return nil
	}
	return s.moveSpamCounts(ctx, tx, d.Tokens, trained, label)
}

// moveSpamCounts moves the counts of tokens, and the document count kept
// under the empty token, from label from to label to ("ham", "spam" or ""
// for none). Counts never drop below zero.
func (s *Store) moveSpamCounts(ctx context.Context, tx Conn, tokens []string, from, to string) error {
	ham, spam := comment.Relabel(from, to)
	// One statement for all tokens; each takes its row locks in token
	// order, so concurrent moderations cannot deadlock on them. A token
	// given twice counts twice.
	// WHERE true: SQLite needs it to read ON CONFLICT after a SELECT.
	g := s.db.Greatest
	_, err := tx.Exec(ctx, `
		WITH d AS (
			SELECT k.value AS token, COUNT(*) * CAST($2 AS BIGINT) AS ham, COUNT(*) * CAST($3 AS BIGINT) AS spam
			FROM `+s.db.Each("$1", "k")+`
			GROUP BY k.value
		)
		INSERT INTO spam_tokens (token, ham, spam)
		SELECT token, `+g("ham", "0")+`, `+g("spam", "0")+`
		FROM d
		WHERE true
		ORDER BY token
		ON CONFLICT (token) DO UPDATE SET
			ham = `+g("spam_tokens.ham + (SELECT d.ham FROM d WHERE d.token = excluded.token)", "0")+`,
			spam = `+g("spam_tokens.spam + (SELECT d.spam FROM d WHERE d.token = excluded.token)", "0"),
		s.db.Strings(append([]string{""}, tokens...)), ham, spam)
	return err
}

// SpamModel returns the classifier's counts; see store.CommentStore.
func (s *Store) SpamModel(ctx context.Context, tokens []string) (_ comment.Model, err error) {
	defer s.wrap(&err, "SpamModel")
	m := comment.Model{Tokens: map[string]comment.TokenCounts{}}
	return m, each(ctx, s.db.Reader(), `
		SELECT token, ham, spam FROM spam_tokens
		WHERE `+s.db.In("token", "$1"), []any{s.db.Strings(append([]string{""}, tokens...))}, func(row Row) error {
		var t string
		var c comment.TokenCounts
		if err := row.Scan(&t, &c.Ham, &c.Spam); err != nil {
			return err
		}
		if t == "" {
			m.HamDocs, m.SpamDocs = c.Ham, c.Spam
		} else {
			m.Tokens[t] = c
		}
		return nil
	})
}

// deleteComment deletes comment id and moves its replies up to its parent,
// as it is when deleted (an earlier deletion may have moved it).
func deleteComment(ctx context.Context, tx Conn, id int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE comments SET parent_id = (SELECT parent_id FROM comments WHERE id = $1)
		WHERE parent_id = $1`, id)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `DELETE FROM comments WHERE id = $1`, id)
	return err
}

// PurgeCommenter deletes or anonymises one commenter's comments; see
// store.CommentStore.
func (s *Store) PurgeCommenter(ctx context.Context, email string, remove bool) (n int, err error) {
	defer s.wrap(&err, "PurgeCommenter")
	email = strings.ToLower(strings.TrimSpace(email))
	err = s.db.Transact(ctx, func(tx Conn) error {
		// Lock the articles first, in ID order as concurrent purges do
		// too; a comment made meanwhile on another article is left alone.
		articles, err := list(ctx, tx, `
			SELECT id FROM articles
			WHERE id IN (SELECT article_id FROM comments WHERE email = $1)
			ORDER BY id`+s.db.ForUpdate(), []any{email}, scanID)
		if err != nil {
			return err
		}
		ids, err := list(ctx, tx, `
			SELECT id FROM comments
			WHERE email = $1 AND `+s.db.In("article_id", "$2")+`
			ORDER BY id`+s.db.ForUpdate(), []any{email, s.db.Int64s(articles)}, scanID)
		if err != nil {
			return err
		}
		n = len(ids)
		if remove {
			for _, id := range ids {
				if err := deleteComment(ctx, tx, id); err != nil {
					return err
				}
			}
		} else {
			_, err := tx.Exec(ctx, `
				UPDATE comments SET author = 'Anonymous', email = '', url = '', commenter_key = ''
				WHERE `+s.db.In("id", "$1"), s.db.Int64s(ids))
			if err != nil {
				return err
			}
		}
		return s.recount(ctx, tx, articles...)
	})
	return n, err
}

// HasApprovedComment reports whether a commenter is known; see
// store.CommentStore.
func (s *Store) HasApprovedComment(ctx context.Context, author, email string) (ok bool, err error) {
	defer s.wrap(&err, "HasApprovedComment")
	err = s.db.Reader().QueryRow(ctx, HasApprovedCommentSQL, strings.ToLower(email), author).Scan(&ok)
	return ok, err
}

// HasApprovedCommentSQL is one lookup in comments_approved_commenter
// (migration 0008), however many comments the address has.
const HasApprovedCommentSQL = `
	SELECT EXISTS (
		SELECT 1 FROM comments
		WHERE email = $1 AND author = $2 AND state = 'approved')`

// SetCommentsClosed opens or closes comments on an article; see
// store.CommentStore.
func (s *Store) SetCommentsClosed(ctx context.Context, slug string, closed bool) (err error) {
	defer s.wrap(&err, "SetCommentsClosed(%q)", slug)
	return oneRow(s.db.Writer().Exec(ctx, `UPDATE articles SET comments_closed = $1 WHERE slug = $2`, closed, slug))
}

// commentFilter is the filter and the order of the comments q lists.
func commentFilter(q store.CommentQuery) (f *filter, order string) {
	f = &filter{}
	order = `c.created_at DESC, c.id DESC`
	if q.ArticleID != 0 {
		f.conditions = append(f.conditions, `c.article_id = `+f.arg(q.ArticleID))
		order = `c.created_at, c.id`
	}
	if q.VisibleTo != "" {
		f.conditions = append(f.conditions, `(c.state = 'approved' OR (c.state = 'pending' AND c.commenter_key = `+f.arg(q.VisibleTo)+`))`)
	}
	if q.State != "" {
		f.conditions = append(f.conditions, `c.state = `+f.arg(q.State))
	}
	if q.Email != "" {
		f.conditions = append(f.conditions, `c.email = `+f.arg(strings.ToLower(q.Email)))
	}
	if text := strings.TrimSpace(q.Text); text != "" {
		p := f.arg("%" + escapeLike(strings.ToLower(text)) + "%")
		f.conditions = append(f.conditions, `(lower(c.body) LIKE `+p+` ESCAPE '\' OR lower(c.author) LIKE `+p+` ESCAPE '\' OR c.email LIKE `+p+` ESCAPE '\')`)
	}
	return f, order
}

// CountComments counts the comments q lists; see store.CommentStore.
func (s *Store) CountComments(ctx context.Context, q store.CommentQuery) (n int, err error) {
	defer s.wrap(&err, "CountComments(%+v)", q)
	f, _ := commentFilter(q)
	err = s.db.Reader().QueryRow(ctx, `SELECT count(*) FROM comments c`+f.where(), f.args...).Scan(&n)
	return n, err
}

// ImportComments stores comments from another platform; see
// store.CommentStore.
func (s *Store) ImportComments(ctx context.Context, sets []store.CommentSet) (created, updated int, err error) {
	defer s.wrap(&err, "ImportComments(%d articles)", len(sets))
	// Articles are locked in ID order, as every change to several
	// articles' comments takes them, so that two never deadlock.
	sets = slices.Clone(sets)
	slices.SortFunc(sets, func(a, b store.CommentSet) int { return cmp.Compare(a.ArticleID, b.ArticleID) })
	err = s.db.Transact(ctx, func(tx Conn) error {
		created, updated = 0, 0
		var ids []int64
		for _, set := range sets {
			c, u, err := s.importComments(ctx, tx, set)
			if err != nil {
				return err
			}
			created, updated = created+c, updated+u
			ids = append(ids, set.ArticleID)
		}
		if len(ids) == 0 {
			return nil
		}
		return s.recount(ctx, tx, ids...)
	})
	return created, updated, err
}

// importComments stores one article's imported comments in tx.
func (s *Store) importComments(ctx context.Context, tx Conn, set store.CommentSet) (created, updated int, err error) {
	if err := s.lockArticle(ctx, tx, set.ArticleID); err != nil {
		return 0, 0, err
	}
	stored := map[string]storedComment{}
	rows, err := list(ctx, tx, `
		SELECT id, source, author, email, url, body, state, created_at
		FROM comments
		WHERE article_id = $1 AND source <> ''`, []any{set.ArticleID}, scanStoredComment)
	if err != nil {
		return 0, 0, err
	}
	ids := map[string]int64{}
	for _, r := range rows {
		stored[r.source] = r
		ids[r.source] = r.id
	}
	for _, c := range set.Comments {
		hash := comment.BodyHash(c.Body)
		if old, ok := stored[c.Source]; ok {
			if old.same(c) {
				continue
			}
			if _, err := tx.Exec(ctx, `
				UPDATE comments
				SET author = $1, email = $2, url = $3, body = $4, body_hash = $5, state = $6, created_at = $7
				WHERE id = $8`,
				c.Author, c.Email, c.URL, c.Body, hash, c.State, s.db.Time(c.CreatedAt.UTC()), old.id); err != nil {
				return 0, 0, err
			}
			updated++
			continue
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO comments (id, article_id, author, email, url, body, body_hash, state, created_at, source)
			VALUES (`+s.db.NewID("comments")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9)
			RETURNING id`,
			set.ArticleID, c.Author, c.Email, c.URL, c.Body, hash, c.State, s.db.Time(c.CreatedAt.UTC()), c.Source,
		).Scan(&id)
		if err != nil {
			return 0, 0, err
		}
		ids[c.Source] = id
		created++
	}
	// Parents after every comment is in: a reply may come before the
	// comment it answers.
	for _, c := range set.Comments {
		if _, before := stored[c.Source]; !before && c.ParentSource == "" {
			continue // inserted without a parent
		}
		parent := ids[c.ParentSource]
		if c.ParentSource == "" || parent == ids[c.Source] {
			parent = 0
		}
		if _, err := tx.Exec(ctx, `
			UPDATE comments SET parent_id = $1
			WHERE id = $2 AND COALESCE(parent_id, 0) <> COALESCE($1, 0)`, NullID(parent), ids[c.Source]); err != nil {
			return 0, 0, err
		}
	}
	return created, updated, nil
}

// storedComment is an imported comment as stored, to tell whether a new
// import changes it.
type storedComment struct {
	id                         int64
	source, author, email, url string
	body                       string
	state                      comment.State
	createdAt                  time.Time
}

func scanStoredComment(row Row, c *storedComment) error {
	return row.Scan(&c.id, &c.source, &c.author, &c.email, &c.url, &c.body, &c.state, Time(&c.createdAt))
}

func (old storedComment) same(c store.ImportedComment) bool {
	return old.author == c.Author && old.email == c.Email && old.url == c.URL && old.body == c.Body &&
		old.state == c.State && old.createdAt.Equal(c.CreatedAt)
}
