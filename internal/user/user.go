// Package user is Dateline's newsroom accounts: users and their roles,
// what each role may do, passwords (argon2id), sign-in sessions and the
// audit log. It holds no SQL and no HTTP: the store keeps users and
// sessions, the admin enforces roles with Can.
package user

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do, as in WordPress.
type Role string

const (
	// Administrator may do everything, including users and settings.
	Administrator Role = "administrator"
	// Editor may write, publish and delete any article and moderate
	// every comment.
	Editor Role = "editor"
	// Author may write and publish their own articles.
	Author Role = "author"
	// Contributor may write their own drafts but not publish them; their
	// raw HTML is sanitised.
	Contributor Role = "contributor"
)

// Roles lists the roles from the most to the least powerful.
var Roles = []Role{Administrator, Editor, Author, Contributor}

// ParseRole returns the role named s, or an error naming s and the roles.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Roles {
		if r == known {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q: use administrator, editor, author or contributor", s)
}

// User is a newsroom account.
type User struct {
	ID    int64
	Email string // unique, compared without case
	Name  string
	Role  Role
	// PasswordHash is the argon2id hash in PHC string form; never shown.
	PasswordHash string
	// Disabled accounts cannot sign in, and their sessions have ended;
	// their articles keep their byline.
	Disabled  bool
	CreatedAt time.Time
}

// Action is something a role may be allowed to do.
type Action string

const (
	EditOwnArticles    Action = "edit own articles"     // create, edit own drafts
	PublishOwnArticles Action = "publish own articles"  // publish, schedule own
	EditAllArticles    Action = "edit others' articles" // edit, publish, delete any
	ModerateComments   Action = "moderate comments"
	ViewAnalytics      Action = "view analytics"
	ManageSettings     Action = "manage settings"
	ManageUsers        Action = "manage users"
	UploadImages       Action = "upload images" // add to the photo library, describe them
	DeleteImages       Action = "delete images"
	ArrangeSite        Action = "arrange the site" // sections, menus, the front page
)

var allowed = map[Role][]Action{
	Administrator: {EditOwnArticles, PublishOwnArticles, EditAllArticles, ModerateComments, ViewAnalytics, ManageSettings, ManageUsers, UploadImages, DeleteImages, ArrangeSite},
	Editor:        {EditOwnArticles, PublishOwnArticles, EditAllArticles, ModerateComments, ViewAnalytics, UploadImages, DeleteImages, ArrangeSite},
	Author:        {EditOwnArticles, PublishOwnArticles, ViewAnalytics, UploadImages},
	Contributor:   {EditOwnArticles, UploadImages},
}

// Can reports whether role r may do a.
func (r Role) Can(a Action) bool {
	for _, x := range allowed[r] {
		if x == a {
			return true
		}
	}
	return false
}

// CanEditArticle reports whether u may change an article owned by the
// user with ID owner (0 when nobody owns it: only editors may then).
func (u *User) CanEditArticle(owner int64) bool {
	if u.Role.Can(EditAllArticles) {
		return true
	}
	return owner != 0 && owner == u.ID && u.Role.Can(EditOwnArticles)
}

// CanPublishArticle reports whether u may publish or schedule an article
// owned by owner.
func (u *User) CanPublishArticle(owner int64) bool {
	if u.Role.Can(EditAllArticles) {
		return true
	}
	return owner != 0 && owner == u.ID && u.Role.Can(PublishOwnArticles)
}

// LastAdministratorError is a change refused because it would leave no
// administrator who can sign in, where there was one: nobody could then
// manage users or settings in the admin.
type LastAdministratorError struct {
	User *User // the last administrator, as before the change
}

func (e *LastAdministratorError) Error() string {
	return fmt.Sprintf("%s is the last administrator who can sign in: make another user an administrator first", e.User.Email)
}

// KeepsAdministrator refuses, with a *LastAdministratorError, a change to
// the accounts that leaves no enabled administrator where there was one.
// before and after are every user, before and after the change (a deleted
// user is missing from after). It is a store.UsersCheck: stores run it in
// the change's transaction, so that two changes at once (two
// administrators disabling each other) cannot both pass it.
func KeepsAdministrator(before, after []*User) error {
	for _, u := range after {
		if u.Role == Administrator && !u.Disabled {
			return nil
		}
	}
	for _, u := range before {
		if u.Role == Administrator && !u.Disabled {
			return &LastAdministratorError{User: u}
		}
	}
	return nil
}

// Errors a caller can tell apart.
var (
	// ErrBadCredentials is a wrong email or password; it never says which.
	ErrBadCredentials = errors.New("wrong email or password")
	// ErrThrottled is a sign-in refused while earlier failures cool down.
	ErrThrottled = errors.New("too many failed sign-ins; try again later")
)

// Limits of what an account holds.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 1024 // argon2 takes any length; this bounds the work
	maxNameLength     = 200
)

// Validate checks an account's email, name and role, with a message a
// person can act on.
func (u *User) Validate() error {
	u.Email = strings.TrimSpace(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	addr, err := mail.ParseAddress(u.Email)
	if err != nil || addr.Address != u.Email {
		return fmt.Errorf("email %q is not an email address", u.Email)
	}
	if u.Name == "" {
		return errors.New("name is empty")
	}
	if utf8.RuneCountInString(u.Name) > maxNameLength {
		return fmt.Errorf("name is longer than %d characters", maxNameLength)
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	return nil
}

// CheckPasswordPolicy says what is wrong with a new password, if anything.
func CheckPasswordPolicy(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return fmt.Errorf("password is %d characters; use at least %d", n, MinPasswordLength)
	case len(password) > MaxPasswordLength:
		return fmt.Errorf("password is longer than %d bytes", MaxPasswordLength)
	case strings.TrimSpace(password) == "":
		return errors.New("password is only spaces")
	}
	return nil
}

// Session is a signed-in browser. Only a hash of its token is stored, so
// a copy of the database signs nobody in.
type Session struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	IP        string
}

// AuditEvent is one entry of the audit log.
type AuditEvent struct {
	ID     int64
	At     time.Time
	Actor  string // the acting user's email, or "" for an anonymous attempt
	Action string // "sign-in", "sign-in failed", "sign-out", "role changed", "published", ...
	Target string // what it was done to: an email, an article slug
	IP     string
	Detail string
}
