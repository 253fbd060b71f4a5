package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/jackc/pgx/v5"
)

// bodyHash identifies a comment's text for duplicate detection: the same
// words, whatever the spacing and case.
func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(body), " "))))
	return hex.EncodeToString(sum[:16])
}

// lockArticle takes article id's row lock until the transaction ends. Every
// change to comments takes the lock of their article first, so changes to
// one article's comments queue there: each sees what the one before it
// committed, its duplicate check included, and its recount is exact.
// A missing article wraps store.ErrNotFound.
func lockArticle(ctx context.Context, tx pgx.Tx, id int64) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR UPDATE`, id).Scan(&one)
	if errNoRows(err) {
		return fmt.Errorf("%w: article %d does not exist", store.ErrNotFound, id)
	}
	return err
}

// lockCommentArticles locks the articles of the comments ids (see
// lockArticle), in ID order as every change to several articles' comments
// takes them, so that two such changes queue instead of deadlocking. It
// returns their IDs. Comments never move between articles; a missing one
// is left for the caller to find.
func lockCommentArticles(ctx context.Context, tx pgx.Tx, ids []int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT id FROM articles
		WHERE id IN (SELECT article_id FROM comments WHERE id = ANY($1))
		ORDER BY id
		FOR UPDATE`, ids)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// recount sets the comment count of the given articles from their approved
// comments. The caller holds their locks (see lockArticle).
func recount(ctx context.Context, tx pgx.Tx, articleIDs ...int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE articles SET comment_count = (
			SELECT COUNT(*) FROM comments WHERE article_id = articles.id AND state = 'approved')
		WHERE id = ANY($1)`, articleIDs)
	return err
}

// CreateComment stores a new comment; see store.CommentStore.
func (db *DB) CreateComment(ctx context.Context, c *comment.Comment, nonce string, expires time.Time) (err error) {
	defer wrap(&err, "CreateComment(article %d)", c.ArticleID)
	now := dbTime(db.now())
	return db.transact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM comment_nonces WHERE expires_at < $1`, now); err != nil {
			return err
		}
		// A racing insert of the same nonce waits for this transaction,
		// then inserts nothing.
		tag, err := tx.Exec(ctx, `
			INSERT INTO comment_nonces (nonce, expires_at) VALUES ($1, $2)
			ON CONFLICT (nonce) DO NOTHING`, nonce, dbTime(expires))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return comment.ErrTokenUsed
		}
		if err := lockArticle(ctx, tx, c.ArticleID); err != nil {
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
		hash := bodyHash(c.Body)
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
			INSERT INTO comments (article_id, parent_id, author, email, url, body, body_hash, state, created_at, commenter_key, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`,
			c.ArticleID, nullID(c.ParentID), c.Author, c.Email, c.URL, c.Body, hash, c.State, now, c.CommenterKey, c.Reason,
		).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.CreatedAt = now
		if c.State == comment.Approved {
			return recount(ctx, tx, c.ArticleID)
		}
		return nil
	})
}

// nullID stores the ID 0 as NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

const commentColumns = `
	c.id, c.article_id, COALESCE(c.parent_id, 0), c.author, c.email, c.url, c.body, c.state,
	c.created_at, c.commenter_key, c.reason, a.slug, a.title`

func scanComment(row pgx.Row) (*comment.Comment, error) {
	c := &comment.Comment{}
	if err := row.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Author, &c.Email, &c.URL, &c.Body, &c.State,
		&c.CreatedAt, &c.CommenterKey, &c.Reason, &c.ArticleSlug, &c.ArticleTitle); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, nil
}

// Comment returns one comment; see store.CommentStore.
func (db *DB) Comment(ctx context.Context, id int64) (_ *comment.Comment, err error) {
	defer wrap(&err, "Comment(%d)", id)
	c, err := scanComment(db.pool.QueryRow(ctx, `
		SELECT `+commentColumns+`
		FROM comments c
		JOIN articles a ON a.id = c.article_id
		WHERE c.id = $1`, id))
	if errNoRows(err) {
		return nil, store.ErrNotFound
	}
	return c, err
}

// Comments lists comments; see store.CommentStore.
func (db *DB) Comments(ctx context.Context, q store.CommentQuery) (_ []*comment.Comment, err error) {
	defer wrap(&err, "Comments(%+v)", q)
	f, order := commentFilter(q)
	query := `
		SELECT ` + commentColumns + `
		FROM comments c
		JOIN articles a ON a.id = c.article_id` + f.where() + `
		ORDER BY ` + order
	// As in the sqlite store, Offset counts only with a Limit.
	if q.Limit > 0 {
		query += `
		LIMIT ` + f.arg(q.Limit) + ` OFFSET ` + f.arg(q.Offset)
	}
	rows, err := db.pool.Query(ctx, query, f.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []*comment.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// trainingLabel is what the classifier learns from a comment in state s:
// "ham", "spam", or nothing.
func trainingLabel(s comment.State) string {
	switch s {
	case comment.Approved:
		return "ham"
	case comment.Spam:
		return "spam"
	}
	return ""
}

// ModerateComments applies a batch of decisions in one transaction; see
// store.CommentStore.
func (db *DB) ModerateComments(ctx context.Context, ds []store.CommentDecision) (err error) {
	defer wrap(&err, "ModerateComments(%d decisions)", len(ds))
	return db.moderate(ctx, ds)
}

// ModerateComment changes a comment's state, as a batch of one; see
// store.CommentStore.
func (db *DB) ModerateComment(ctx context.Context, id int64, state comment.State, tokens []string) (err error) {
	defer wrap(&err, "ModerateComment(%d, %s)", id, state)
	return db.moderate(ctx, []store.CommentDecision{{ID: id, State: state, Tokens: tokens}})
}

// DeleteComment deletes a comment, as a batch of one; see
// store.CommentStore.
func (db *DB) DeleteComment(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "DeleteComment(%d)", id)
	return db.moderate(ctx, []store.CommentDecision{{ID: id, Delete: true}})
}

// moderate applies decisions in one transaction, holding the locks of
// their comments' articles, then recounts those articles.
//
// Each decision that teaches the classifier takes the lock of the
// document count (the empty token) before any token's, so two batches
// that train cannot hold token locks the other waits for: the second
// waits for the first at its first training decision, holding only the
// locks of its own, other articles.
func (db *DB) moderate(ctx context.Context, ds []store.CommentDecision) error {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return db.transact(ctx, func(tx pgx.Tx) error {
		articles, err := lockCommentArticles(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if err := decide(ctx, tx, d); err != nil {
				return err
			}
		}
		return recount(ctx, tx, articles...)
	})
}

// decide applies one decision in transaction tx, which holds the lock of
// the comment's article; the caller recounts it. A missing comment wraps
// store.ErrNotFound.
func decide(ctx context.Context, tx pgx.Tx, d store.CommentDecision) error {
	var trained string
	err := tx.QueryRow(ctx, `SELECT trained_as FROM comments WHERE id = $1 FOR UPDATE`, d.ID).Scan(&trained)
	if errNoRows(err) {
		return fmt.Errorf("comment %d: %w", d.ID, store.ErrNotFound)
	} else if err != nil {
		return err
	}
	if d.Delete {
		return deleteComment(ctx, tx, d.ID)
	}
	label := trainingLabel(d.State)
	if label == "" {
		label = trained // pending and trash teach nothing, and unlearn nothing
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET state = $1, trained_as = $2 WHERE id = $3`, d.State, label, d.ID); err != nil {
		return err
	}
	if label == trained {
		return nil
	}
	return moveSpamCounts(ctx, tx, d.Tokens, trained, label)
}

// moveSpamCounts moves the counts of tokens, and the document count kept
// under the empty token, from label from to label to ("ham", "spam" or ""
// for none). Counts never drop below zero.
func moveSpamCounts(ctx context.Context, tx pgx.Tx, tokens []string, from, to string) error {
	delta := func(label string) int64 {
		var d int64
		if to == label {
			d++
		}
		if from == label {
			d--
		}
		return d
	}
	// One statement for all tokens; each takes its row locks in token
	// order, so concurrent moderations cannot deadlock on them. A token
	// given twice counts twice.
	_, err := tx.Exec(ctx, `
		WITH d AS (
			SELECT token, COUNT(*) * $2::bigint AS ham, COUNT(*) * $3::bigint AS spam
			FROM unnest($1::text[]) AS t (token)
			GROUP BY token
		)
		INSERT INTO spam_tokens (token, ham, spam)
		SELECT token, GREATEST(ham, 0), GREATEST(spam, 0)
		FROM d
		ORDER BY token
		ON CONFLICT (token) DO UPDATE SET
			ham = GREATEST(spam_tokens.ham + (SELECT d.ham FROM d WHERE d.token = excluded.token), 0),
			spam = GREATEST(spam_tokens.spam + (SELECT d.spam FROM d WHERE d.token = excluded.token), 0)`,
		append([]string{""}, tokens...), delta("ham"), delta("spam"))
	return err
}

// SpamModel returns the classifier's counts; see store.CommentStore.
func (db *DB) SpamModel(ctx context.Context, tokens []string) (_ comment.Model, err error) {
	defer wrap(&err, "SpamModel")
	m := comment.Model{Tokens: map[string]comment.TokenCounts{}}
	rows, err := db.pool.Query(ctx, `SELECT token, ham, spam FROM spam_tokens WHERE token = ANY($1)`, append([]string{""}, tokens...))
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var c comment.TokenCounts
		if err := rows.Scan(&t, &c.Ham, &c.Spam); err != nil {
			return m, err
		}
		if t == "" {
			m.HamDocs, m.SpamDocs = c.Ham, c.Spam
		} else {
			m.Tokens[t] = c
		}
	}
	return m, rows.Err()
}

// deleteComment deletes comment id and moves its replies up to its parent,
// as it is when deleted (an earlier deletion may have moved it).
func deleteComment(ctx context.Context, tx pgx.Tx, id int64) error {
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
func (db *DB) PurgeCommenter(ctx context.Context, email string, remove bool) (n int, err error) {
	defer wrap(&err, "PurgeCommenter")
	email = strings.ToLower(strings.TrimSpace(email))
	err = db.transact(ctx, func(tx pgx.Tx) error {
		// Lock the articles first, in ID order as concurrent purges do
		// too; a comment made meanwhile on another article is left alone.
		rows, err := tx.Query(ctx, `
			SELECT id FROM articles
			WHERE id IN (SELECT article_id FROM comments WHERE email = $1)
			ORDER BY id
			FOR UPDATE`, email)
		if err != nil {
			return err
		}
		articles, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `
			SELECT id FROM comments
			WHERE email = $1 AND article_id = ANY($2)
			ORDER BY id
			FOR UPDATE`, email, articles)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
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
				WHERE id = ANY($1)`, ids)
			if err != nil {
				return err
			}
		}
		return recount(ctx, tx, articles...)
	})
	return n, err
}

// HasApprovedComment reports whether a commenter is known; see
// store.CommentStore.
func (db *DB) HasApprovedComment(ctx context.Context, author, email string) (ok bool, err error) {
	defer wrap(&err, "HasApprovedComment")
	err = db.pool.QueryRow(ctx, hasApprovedCommentSQL, strings.ToLower(email), author).Scan(&ok)
	return ok, err
}

// hasApprovedCommentSQL is one lookup in comments_approved_commenter
// (migration 0008), however many comments the address has.
const hasApprovedCommentSQL = `
	SELECT EXISTS (
		SELECT 1 FROM comments
		WHERE email = $1 AND author = $2 AND state = 'approved')`

// SetCommentsClosed opens or closes comments on an article; see
// store.CommentStore.
func (db *DB) SetCommentsClosed(ctx context.Context, slug string, closed bool) (err error) {
	defer wrap(&err, "SetCommentsClosed(%q)", slug)
	tag, err := db.pool.Exec(ctx, `UPDATE articles SET comments_closed = $1 WHERE slug = $2`, closed, slug)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
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
	return f, order
}

func (db *DB) CountComments(ctx context.Context, q store.CommentQuery) (n int, err error) {
	defer wrap(&err, "CountComments(%+v)", q)
	f, _ := commentFilter(q)
	err = db.pool.QueryRow(ctx, `SELECT count(*) FROM comments c`+f.where(), f.args...).Scan(&n)
	return n, err
}
