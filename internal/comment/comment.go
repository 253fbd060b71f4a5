// Package comment is what readers say under an article: the Comment type,
// its states and moderation rules, validation of the "Leave a Reply" form,
// threading, the signed form token, and rendering of comment text as inert
// HTML. It knows nothing of SQL or HTTP; the store keeps comments and
// web/public serves the form.
package comment

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// State is where a comment stands in moderation.
type State string

// The moderation states. Only approved comments are public.
const (
	Pending  State = "pending"
	Approved State = "approved"
	Spam     State = "spam"
	Trash    State = "trash"
)

// ParseState returns the state named s, or an error naming s.
func ParseState(s string) (State, error) {
	switch st := State(strings.ToLower(strings.TrimSpace(s))); st {
	case Pending, Approved, Spam, Trash:
		return st, nil
	}
	return "", fmt.Errorf("unknown comment state %q (want pending, approved, spam or trash)", s)
}

// Comment is one reader's comment on an article.
type Comment struct {
	ID        int64
	ArticleID int64
	ParentID  int64 // 0 for a comment on the article itself
	Author    string
	Email     string // never shown publicly
	URL       string // the commenter's website, or ""
	Body      string // plain text as written, cleaned of control characters
	State     State
	CreatedAt time.Time
	// CommenterKey is the hash of the random key in the commenter's
	// cookie, so that they, and nobody else, see their comment while it
	// awaits moderation.
	CommenterKey string
	// Reason says why moderation put the comment in its state, for
	// moderators: "held: 3 links", "spam score 0.99".
	Reason string

	// ArticleSlug and ArticleTitle are filled in by lists for moderators.
	ArticleSlug  string
	ArticleTitle string
}

// Sentinel errors that the store wraps.
var (
	// ErrDuplicate: the same commenter already said the same thing on
	// this article.
	ErrDuplicate = errors.New("duplicate comment")
	// ErrTokenUsed: the form token was used before (a replay).
	ErrTokenUsed = errors.New("form already used")
)

// BodyHash identifies a comment's text for duplicate detection: the same
// words, whatever the spacing and case.
func BodyHash(body string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(body), " "))))
	return hex.EncodeToString(sum[:16])
}
