package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// emailKey is the form emails are compared in: without case, folded by Go
// for every script (SQLite's own lower() folds only ASCII).
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// failureRetention is how long a failed sign-in is kept after the next
// one: far longer than any throttling window, and short enough that an
// attack cannot grow the table without bound.
const failureRetention = 24 * time.Hour

// emailFree refuses an email that another user than self (0 for a new
// user) has, in any case.
func emailFree(ctx context.Context, tx conn, email string, self int64) error {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM users WHERE email_key = ? AND id <> ?`, emailKey(email), self).Scan(&id)
	if err == nil {
		return fmt.Errorf("%w: email %q is already used by another user", store.ErrConflict, email)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// CreateUser stores a new user; see store.UserStore.
func (db *DB) CreateUser(ctx context.Context, u *user.User) (err error) {
	defer wrap(&err, "CreateUser(%q)", u.Email)
	if err := u.Validate(); err != nil {
		return err
	}
	now := db.now().UTC()
	return db.transact(ctx, func(tx conn) error {
		if err := emailFree(ctx, tx, u.Email, 0); err != nil {
			return err
		}
		err := tx.queryRow(ctx, `
			INSERT INTO users (id, email, email_key, name, role, password_hash, created_at)
			VALUES ((SELECT id + 1 FROM user_id_high), ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			u.Email, emailKey(u.Email), u.Name, u.Role, u.PasswordHash, formatTime(now)).Scan(&u.ID)
		if err != nil {
			return err
		}
		u.CreatedAt = now
		return nil
	})
}

const userColumns = `id, email, name, role, password_hash, disabled, created_at`

func scanUser(row scanner) (*user.User, error) {
	u := &user.User{}
	var created string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &created); err != nil {
		return nil, err
	}
	var err error
	u.CreatedAt, err = time.Parse(timeLayout, created)
	return u, err
}

func (db *DB) userWhere(ctx context.Context, cond string, args ...any) (*user.User, error) {
	u, err := scanUser(db.readConn().queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	return u, err
}

// User returns a user by ID; see store.UserStore.
func (db *DB) User(ctx context.Context, id int64) (_ *user.User, err error) {
	defer wrap(&err, "User(%d)", id)
	return db.userWhere(ctx, `id = ?`, id)
}

// UserByEmail returns a user by email, without case; see store.UserStore.
func (db *DB) UserByEmail(ctx context.Context, email string) (_ *user.User, err error) {
	defer wrap(&err, "UserByEmail(%q)", email)
	return db.userWhere(ctx, `email_key = ?`, emailKey(email))
}

// Users lists every user by name; see store.UserStore.
func (db *DB) Users(ctx context.Context) (_ []*user.User, err error) {
	defer wrap(&err, "Users")
	return listUsers(ctx, db.readConn())
}

// listUsers reads every user through c, by name.
func listUsers(ctx context.Context, c conn) ([]*user.User, error) {
	rows, err := c.query(ctx, `SELECT `+userColumns+` FROM users`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []*user.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortUsers(us)
	return us, nil
}

// sortUsers orders users by name without case, then by ID. It is done in
// Go so that both stores agree whatever the database's collation.
func sortUsers(us []*user.User) {
	slices.SortFunc(us, func(a, b *user.User) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// CountUsers counts the users; see store.UserStore.
func (db *DB) CountUsers(ctx context.Context) (n int, err error) {
	defer wrap(&err, "CountUsers")
	err = db.readConn().queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UpdateUser saves a user's name, email and role; see store.UserStore.
func (db *DB) UpdateUser(ctx context.Context, u *user.User, check store.UsersCheck) (err error) {
	defer wrap(&err, "UpdateUser(%d)", u.ID)
	if err := u.Validate(); err != nil {
		return err
	}
	return db.transact(ctx, func(tx conn) error {
		err := checkUsers(ctx, tx, check, u.ID, func(c *user.User) bool {
			c.Email, c.Name, c.Role = u.Email, u.Name, u.Role
			return true
		})
		if err != nil {
			return err
		}
		if err := emailFree(ctx, tx, u.Email, u.ID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `
			UPDATE users SET email = ?, email_key = ?, name = ?, role = ?
			WHERE id = ?`, u.Email, emailKey(u.Email), u.Name, u.Role, u.ID)
		if err != nil {
			return err
		}
		return oneRow(res)
	})
}

// oneRow turns a write that changed nothing into store.ErrNotFound.
func oneRow(res sql.Result) error {
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// SetPasswordHash replaces a password hash and ends the user's sessions;
// see store.UserStore.
func (db *DB) SetPasswordHash(ctx context.Context, id int64, hash string) (err error) {
	defer wrap(&err, "SetPasswordHash(%d)", id)
	return db.transact(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
		if err != nil {
			return err
		}
		if err := oneRow(res); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
}

// checkUsers runs check on a change to user id, in transaction tx; see
// store.CheckUsersChange. The transaction holds the only write lock, so no
// other change to users comes between the check and the write.
func checkUsers(ctx context.Context, tx conn, check store.UsersCheck, id int64, change func(*user.User) bool) error {
	if check == nil {
		return nil
	}
	us, err := listUsers(ctx, tx)
	if err != nil {
		return err
	}
	return store.CheckUsersChange(check, us, id, change)
}

// SetUserDisabled disables or enables a user, ending the sessions of one
// disabled; see store.UserStore.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool, check store.UsersCheck) (err error) {
	defer wrap(&err, "SetUserDisabled(%d, %t)", id, disabled)
	return db.transact(ctx, func(tx conn) error {
		err := checkUsers(ctx, tx, check, id, func(c *user.User) bool {
			c.Disabled = disabled
			return true
		})
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
		if err != nil {
			return err
		}
		if err := oneRow(res); err != nil || !disabled {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
}

// DeleteUser deletes a user and their sessions; the articles they owned
// are kept, owned by nobody. A missing user wraps store.ErrNotFound.
func (db *DB) DeleteUser(ctx context.Context, id int64, check store.UsersCheck) (err error) {
	defer wrap(&err, "DeleteUser(%d)", id)
	return db.transact(ctx, func(tx conn) error {
		if err := checkUsers(ctx, tx, check, id, func(*user.User) bool { return false }); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM users WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return oneRow(res)
	})
}

// checkSession refuses a session without a token hash or an expiry, and
// dates one without a creation time now.
func checkSession(s *user.Session, now time.Time) error {
	switch {
	case len(s.TokenHash) == 0:
		return errors.New("the session has no token hash")
	case s.ExpiresAt.IsZero():
		return errors.New("the session has no expiry time")
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = now
	}
	return nil
}

// CreateSession stores a session; see store.UserStore. A missing user
// wraps store.ErrNotFound. Sessions that had expired when this one was
// created are deleted.
func (db *DB) CreateSession(ctx context.Context, s user.Session) (err error) {
	defer wrap(&err, "CreateSession(user %d)", s.UserID)
	if err := checkSession(&s, db.now()); err != nil {
		return err
	}
	return db.transact(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(s.CreatedAt)); err != nil {
			return err
		}
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, s.UserID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: user %d does not exist", store.ErrNotFound, s.UserID)
		} else if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `
			INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip)
			VALUES (?, ?, ?, ?, ?)`,
			s.TokenHash, s.UserID, formatTime(s.CreatedAt), formatTime(s.ExpiresAt), s.IP)
		return err
	})
}

// SessionUser returns the user of a live session; see store.UserStore.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (_ *user.User, err error) {
	defer wrap(&err, "SessionUser")
	u, err := scanUser(db.readConn().queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled`, tokenHash, formatTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no such session, or it has expired", store.ErrNotFound)
	}
	return u, err
}

// DeleteSession ends a session; see store.UserStore.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) (err error) {
	defer wrap(&err, "DeleteSession")
	return db.transact(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// AddLoginFailure records a failed sign-in for each key; see
// store.UserStore. Failures older than failureRetention before at are
// forgotten.
func (db *DB) AddLoginFailure(ctx context.Context, keys []string, at time.Time) (err error) {
	defer wrap(&err, "AddLoginFailure")
	return db.transact(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE at < ?`, formatTime(at.Add(-failureRetention))); err != nil {
			return err
		}
		for _, key := range keys {
			if _, err := tx.exec(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, formatTime(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoginFailures counts a key's failures since a time; see store.UserStore.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (n int, err error) {
	defer wrap(&err, "LoginFailures")
	err = db.readConn().queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?`, key, formatTime(since)).Scan(&n)
	return n, err
}

// ClearLoginFailures forgets a key's failures; see store.UserStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) (err error) {
	defer wrap(&err, "ClearLoginFailures")
	return db.transact(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}

// AddAudit appends to the audit log; see store.UserStore. A zero e.At
// becomes the current time.
func (db *DB) AddAudit(ctx context.Context, e *user.AuditEvent) (err error) {
	defer wrap(&err, "AddAudit(%q)", e.Action)
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.At = e.At.UTC()
	return db.transact(ctx, func(tx conn) error {
		return tx.queryRow(ctx, `
			INSERT INTO audit_log (id, at, actor, action, target, ip, detail)
			VALUES ((SELECT id + 1 FROM audit_id_high), ?, ?, ?, ?, ?, ?)
			RETURNING id`, formatTime(e.At), e.Actor, e.Action, e.Target, e.IP, e.Detail).Scan(&e.ID)
	})
}

// Audit lists the latest audit events, newest first; see store.UserStore.
// A limit that is not positive lists them all.
func (db *DB) Audit(ctx context.Context, limit int) (_ []user.AuditEvent, err error) {
	defer wrap(&err, "Audit(%d)", limit)
	if limit <= 0 {
		limit = -1 // no limit, to SQLite
	}
	rows, err := db.readConn().query(ctx, `
		SELECT id, at, actor, action, target, ip, detail
		FROM audit_log
		ORDER BY at DESC, id DESC
		LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []user.AuditEvent
	for rows.Next() {
		var e user.AuditEvent
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.IP, &e.Detail); err != nil {
			return nil, err
		}
		if e.At, err = time.Parse(timeLayout, at); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}
