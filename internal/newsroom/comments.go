package newsroom

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// Moderation is a decision a moderator makes about comments.
type Moderation string

// The moderations, named as the admin's buttons and the command line's
// commands name them.
const (
	Approve       Moderation = "approve"
	Unapprove     Moderation = "unapprove"
	MarkSpam      Moderation = "spam"
	MoveToTrash   Moderation = "trash"
	DeleteForGood Moderation = "delete"
)

// moderations are every Moderation with the state it puts comments in
// ("" for deletion) and what it is called in the audit log.
var moderations = []struct {
	m      Moderation
	state  comment.State
	action string
}{
	{Approve, comment.Approved, "approved comments"},
	{Unapprove, comment.Pending, "unapproved comments"},
	{MarkSpam, comment.Spam, "marked comments as spam"},
	{MoveToTrash, comment.Trash, "moved comments to the trash"},
	{DeleteForGood, "", "deleted comments"},
}

// State is the state m puts comments in; ok is false for DeleteForGood
// and for what is not a moderation.
func (m Moderation) State() (state comment.State, ok bool) {
	for _, x := range moderations {
		if x.m == m {
			return x.state, x.state != ""
		}
	}
	return "", false
}

// Valid reports whether m is one of the moderations.
func (m Moderation) Valid() bool {
	for _, x := range moderations {
		if x.m == m {
			return true
		}
	}
	return false
}

// InputError is a request a workflow cannot carry out for what it was
// given. Msg says what is wrong, in words for whoever gave it, without a
// capital or a full stop; nothing was written.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// MissingCommentError names a comment that a workflow was asked to act
// on and that does not exist (it may have been deleted meanwhile). It
// wraps store.ErrNotFound.
type MissingCommentError struct{ ID int64 }

func (e *MissingCommentError) Error() string { return fmt.Sprintf("comment %d does not exist", e.ID) }

func (e *MissingCommentError) Unwrap() error { return store.ErrNotFound }

// HiddenCommentError is a reply to a comment in the spam or the trash,
// which readers do not see: a moderator approves it first.
type HiddenCommentError struct {
	ID    int64
	State comment.State
}

func (e *HiddenCommentError) Error() string {
	return fmt.Sprintf("comment %d is in the %s; approve it before replying", e.ID, e.State)
}

// mayModerate reports whether the actor may moderate readers' comments.
func (a Actor) mayModerate() bool { return a.User == nil || a.User.Role.Can(user.ModerateComments) }

func refuseModeration() error {
	return &Refusal{"Your role cannot moderate comments: ask an editor."}
}

// Moderate applies m to the comments ids (an ID given twice counts once)
// in one transaction: to all of them or, when one is missing, to none;
// the error then is a *MissingCommentError naming it (wrapping
// store.ErrNotFound). Approving a comment teaches the spam classifier
// that its words are ham, marking it spam that they are spam; moderating
// it again moves what it taught before. Only the system and roles
// that may moderate comments may (else a *Refusal); an unknown m is an
// *InputError.
func (s *Service) Moderate(ctx context.Context, actor Actor, m Moderation, ids []int64) error {
	if !actor.mayModerate() {
		return refuseModeration()
	}
	if !m.Valid() {
		return &InputError{fmt.Sprintf("%q is not a moderation: use approve, unapprove, spam, trash or delete", string(m))}
	}
	state, _ := m.State()
	var ds []store.CommentDecision
	articles := map[string]bool{}
	var slugs []string
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := s.comment(ctx, id)
		if err != nil {
			return err
		}
		d := store.CommentDecision{ID: id, State: state, Delete: m == DeleteForGood}
		if !d.Delete {
			d.Tokens = comment.Tokens(c)
		}
		ds = append(ds, d)
		if !articles[c.ArticleSlug] {
			articles[c.ArticleSlug] = true
			slugs = append(slugs, c.ArticleSlug)
		}
	}
	if len(ds) == 0 {
		return nil
	}
	if err := s.store.ModerateComments(ctx, ds); err != nil {
		return err
	}
	for _, x := range moderations {
		if x.m == m {
			s.audit(ctx, actor, x.action, commentIDs(ds), nComments(len(ds))+" on "+listed(slugs, 3))
		}
	}
	return nil
}

// comment loads comment id; a missing one is a *MissingCommentError.
func (s *Service) comment(ctx context.Context, id int64) (*comment.Comment, error) {
	c, err := s.store.Comment(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &MissingCommentError{ID: id}
	}
	return c, err
}

// commentIDs names the comments of a batch for the audit log.
func commentIDs(ds []store.CommentDecision) string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = strconv.FormatInt(d.ID, 10)
	}
	return "comment " + listed(ids, 10)
}

// listed joins the first n of items, and says how many more there are.
func listed(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// nComments counts comments in words.
func nComments(n int) string {
	if n == 1 {
		return "1 comment"
	}
	return strconv.Itoa(n) + " comments"
}

// Reply posts the actor's reply under comment parentID, approved at once:
// an answer from the newsroom, signed with the user's name and email.
// Replying to a pending comment approves it first (teaching the spam
// classifier, as Moderate does), so that the reply is not shown under a
// comment readers cannot see (the approval stays when the reply is then
// refused as a duplicate); a comment in the spam or the trash gets no
// reply (a *HiddenCommentError). The text is cleaned as a reader's is; an
// empty or too long one is an *InputError. Only a signed-in user whose
// role may moderate comments may reply (else a *Refusal). A missing
// comment is a *MissingCommentError; the same reply posted before on
// this article by this user wraps comment.ErrDuplicate.
//
// It returns the reply and the comment replied to as it was before (its
// State is the moderation queue it was in).
func (s *Service) Reply(ctx context.Context, actor Actor, parentID int64, text string) (reply, parent *comment.Comment, err error) {
	if !actor.mayModerate() {
		return nil, nil, refuseModeration()
	}
	if actor.User == nil {
		return nil, nil, &Refusal{"A reply is signed by the user who writes it: reply from the admin."}
	}
	if !utf8.ValidString(text) {
		return nil, nil, &InputError{"the reply contains bytes that are not text (invalid UTF-8)"}
	}
	text = strings.TrimSpace(comment.Clean(text, true))
	switch n := utf8.RuneCountInString(text); {
	case text == "":
		return nil, nil, &InputError{"the reply is empty"}
	case n > comment.MaxCommentLen:
		return nil, nil, &InputError{fmt.Sprintf("the reply is %d characters long; the limit is %d", n, comment.MaxCommentLen)}
	}
	parent, err = s.comment(ctx, parentID)
	if err != nil {
		return nil, nil, err
	}
	switch parent.State {
	case comment.Spam, comment.Trash:
		return nil, nil, &HiddenCommentError{ID: parent.ID, State: parent.State}
	case comment.Pending:
		if err := s.store.ModerateComment(ctx, parent.ID, comment.Approved, comment.Tokens(parent)); err != nil {
			return nil, nil, err
		}
		s.audit(ctx, actor, "approved comments", fmt.Sprintf("comment %d", parent.ID), "1 comment on "+parent.ArticleSlug+", to reply to it")
	}
	reply = &comment.Comment{
		ArticleID: parent.ArticleID, ParentID: parent.ID, Author: actor.User.Name, Email: strings.ToLower(actor.User.Email),
		Body: text, State: comment.Approved, Reason: "reply from the newsroom",
	}
	// A reply comes from the newsroom, not the public form: its nonce
	// only needs to be unique.
	nonce := "admin-reply:" + comment.NewCommenterKey()
	if err := s.store.CreateComment(ctx, reply, nonce, s.now().Add(time.Hour)); err != nil {
		return nil, nil, err
	}
	s.audit(ctx, actor, "replied to a comment", fmt.Sprintf("comment %d", parent.ID), fmt.Sprintf("on %s, as comment %d", parent.ArticleSlug, reply.ID))
	return reply, parent, nil
}

// ForgetCommenter deletes (with remove) or anonymises every comment with
// this email address, for a data-protection request, and says how many
// there were. The audit log records the purge, not the address. Only the
// system and roles that may moderate comments may (else a *Refusal); an
// empty address is an *InputError.
func (s *Service) ForgetCommenter(ctx context.Context, actor Actor, email string, remove bool) (int, error) {
	if !actor.mayModerate() {
		return 0, refuseModeration()
	}
	if strings.TrimSpace(email) == "" {
		// The empty address is every anonymised comment's.
		return 0, &InputError{"give the commenter's email address"}
	}
	n, err := s.store.PurgeCommenter(ctx, email, remove)
	if err != nil {
		return 0, err
	}
	what := "anonymised"
	if remove {
		what = "deleted"
	}
	s.audit(ctx, actor, "purged a commenter", "", fmt.Sprintf("%s %s of one address, on request", what, nComments(n)))
	return n, nil
}

// CloseComments closes comments on the article with this slug or, when
// closed is false, opens them again. Only the system and roles that may moderate comments
// may (else a *Refusal). A missing article wraps store.ErrNotFound.
func (s *Service) CloseComments(ctx context.Context, actor Actor, slug string, closed bool) error {
	if !actor.mayModerate() {
		return refuseModeration()
	}
	if err := s.store.SetCommentsClosed(ctx, slug, closed); err != nil {
		return err
	}
	action := "opened comments"
	if closed {
		action = "closed comments"
	}
	s.audit(ctx, actor, action, slug, "")
	return nil
}
