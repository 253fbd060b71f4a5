package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
)

// bodyHash identifies a comment's text for duplicate detection: the same
// words, whatever the spacing and case.
func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(body), " "))))
	return hex.EncodeToString(sum[:16])
}

const recountSQL = `
	UPDATE articles SET comment_count = (
		SELECT COUNT(*) FROM comments WHERE article_id = articles.id AND state = 'approved')
	WHERE id = ?`

// CreateComment stores a new comment; see store.CommentStore.
func (db *DB) CreateComment(ctx context.Context, c *comment.Comment, nonce string, expires time.Time) (err error) {
	defer wrap(&err, "CreateComment(article %d)", c.ArticleID)
	now := db.now().UTC()
	return db.transact(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM comment_nonces WHERE expires_at < ?`, formatTime(now)); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `INSERT INTO comment_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING`, nonce, formatTime(expires))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return comment.ErrTokenUsed
		}
		if c.ParentID != 0 {
			var ok bool
			err := tx.queryRow(ctx, `
				SELECT 1 FROM comments
				WHERE id = ? AND article_id = ? AND state IN ('approved', 'pending')`, c.ParentID, c.ArticleID).Scan(&ok)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: the comment you reply to does not exist on this article", store.ErrNotFound)
			} else if err != nil {
				return err
			}
		}
		hash := bodyHash(c.Body)
		var dup bool
		err = tx.queryRow(ctx, `
			SELECT 1 FROM comments
			WHERE article_id = ? AND body_hash = ? AND email = ? AND state <> 'trash'`, c.ArticleID, hash, c.Email).Scan(&dup)
		if err == nil {
			return comment.ErrDuplicate
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = tx.queryRow(ctx, `
			INSERT INTO comments (id, article_id, parent_id, author, email, url, body, body_hash, state, created_at, commenter_key, reason)
			VALUES ((SELECT id + 1 FROM comment_id_high), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			c.ArticleID, nullID(c.ParentID), c.Author, c.Email, c.URL, c.Body, hash, c.State, formatTime(now), c.CommenterKey, c.Reason,
		).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.CreatedAt = now
		if c.State == comment.Approved {
			if _, err := tx.exec(ctx, recountSQL, c.ArticleID); err != nil {
				return err
			}
		}
		return nil
	})
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

const commentColumns = `
	c.id, c.article_id, COALESCE(c.parent_id, 0), c.author, c.email, c.url, c.body, c.state,
	c.created_at, c.commenter_key, c.reason, a.slug, a.title`

func scanComment(row scanner) (*comment.Comment, error) {
	c := &comment.Comment{}
	var created string
	if err := row.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Author, &c.Email, &c.URL, &c.Body, &c.State,
		&created, &c.CommenterKey, &c.Reason, &c.ArticleSlug, &c.ArticleTitle); err != nil {
		return nil, err
	}
	var err error
	c.CreatedAt, err = time.Parse(timeLayout, created)
	return c, err
}

// Comment returns one comment; see store.CommentStore.
func (db *DB) Comment(ctx context.Context, id int64) (_ *comment.Comment, err error) {
	defer wrap(&err, "Comment(%d)", id)
	c, err := scanComment(db.readConn().queryRow(ctx, `
		SELECT `+commentColumns+`
		FROM comments c
		JOIN articles a ON a.id = c.article_id
		WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	return c, err
}

// Comments lists comments; see store.CommentStore.
func (db *DB) Comments(ctx context.Context, q store.CommentQuery) (_ []*comment.Comment, err error) {
	defer wrap(&err, "Comments(%+v)", q)
	conditions, args, order := commentFilter(q)
	query := `SELECT ` + commentColumns + ` FROM comments c JOIN articles a ON a.id = c.article_id`
	if len(conditions) > 0 {
		query += ` WHERE ` + strings.Join(conditions, ` AND `)
	}
	query += ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, q.Offset)
	}
	rows, err := db.readConn().query(ctx, query, args...)
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

// moderate applies decisions in one transaction, then recounts each
// article whose comments they changed.
func (db *DB) moderate(ctx context.Context, ds []store.CommentDecision) error {
	return db.transact(ctx, func(tx conn) error {
		var articles []int64
		seen := map[int64]bool{}
		for _, d := range ds {
			articleID, err := decide(ctx, tx, d)
			if err != nil {
				return err
			}
			if !seen[articleID] {
				seen[articleID] = true
				articles = append(articles, articleID)
			}
		}
		for _, id := range articles {
			if _, err := tx.exec(ctx, recountSQL, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// decide applies one decision in transaction tx and returns the article
// of its comment, whose count the caller recounts. A missing comment
// wraps store.ErrNotFound.
func decide(ctx context.Context, tx conn, d store.CommentDecision) (articleID int64, err error) {
	var trained string
	err = tx.queryRow(ctx, `SELECT article_id, trained_as FROM comments WHERE id = ?`, d.ID).Scan(&articleID, &trained)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("comment %d: %w", d.ID, store.ErrNotFound)
	} else if err != nil {
		return 0, err
	}
	if d.Delete {
		return articleID, deleteComment(ctx, tx, d.ID)
	}
	label := trainingLabel(d.State)
	if label == "" {
		label = trained // pending and trash teach nothing, and unlearn nothing
	}
	if _, err := tx.exec(ctx, `UPDATE comments SET state = ?, trained_as = ? WHERE id = ?`, d.State, label, d.ID); err != nil {
		return 0, err
	}
	if label == trained {
		return articleID, nil
	}
	for _, t := range append([]string{""}, d.Tokens...) {
		if err := addSpamCount(ctx, tx, t, trained, -1); err != nil {
			return 0, err
		}
		if err := addSpamCount(ctx, tx, t, label, 1); err != nil {
			return 0, err
		}
	}
	return articleID, nil
}

// deleteComment deletes comment id and moves its replies up to its parent,
// as it is when deleted (an earlier deletion in the same transaction may
// have moved it). The caller recounts its article.
func deleteComment(ctx context.Context, tx conn, id int64) error {
	if _, err := tx.exec(ctx, `
		UPDATE comments SET parent_id = (SELECT parent_id FROM comments WHERE id = ?)
		WHERE parent_id = ?`, id, id); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM comments WHERE id = ?`, id)
	return err
}

func addSpamCount(ctx context.Context, tx conn, token, label string, delta int) error {
	var ham, spam int
	switch label {
	case "ham":
		ham = delta
	case "spam":
		spam = delta
	default:
		return nil
	}
	_, err := tx.exec(ctx, `
		INSERT INTO spam_tokens (token, ham, spam) VALUES (?, MAX(?, 0), MAX(?, 0))
		ON CONFLICT (token) DO UPDATE SET
			ham = MAX(spam_tokens.ham + ?, 0),
			spam = MAX(spam_tokens.spam + ?, 0)`, token, ham, spam, ham, spam)
	return err
}

// SpamModel returns the classifier's counts; see store.CommentStore.
func (db *DB) SpamModel(ctx context.Context, tokens []string) (_ comment.Model, err error) {
	defer wrap(&err, "SpamModel")
	m := comment.Model{Tokens: map[string]comment.TokenCounts{}}
	keys := append([]any{""}, stringsToAny(tokens)...)
	rows, err := db.readConn().query(ctx, `SELECT token, ham, spam FROM spam_tokens WHERE token IN (`+placeholders(len(keys))+`)`, keys...)
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

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// PurgeCommenter deletes or anonymises one commenter's comments; see
// store.CommentStore.
func (db *DB) PurgeCommenter(ctx context.Context, email string, remove bool) (n int, err error) {
	defer wrap(&err, "PurgeCommenter")
	email = strings.ToLower(strings.TrimSpace(email))
	err = db.transact(ctx, func(tx conn) error {
		rows, err := tx.query(ctx, `SELECT id, article_id FROM comments WHERE email = ? ORDER BY id`, email)
		if err != nil {
			return err
		}
		type row struct{ id, article int64 }
		var found []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.article); err != nil {
				rows.Close()
				return err
			}
			found = append(found, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		n = len(found)
		articles := map[int64]bool{}
		for _, r := range found {
			articles[r.article] = true
			if remove {
				if err := deleteComment(ctx, tx, r.id); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.exec(ctx, `
				UPDATE comments SET author = 'Anonymous', email = '', url = '', commenter_key = ''
				WHERE id = ?`, r.id); err != nil {
				return err
			}
		}
		for id := range articles {
			if _, err := tx.exec(ctx, recountSQL, id); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// HasApprovedComment reports whether a commenter is known; see
// store.CommentStore.
func (db *DB) HasApprovedComment(ctx context.Context, author, email string) (_ bool, err error) {
	defer wrap(&err, "HasApprovedComment")
	var ok bool
	err = db.readConn().queryRow(ctx, hasApprovedCommentSQL, strings.ToLower(email), author).Scan(&ok)
	return ok, err
}

// hasApprovedCommentSQL is one lookup in comments_approved_commenter
// (migration 0008), however many comments the address has.
const hasApprovedCommentSQL = `
	SELECT EXISTS (
		SELECT 1 FROM comments
		WHERE email = ? AND author = ? AND state = 'approved')`

// SetCommentsClosed opens or closes comments on an article; see
// store.CommentStore.
func (db *DB) SetCommentsClosed(ctx context.Context, slug string, closed bool) (err error) {
	defer wrap(&err, "SetCommentsClosed(%q)", slug)
	return db.transact(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE articles SET comments_closed = ? WHERE slug = ?`, closed, slug)
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

// commentFilter is the WHERE conditions, their arguments and the order of
// the comments q lists.
func commentFilter(q store.CommentQuery) (conditions []string, args []any, order string) {
	order = `c.created_at DESC, c.id DESC`
	if q.ArticleID != 0 {
		conditions = append(conditions, `c.article_id = ?`)
		args = append(args, q.ArticleID)
		order = `c.created_at, c.id`
	}
	if q.VisibleTo != "" {
		conditions = append(conditions, `(c.state = 'approved' OR (c.state = 'pending' AND c.commenter_key = ?))`)
		args = append(args, q.VisibleTo)
	}
	if q.State != "" {
		conditions = append(conditions, `c.state = ?`)
		args = append(args, q.State)
	}
	if q.Email != "" {
		conditions = append(conditions, `c.email = ?`)
		args = append(args, strings.ToLower(q.Email))
	}
	return conditions, args, order
}

func (db *DB) CountComments(ctx context.Context, q store.CommentQuery) (n int, err error) {
	defer wrap(&err, "CountComments(%+v)", q)
	conditions, args, _ := commentFilter(q)
	query := `SELECT count(*) FROM comments c`
	if len(conditions) > 0 {
		query += ` WHERE ` + strings.Join(conditions, ` AND `)
	}
	err = db.readConn().queryRow(ctx, query, args...).Scan(&n)
	return n, err
}
