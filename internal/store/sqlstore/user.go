package sqlstore

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
)

// emailKey is the form emails are compared in: without case, folded by Go
// so that both backends agree on every script (SQLite's own lower() folds
// only ASCII).
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// failureRetention is how long a failed sign-in is kept after the next
// one: far longer than any throttling window, and short enough that an
// attack cannot grow the table without bound.
const failureRetention = 24 * time.Hour

// emailTaken is the error for an email another user has.
func emailTaken(email string) error {
	return fmt.Errorf("%w: email %q is already used by another user", store.ErrConflict, email)
}

// emailConflict reports a clash on a user's email, in any case, as
// ErrConflict: the unique constraint on email_key finds it (named so on
// PostgreSQL, after its table and column on SQLite).
func (s *Store) emailConflict(err error, email string) error {
	if name, kind := s.db.Constraint(err); kind == UniqueViolation && (name == "users_email_key" || name == "users_email_key_key") {
		return emailTaken(email)
	}
	return err
}

// nowUTC is the clock's time as the store keeps it: in UTC, to the
// microsecond.
func (s *Store) nowUTC() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// CreateUser stores a new user; see store.UserStore.
func (s *Store) CreateUser(ctx context.Context, u *user.User) (err error) {
	defer s.wrap(&err, "CreateUser(%q)", u.Email)
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error {
		return tx.QueryRow(ctx, `
			INSERT INTO users (id, email, email_key, name, role, password_hash, created_at)
			VALUES (`+s.db.NewID("users")+`, $1, $2, $3, $4, $5, $6)
			RETURNING id`,
			u.Email, emailKey(u.Email), u.Name, u.Role, u.PasswordHash, s.db.Time(now)).Scan(&u.ID)
	})
	if err != nil {
		return s.emailConflict(err, u.Email)
	}
	u.CreatedAt = now
	return nil
}

const userColumns = `u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at`

func scanUser(row Row) (*user.User, error) {
	u := &user.User{}
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, Time(&u.CreatedAt)); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Store) userWhere(ctx context.Context, cond string, args ...any) (*user.User, error) {
	u, err := scanUser(s.db.Reader().QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE `+cond, args...))
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return u, err
}

// User returns a user by ID; see store.UserStore.
func (s *Store) User(ctx context.Context, id int64) (_ *user.User, err error) {
	defer s.wrap(&err, "User(%d)", id)
	return s.userWhere(ctx, `u.id = $1`, id)
}

// UserByEmail returns a user by email, without case; see store.UserStore.
func (s *Store) UserByEmail(ctx context.Context, email string) (_ *user.User, err error) {
	defer s.wrap(&err, "UserByEmail(%q)", email)
	return s.userWhere(ctx, `u.email_key = $1`, emailKey(email))
}

// Users lists every user by name; see store.UserStore.
func (s *Store) Users(ctx context.Context) (_ []*user.User, err error) {
	defer s.wrap(&err, "Users")
	return listUsers(ctx, s.db.Reader())
}

// listUsers reads every user through c, by name.
func listUsers(ctx context.Context, c Conn) ([]*user.User, error) {
	us, err := list(ctx, c, `SELECT `+userColumns+` FROM users u`, nil, func(row Row, u **user.User) (err error) {
		*u, err = scanUser(row)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Sorted in Go, so that both backends agree whatever the database's
	// collation: by name without case, then by ID.
	slices.SortFunc(us, func(a, b *user.User) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return us, nil
}

// CountUsers counts the users; see store.UserStore.
func (s *Store) CountUsers(ctx context.Context) (n int, err error) {
	defer s.wrap(&err, "CountUsers")
	err = s.db.Reader().QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UpdateUser saves a user's name, email and role; see store.UserStore.
func (s *Store) UpdateUser(ctx context.Context, u *user.User, check store.UsersCheck) (err error) {
	defer s.wrap(&err, "UpdateUser(%d)", u.ID)
	if err := u.Validate(); err != nil {
		return err
	}
	err = s.db.Transact(ctx, func(tx Conn) error {
		err := s.checkUsers(ctx, tx, check, u.ID, func(c *user.User) bool {
			c.Email, c.Name, c.Role = u.Email, u.Name, u.Role
			return true
		})
		if err != nil {
			return err
		}
		return oneRow(tx.Exec(ctx, `
			UPDATE users SET email = $1, email_key = $2, name = $3, role = $4
			WHERE id = $5`, u.Email, emailKey(u.Email), u.Name, u.Role, u.ID))
	})
	return s.emailConflict(err, u.Email)
}

// SetPasswordHash replaces a password hash and ends the user's sessions;
// see store.UserStore.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) (err error) {
	defer s.wrap(&err, "SetPasswordHash(%d)", id)
	return s.db.Transact(ctx, func(tx Conn) error {
		if err := oneRow(tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return err
	})
}

// checkUsers runs check on a change to user id, in transaction tx; see
// store.CheckUsersChange. The users are read after taking the lock that
// holds off other writers of users until tx ends, so no other change to
// them comes between the check and the write.
func (s *Store) checkUsers(ctx context.Context, tx Conn, check store.UsersCheck, id int64, change func(*user.User) bool) error {
	if check == nil {
		return nil
	}
	if lock := s.db.LockTable("users"); lock != "" {
		if _, err := tx.Exec(ctx, lock); err != nil {
			return err
		}
	}
	us, err := listUsers(ctx, tx)
	if err != nil {
		return err
	}
	return store.CheckUsersChange(check, us, id, change)
}

// SetUserDisabled disables or enables a user, ending the sessions of one
// disabled; see store.UserStore.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool, check store.UsersCheck) (err error) {
	defer s.wrap(&err, "SetUserDisabled(%d, %t)", id, disabled)
	return s.db.Transact(ctx, func(tx Conn) error {
		err := s.checkUsers(ctx, tx, check, id, func(c *user.User) bool {
			c.Disabled = disabled
			return true
		})
		if err != nil {
			return err
		}
		if err := oneRow(tx.Exec(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, id)); err != nil || !disabled {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return err
	})
}

// DeleteUser deletes a user and their sessions; the articles they owned
// are kept, owned by nobody. A missing user wraps store.ErrNotFound.
func (s *Store) DeleteUser(ctx context.Context, id int64, check store.UsersCheck) (err error) {
	defer s.wrap(&err, "DeleteUser(%d)", id)
	return s.db.Transact(ctx, func(tx Conn) error {
		if err := s.checkUsers(ctx, tx, check, id, func(*user.User) bool { return false }); err != nil {
			return err
		}
		return oneRow(tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, id))
	})
}

// CreateSession stores a session; see store.UserStore. A missing user
// wraps store.ErrNotFound. Sessions that had expired when this one was
// created are deleted.
func (s *Store) CreateSession(ctx context.Context, ss user.Session) (err error) {
	defer s.wrap(&err, "CreateSession(user %d)", ss.UserID)
	switch {
	case len(ss.TokenHash) == 0:
		return errors.New("the session has no token hash")
	case ss.ExpiresAt.IsZero():
		return errors.New("the session has no expiry time")
	}
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = s.now()
	}
	err = s.db.Transact(ctx, func(tx Conn) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, s.db.Time(ss.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip)
			VALUES ($1, $2, $3, $4, $5)`,
			ss.TokenHash, ss.UserID, s.db.Time(ss.CreatedAt), s.db.Time(ss.ExpiresAt), ss.IP)
		return err
	})
	if _, kind := s.db.Constraint(err); kind == ForeignKeyViolation {
		return fmt.Errorf("%w: user %d does not exist", store.ErrNotFound, ss.UserID)
	}
	return err
}

// SessionUser returns the user of a live session; see store.UserStore.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (_ *user.User, err error) {
	defer s.wrap(&err, "SessionUser")
	u, err := scanUser(s.db.Reader().QueryRow(ctx, `
		SELECT `+userColumns+`
		FROM sessions s
		JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, tokenHash, s.db.Time(now)))
	if noRows(err) {
		return nil, fmt.Errorf("%w: no such session, or it has expired", store.ErrNotFound)
	}
	return u, err
}

// DeleteSession ends a session; see store.UserStore.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) (err error) {
	defer s.wrap(&err, "DeleteSession")
	_, err = s.db.Writer().Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// AddLoginFailure records a failed sign-in for each key; see
// store.UserStore. Failures older than failureRetention before at are
// forgotten.
func (s *Store) AddLoginFailure(ctx context.Context, keys []string, at time.Time) (err error) {
	defer s.wrap(&err, "AddLoginFailure")
	return s.db.Transact(ctx, func(tx Conn) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, s.db.Time(at.Add(-failureRetention))); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO login_failures (key, at)
			SELECT k.value, $2 FROM `+s.db.Each("$1", "k"), s.db.Strings(keys), s.db.Time(at))
		return err
	})
}

// LoginFailures counts a key's failures since a time; see store.UserStore.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (n int, err error) {
	defer s.wrap(&err, "LoginFailures")
	err = s.db.Reader().QueryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, s.db.Time(since)).Scan(&n)
	return n, err
}

// ClearLoginFailures forgets a key's failures; see store.UserStore.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) (err error) {
	defer s.wrap(&err, "ClearLoginFailures")
	_, err = s.db.Writer().Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}

// AddAudit appends to the audit log; see store.UserStore. A zero e.At
// becomes the current time.
func (s *Store) AddAudit(ctx context.Context, e *user.AuditEvent) (err error) {
	defer s.wrap(&err, "AddAudit(%q)", e.Action)
	if e.At.IsZero() {
		e.At = s.now()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	return s.db.Writer().QueryRow(ctx, `
		INSERT INTO audit_log (id, at, actor, action, target, ip, detail)
		VALUES (`+s.db.NewID("audit_log")+`, $1, $2, $3, $4, $5, $6)
		RETURNING id`, s.db.Time(e.At), e.Actor, e.Action, e.Target, e.IP, e.Detail).Scan(&e.ID)
}

// Audit lists the latest audit events, newest first; see store.UserStore.
// A limit that is not positive lists them all.
func (s *Store) Audit(ctx context.Context, limit int) (_ []user.AuditEvent, err error) {
	defer s.wrap(&err, "Audit(%d)", limit)
	query := `
		SELECT id, at, actor, action, target, ip, detail
		FROM audit_log
		ORDER BY at DESC, id DESC`
	var args []any
	if limit > 0 {
		query += ` LIMIT $1`
		args = append(args, limit)
	}
	return list(ctx, s.db.Reader(), query, args, func(row Row, e *user.AuditEvent) error {
		return row.Scan(&e.ID, Time(&e.At), &e.Actor, &e.Action, &e.Target, &e.IP, &e.Detail)
	})
}
