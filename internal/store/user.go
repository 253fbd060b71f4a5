package store

import (
	"context"
	"time"

	"github.com/datelinehq/dateline/internal/user"
)

// UserStore keeps newsroom accounts, their sign-in sessions, failed
// sign-ins for throttling and the audit log, shared by every node.
type UserStore interface {
	// CreateUser stores a new user and sets u.ID and u.CreatedAt. An email
	// already taken (compared without case) wraps ErrConflict.
	CreateUser(ctx context.Context, u *user.User) error
	// User returns a user by ID; UserByEmail by email, without case.
	// Either wraps ErrNotFound.
	User(ctx context.Context, id int64) (*user.User, error)
	UserByEmail(ctx context.Context, email string) (*user.User, error)
	// Users lists every user, by name.
	Users(ctx context.Context) ([]*user.User, error)
	// CountUsers counts the users (the first-run setup needs none).
	CountUsers(ctx context.Context) (int, error)
	// UpdateUser saves u's name, email and role. A missing user wraps
	// ErrNotFound, an email taken by another wraps ErrConflict.
	UpdateUser(ctx context.Context, u *user.User) error
	// DeleteUser deletes a user and their sessions; their articles stay,
	// owned by nobody. A missing user wraps ErrNotFound.
	DeleteUser(ctx context.Context, id int64) error
	// SetPasswordHash replaces a user's password hash and ends every
	// session of that user. A missing user wraps ErrNotFound.
	SetPasswordHash(ctx context.Context, id int64, hash string) error

	// CreateSession stores a session.
	CreateSession(ctx context.Context, s user.Session) error
	// SessionUser returns the user of the session whose token hash is
	// given, if it has not expired at now; else an error wrapping
	// ErrNotFound.
	SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error)
	// DeleteSession ends one session; an unknown one is not an error.
	DeleteSession(ctx context.Context, tokenHash []byte) error

	// AddLoginFailure records a failed sign-in for each key (an email, an
	// IP) at time at; LoginFailures counts a key's failures since since;
	// ClearLoginFailures forgets a key's failures.
	AddLoginFailure(ctx context.Context, keys []string, at time.Time) error
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error

	// AddAudit appends an event to the audit log and sets e.ID.
	AddAudit(ctx context.Context, e *user.AuditEvent) error
	// Audit lists the latest events, newest first, at most limit.
	Audit(ctx context.Context, limit int) ([]user.AuditEvent, error)
}

// ViewStats reads the daily page views the view counter keeps.
type ViewStats interface {
	// DailyViews returns an article's views per day (UTC, as
	// "2006-01-02") from from to to inclusive; days without views are
	// left out.
	DailyViews(ctx context.Context, articleID int64, from, to time.Time) (map[string]int64, error)
	// MostRead lists the articles with the most views from from to to
	// inclusive, most first, at most limit, with their views in that time.
	MostRead(ctx context.Context, from, to time.Time, limit int) ([]ArticleViews, error)
}

// ArticleViews is an article and its views over a time.
type ArticleViews struct {
	ArticleID int64
	Slug      string
	Title     string
	Views     int64
}
