package sqlstore

import (
	"context"
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
func (s *Store) AddRedirect(ctx context.Context, from, to string) (_ store.Redirect, err error) {
	defer s.wrap(&err, "AddRedirect(%q, %q)", from, to)
	if from, err = store.CleanRedirectPath(from); err != nil {
		return store.Redirect{}, err
	}
	if to, err = store.CleanRedirectTarget(to); err != nil {
		return store.Redirect{}, err
	}
	var r store.Redirect
	err = s.db.Transact(ctx, func(tx Conn) error {
		if err := checkNoArticleAt(ctx, tx, from); err != nil {
			return err
		}
		r, err = s.addRedirect(ctx, tx, from, to, s.nowUTC())
		return err
	})
	return r, err
}

// AddRedirects stores many redirects in one transaction; see
// store.RedirectStore.
func (s *Store) AddRedirects(ctx context.Context, rs []store.Redirect) (_ []error, err error) {
	defer s.wrap(&err, "AddRedirects(%d)", len(rs))
	errs := make([]error, len(rs))
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error {
		for i, r := range rs {
			from, err := store.CleanRedirectPath(r.From)
			if err != nil {
				errs[i] = err
				continue
			}
			to, err := store.CleanRedirectTarget(r.To)
			if err != nil {
				errs[i] = err
				continue
			}
			// The checks below fail before anything is written, so a
			// refused redirect leaves the transaction usable.
			if err := checkNoArticleAt(ctx, tx, from); err != nil {
				if !errors.Is(err, store.ErrConflict) {
					return err
				}
				errs[i] = err
				continue
			}
			if _, err := s.addRedirect(ctx, tx, from, to, now); err != nil {
				if !errors.Is(err, store.ErrConflict) {
					return err
				}
				errs[i] = err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return errs, nil
}

// checkNoArticleAt refuses a redirect from the address of an article: the
// article would be served there, and the redirect never used.
func checkNoArticleAt(ctx context.Context, tx Conn, from string) error {
	slug := strings.TrimSuffix(strings.TrimPrefix(from, "/"), "/")
	if article.ValidateSlug(slug) != nil || urls.Article(slug) != from {
		return nil
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM articles WHERE slug = $1`, slug).Scan(&id)
	if noRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: article %q lives at %s, so a redirect from there would never be used; rename or delete the article instead",
		store.ErrConflict, slug, from)
}

// lockRedirects makes the writers of redirects take turns until tx ends,
// so that two added at once cannot make a chain (a→b next to b→c) that
// neither saw. Readers are not held up.
func (s *Store) lockRedirects(ctx context.Context, tx Conn) error {
	if lock := s.db.LockTable("redirects"); lock != "" {
		_, err := tx.Exec(ctx, lock)
		return err
	}
	return nil
}

// addRedirect stores a redirect from one cleaned path to a cleaned target
// in transaction tx, keeping every redirect one hop: a target that is
// itself redirected is replaced by where it leads, and redirects that led
// to from are pointed at the new target. A redirect that would lead back
// to from wraps store.ErrConflict.
func (s *Store) addRedirect(ctx context.Context, tx Conn, from, to string, now time.Time) (store.Redirect, error) {
	if err := s.lockRedirects(ctx, tx); err != nil {
		return store.Redirect{}, err
	}
	final := to
	if !store.IsExternalRedirect(to) {
		var next string
		err := tx.QueryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = $1`, to).Scan(&next)
		switch {
		case err == nil:
			final = next
		case !noRows(err):
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
	if _, err := tx.Exec(ctx, `UPDATE redirects SET to_path = $1 WHERE to_path = $2`, final, from); err != nil {
		return store.Redirect{}, err
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO redirects (from_path, to_path, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (from_path) DO UPDATE SET
			to_path = excluded.to_path,
			created_at = excluded.created_at`, from, final, s.db.Time(now))
	if err != nil {
		return store.Redirect{}, err
	}
	return store.Redirect{From: from, To: final, CreatedAt: now}, nil
}

// RedirectRenamed keeps the old address of a public article that took a
// new slug answering, in transaction tx: it redirects to the new address,
// which itself redirects nowhere any more since the article lives there.
func (s *Store) RedirectRenamed(ctx context.Context, tx Conn, oldSlug, newSlug string, now time.Time) error {
	if err := s.lockRedirects(ctx, tx); err != nil {
		return err
	}
	to := urls.Article(newSlug)
	if _, err := tx.Exec(ctx, `DELETE FROM redirects WHERE from_path = $1`, to); err != nil {
		return err
	}
	if _, err := s.addRedirect(ctx, tx, urls.Article(oldSlug), to, now); err != nil {
		return fmt.Errorf("redirect the old address: %w", err)
	}
	return nil
}

// Redirect returns where a path redirects to; see store.RedirectStore.
func (s *Store) Redirect(ctx context.Context, path string) (_ string, err error) {
	defer s.wrap(&err, "Redirect(%q)", path)
	from, err := store.CleanRedirectPath(path)
	if err != nil {
		return "", fmt.Errorf("%w: %v", store.ErrNotFound, err)
	}
	var to string
	err = s.db.Reader().QueryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = $1`, from).Scan(&to)
	if noRows(err) {
		return "", store.ErrNotFound
	}
	return to, err
}

// Redirects lists every redirect; see store.RedirectStore.
func (s *Store) Redirects(ctx context.Context) (_ []store.Redirect, err error) {
	defer s.wrap(&err, "Redirects")
	return list(ctx, s.db.Reader(), `
		SELECT from_path, to_path, created_at
		FROM redirects
		ORDER BY `+s.db.Bytewise("from_path"), nil, func(row Row, r *store.Redirect) error {
		return row.Scan(&r.From, &r.To, Time(&r.CreatedAt))
	})
}

// DeleteRedirect deletes a redirect; see store.RedirectStore.
func (s *Store) DeleteRedirect(ctx context.Context, from string) (err error) {
	defer s.wrap(&err, "DeleteRedirect(%q)", from)
	clean, err := store.CleanRedirectPath(from)
	if err != nil {
		return fmt.Errorf("%w: %v", store.ErrNotFound, err)
	}
	return oneRow(s.db.Writer().Exec(ctx, `DELETE FROM redirects WHERE from_path = $1`, clean))
}
