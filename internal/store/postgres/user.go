package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// emailKey is the form emails are compared in: without case, folded by Go
// as the sqlite store does, so that both agree on every script.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// failureRetention is how long a failed sign-in is kept after the next
// one: far longer than any throttling window, and short enough that an
// attack cannot grow the table without bound.
const failureRetention = 24 * time.Hour

// emailConflict reports a clash on a user's email as ErrConflict. The
// check before each write finds most; this catches a concurrent write
// that took the email in between.
func emailConflict(err error, email string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation && pgErr.ConstraintName == "users_email_key" {
		return fmt.Errorf("%w: email %q is already used by another user", store.ErrConflict, email)
	}
	return err
}

// emailFree refuses an email that another user than self (0 for a new
// user) has, in any case.
func emailFree(ctx context.Context, tx pgx.Tx, email string, self int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email_key = $1 AND id <> $2`, emailKey(email), self).Scan(&id)
	if err == nil {
		return fmt.Errorf("%w: email %q is already used by another user", store.ErrConflict, email)
	}
	if errNoRows(err) {
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
	now := dbTime(db.now())
	err = db.transact(ctx, func(tx pgx.Tx) error {
		if err := emailFree(ctx, tx, u.Email, 0); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO users (email, email_key, name, role, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			u.Email, emailKey(u.Email), u.Name, u.Role, u.PasswordHash, now).Scan(&u.ID)
	})
	if err != nil {
		return emailConflict(err, u.Email)
	}
	u.CreatedAt = now
	return nil
}

const userColumns = `u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at`

func scanUser(row pgx.Row) (*user.User, error) {
	u := &user.User{}
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt); err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return u, nil
}

func (db *DB) userWhere(ctx context.Context, cond string, args ...any) (*user.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE `+cond, args...))
	if errNoRows(err) {
		return nil, store.ErrNotFound
	}
	return u, err
}

// User returns a user by ID; see store.UserStore.
func (db *DB) User(ctx context.Context, id int64) (_ *user.User, err error) {
	defer wrap(&err, "User(%d)", id)
	return db.userWhere(ctx, `u.id = $1`, id)
}

// UserByEmail returns a user by email, without case; see store.UserStore.
func (db *DB) UserByEmail(ctx context.Context, email string) (_ *user.User, err error) {
	defer wrap(&err, "UserByEmail(%q)", email)
	return db.userWhere(ctx, `u.email_key = $1`, emailKey(email))
}

// Users lists every user by name; see store.UserStore.
func (db *DB) Users(ctx context.Context) (_ []*user.User, err error) {
	defer wrap(&err, "Users")
	return listUsers(ctx, db.pool)
}

// listUsers reads every user through q (the pool or a transaction), by
// name.
func listUsers(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) ([]*user.User, error) {
	rows, err := q.Query(ctx, `SELECT `+userColumns+` FROM users u`)
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
	err = db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UpdateUser saves a user's name, email and role; see store.UserStore.
func (db *DB) UpdateUser(ctx context.Context, u *user.User, check store.UsersCheck) (err error) {
	defer wrap(&err, "UpdateUser(%d)", u.ID)
	if err := u.Validate(); err != nil {
		return err
	}
	err = db.transact(ctx, func(tx pgx.Tx) error {
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
		tag, err := tx.Exec(ctx, `
			UPDATE users SET email = $1, email_key = $2, name = $3, role = $4
			WHERE id = $5`, u.Email, emailKey(u.Email), u.Name, u.Role, u.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	return emailConflict(err, u.Email)
}

// SetPasswordHash replaces a password hash and ends the user's sessions;
// see store.UserStore.
func (db *DB) SetPasswordHash(ctx context.Context, id int64, hash string) (err error) {
	defer wrap(&err, "SetPasswordHash(%d)", id)
	return db.transact(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return err
	})
}

// checkUsers runs check on a change to user id, in transaction tx; see
// store.CheckUsersChange. The lock holds off other writes to users (not
// reads) until tx ends, and the users are read after taking it, so no
// other change to them comes between the check and the write.
func checkUsers(ctx context.Context, tx pgx.Tx, check store.UsersCheck, id int64, change func(*user.User) bool) error {
	if check == nil {
		return nil
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
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
	return db.transact(ctx, func(tx pgx.Tx) error {
		err := checkUsers(ctx, tx, check, id, func(c *user.User) bool {
			c.Disabled = disabled
			return true
		})
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		if !disabled {
			return nil
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return err
	})
}

// DeleteUser deletes a user and their sessions; the articles they owned
// are kept, owned by nobody. A missing user wraps store.ErrNotFound.
func (db *DB) DeleteUser(ctx context.Context, id int64, check store.UsersCheck) (err error) {
	defer wrap(&err, "DeleteUser(%d)", id)
	return db.transact(ctx, func(tx pgx.Tx) error {
		if err := checkUsers(ctx, tx, check, id, func(*user.User) bool { return false }); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
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

// foreignKeyViolation is the SQLSTATE of a foreign key violation.
const foreignKeyViolation = "23503"

// CreateSession stores a session; see store.UserStore. A missing user
// wraps store.ErrNotFound. Sessions that had expired when this one was
// created are deleted.
func (db *DB) CreateSession(ctx context.Context, s user.Session) (err error) {
	defer wrap(&err, "CreateSession(user %d)", s.UserID)
	if err := checkSession(&s, db.now()); err != nil {
		return err
	}
	err = db.transact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, dbTime(s.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip)
			VALUES ($1, $2, $3, $4, $5)`,
			s.TokenHash, s.UserID, dbTime(s.CreatedAt), dbTime(s.ExpiresAt), s.IP)
		return err
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == foreignKeyViolation {
		return fmt.Errorf("%w: user %d does not exist", store.ErrNotFound, s.UserID)
	}
	return err
}

// SessionUser returns the user of a live session; see store.UserStore.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (_ *user.User, err error) {
	defer wrap(&err, "SessionUser")
	u, err := scanUser(db.pool.QueryRow(ctx, `
		SELECT `+userColumns+`
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, tokenHash, dbTime(now)))
	if errNoRows(err) {
		return nil, fmt.Errorf("%w: no such session, or it has expired", store.ErrNotFound)
	}
	return u, err
}

// DeleteSession ends a session; see store.UserStore.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) (err error) {
	defer wrap(&err, "DeleteSession")
	_, err = db.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// AddLoginFailure records a failed sign-in for each key; see
// store.UserStore. Failures older than failureRetention before at are
// forgotten.
func (db *DB) AddLoginFailure(ctx context.Context, keys []string, at time.Time) (err error) {
	defer wrap(&err, "AddLoginFailure")
	return db.transact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, dbTime(at.Add(-failureRetention))); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO login_failures (key, at)
			SELECT k, $2 FROM unnest($1::text[]) AS k`, keys, dbTime(at))
		return err
	})
}

// LoginFailures counts a key's failures since a time; see store.UserStore.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (n int, err error) {
	defer wrap(&err, "LoginFailures")
	err = db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, dbTime(since)).Scan(&n)
	return n, err
}

// ClearLoginFailures forgets a key's failures; see store.UserStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) (err error) {
	defer wrap(&err, "ClearLoginFailures")
	_, err = db.pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}

// AddAudit appends to the audit log; see store.UserStore. A zero e.At
// becomes the current time.
func (db *DB) AddAudit(ctx context.Context, e *user.AuditEvent) (err error) {
	defer wrap(&err, "AddAudit(%q)", e.Action)
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.At = dbTime(e.At)
	return db.pool.QueryRow(ctx, `
		INSERT INTO audit_log (at, actor, action, target, ip, detail)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id`, e.At, e.Actor, e.Action, e.Target, e.IP, e.Detail).Scan(&e.ID)
}

// Audit lists the latest audit events, newest first; see store.UserStore.
// A limit that is not positive lists them all.
func (db *DB) Audit(ctx context.Context, limit int) (_ []user.AuditEvent, err error) {
	defer wrap(&err, "Audit(%d)", limit)
	var n *int // NULL: no limit
	if limit > 0 {
		n = &limit
	}
	rows, err := db.pool.Query(ctx, `
		SELECT id, at, actor, action, target, ip, detail
		FROM audit_log
		ORDER BY at DESC, id DESC
		LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []user.AuditEvent
	for rows.Next() {
		var e user.AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Target, &e.IP, &e.Detail); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		es = append(es, e)
	}
	return es, rows.Err()
}
