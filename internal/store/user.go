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
	// UpdateUser saves u's name, email and role. check, when not nil,
	// may refuse the change (see UsersCheck); its error is returned
	// wrapped. A missing user wraps ErrNotFound, an email taken by another
	// wraps ErrConflict.
	UpdateUser(ctx context.Context, u *user.User, check UsersCheck) error
	// SetUserDisabled disables a user, ending their sessions, or enables
	// them again; check as for UpdateUser. A missing user wraps
	// ErrNotFound.
	SetUserDisabled(ctx context.Context, id int64, disabled bool, check UsersCheck) error
	// DeleteUser deletes a user and their sessions; their articles stay,
	// with their byline, owned by nobody. check as for UpdateUser. A
	// missing user wraps ErrNotFound.
	DeleteUser(ctx context.Context, id int64, check UsersCheck) error
	// SetPasswordHash replaces a user's password hash and ends every
	// session of that user. A missing user wraps ErrNotFound.
	SetPasswordHash(ctx context.Context, id int64, hash string) error

	// CreateSession stores a session.
	CreateSession(ctx context.Context, s user.Session) error
	// SessionUser returns the user of the session whose token hash is
	// given, if it has not expired at now and the user is not disabled;
	// else an error wrapping ErrNotFound.
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

// UsersCheck is a rule about the accounts taken together, such as
// user.KeepsAdministrator: given every user before and after a change to
// one of them, it refuses the change with an error. Stores run it inside
// the change's transaction, holding off other changes to users until it
// ends, so that two changes made at once cannot each pass a check that
// together they break.
type UsersCheck func(before, after []*user.User) error

// CheckUsersChange runs check, when not nil, for a change to the user
// with ID id: on us, every user as read in the change's transaction, and
// on copies of them with change made to that user, which it reports false
// for a user deleted. Backends call it before they write the change.
func CheckUsersChange(check UsersCheck, us []*user.User, id int64, change func(*user.User) (kept bool)) error {
	if check == nil {
		return nil
	}
	after := make([]*user.User, 0, len(us))
	for _, u := range us {
		c := *u
		if c.ID == id && !change(&c) {
			continue
		}
		after = append(after, &c)
	}
	return check(us, after)
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
