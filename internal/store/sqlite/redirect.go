package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// AddRedirect stores a redirect, collapsing chains; see
// store.RedirectStore.
func (db *DB) AddRedirect(ctx context.Context, from, to string) (_ store.Redirect, err error) {
	defer wrap(&err, "AddRedirect(%q, %q)", from, to)
	if from, err = store.CleanRedirectPath(from); err != nil {
		return store.Redirect{}, err
	}
	if to, err = store.CleanRedirectTarget(to); err != nil {
		return store.Redirect{}, err
	}
	var r store.Redirect
	err = db.transact(ctx, func(tx conn) error {
		if err := checkNoArticleAt(ctx, tx, from); err != nil {
			return err
		}
		r, err = addRedirect(ctx, tx, from, to, db.now().UTC())
		return err
	})
	return r, err
}

// checkNoArticleAt refuses a redirect from the address of an article: the
// article would be served there, and the redirect never used.
func checkNoArticleAt(ctx context.Context, tx conn, from string) error {
	slug := strings.TrimSuffix(strings.TrimPrefix(from, "/"), "/")
	if article.ValidateSlug(slug) != nil || urls.Article(slug) != from {
		return nil
	}
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM articles WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: article %q lives at %s, so a redirect from there would never be used; rename or delete the article instead",
		store.ErrConflict, slug, from)
}

// addRedirect stores a redirect from one cleaned path to a cleaned target
// in transaction tx, keeping every redirect one hop: a target that is
// itself redirected is replaced by where it leads, and redirects that led
// to from are pointed at the new target. A redirect that would lead back
// to from wraps store.ErrConflict.
func addRedirect(ctx context.Context, tx conn, from, to string, now time.Time) (store.Redirect, error) {
	final := to
	if !store.IsExternalRedirect(to) {
		var next string
		err := tx.queryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = ?`, to).Scan(&next)
		switch {
		case err == nil:
			final = next
		case !errors.Is(err, sql.ErrNoRows):
			return store.Redirect{}, err
		}
	}
	if final == from {
		if to == from {
			return store.Redirect{}, fmt.Errorf("%w: a redirect from %s to itself would loop", store.ErrConflict, from)
		}
		return store.Redirect{}, fmt.Errorf("%w: %s already redirects to %s, so a redirect from %s to %s would loop",
			store.ErrConflict, to, final, from, to)
	}
	if _, err := tx.exec(ctx, `UPDATE redirects SET to_path = ? WHERE to_path = ?`, final, from); err != nil {
		return store.Redirect{}, err
	}
	_, err := tx.exec(ctx, `
		INSERT INTO redirects (from_path, to_path, created_at) VALUES (?, ?, ?)
		ON CONFLICT (from_path) DO UPDATE SET
			to_path = excluded.to_path,
			created_at = excluded.created_at`, from, final, formatTime(now))
	if err != nil {
		return store.Redirect{}, err
	}
	return store.Redirect{From: from, To: final, CreatedAt: now}, nil
}

// redirectRenamed keeps the old address of a public article that took a
// new slug answering, in transaction tx: it redirects to the new address,
// which itself redirects nowhere any more since the article lives there.
func redirectRenamed(ctx context.Context, tx conn, oldSlug, newSlug string, now time.Time) error {
	to := urls.Article(newSlug)
	if _, err := tx.exec(ctx, `DELETE FROM redirects WHERE from_path = ?`, to); err != nil {
		return err
	}
	if _, err := addRedirect(ctx, tx, urls.Article(oldSlug), to, now); err != nil {
		return fmt.Errorf("redirect the old address: %w", err)
	}
	return nil
}

// Redirect returns where a path redirects to; see store.RedirectStore.
func (db *DB) Redirect(ctx context.Context, path string) (_ string, err error) {
	defer wrap(&err, "Redirect(%q)", path)
	from, err := store.CleanRedirectPath(path)
	if err != nil {
		return "", fmt.Errorf("%w: %v", store.ErrNotFound, err)
	}
	var to string
	err = db.readConn().queryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = ?`, from).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.ErrNotFound
	}
	return to, err
}

// Redirects lists every redirect; see store.RedirectStore.
func (db *DB) Redirects(ctx context.Context) (_ []store.Redirect, err error) {
	defer wrap(&err, "Redirects")
	rows, err := db.readConn().query(ctx, `
		SELECT from_path, to_path, created_at
		FROM redirects
		ORDER BY from_path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []store.Redirect
	for rows.Next() {
		var r store.Redirect
		var created string
		if err := rows.Scan(&r.From, &r.To, &created); err != nil {
			return nil, err
		}
		if r.CreatedAt, err = time.Parse(timeLayout, created); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

// DeleteRedirect deletes a redirect; see store.RedirectStore.
func (db *DB) DeleteRedirect(ctx context.Context, from string) (err error) {
	defer wrap(&err, "DeleteRedirect(%q)", from)
	clean, err := store.CleanRedirectPath(from)
	if err != nil {
		return fmt.Errorf("%w: %v", store.ErrNotFound, err)
	}
	return db.transact(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `DELETE FROM redirects WHERE from_path = ?`, clean)
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
