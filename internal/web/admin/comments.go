package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// commentsPerPage is how many comments the moderation queue shows at once.
const commentsPerPage = 50

// CommentsPage is the moderation queue of one state.
type CommentsPage struct {
	Page
	State    comment.State
	Tabs     []CommentTab
	Comments []*comment.Comment
	// Parents maps a reply's parent ID to the parent's author, for "in
	// reply to".
	Parents  map[int64]string
	PageNum  int
	PrevPage string
	NextPage string
	// Actions are the bulk actions that make sense in this state.
	Actions []CommentAction
}

// CommentTab is one state of the queue, with how many comments are in it.
type CommentTab struct {
	State   comment.State
	Label   string
	Count   int
	Current bool
}

// CommentAction is a moderation decision offered by a button.
type CommentAction struct {
	Value, Label string
}

var commentStates = []struct {
	state comment.State
	label string
}{
	{comment.Pending, "Pending"},
	{comment.Approved, "Approved"},
	{comment.Spam, "Spam"},
	{comment.Trash, "Trash"},
}

// comments shows the queue of one state, pending by default.
func (h *Handler) comments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	state := comment.Pending
	if s := q.Get("state"); s != "" {
		st, err := comment.ParseState(s)
		if err != nil {
			return web.BadRequest{Message: capitalize(err.Error()) + "."}
		}
		state = st
	}
	pageNum := 1
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			return web.BadRequest{Message: fmt.Sprintf("%q is not a page number.", s)}
		}
		pageNum = n
	}
	p := CommentsPage{Page: h.page(r, "Comments", "comments"), State: state, PageNum: pageNum, Parents: map[int64]string{}}
	for _, s := range commentStates {
		n, err := h.store.CountComments(ctx, store.CommentQuery{State: s.state})
		if err != nil {
			return err
		}
		p.Tabs = append(p.Tabs, CommentTab{State: s.state, Label: s.label, Count: n, Current: s.state == state})
		if s.state != state {
			continue
		}
		from := (pageNum - 1) * commentsPerPage
		if p.Comments, err = h.store.Comments(ctx, store.CommentQuery{State: s.state, Limit: commentsPerPage, Offset: from}); err != nil {
			return err
		}
		base := "/admin/comments?state=" + string(state) + "&page="
		if pageNum > 1 {
			p.PrevPage = base + strconv.Itoa(pageNum-1)
		}
		if from+len(p.Comments) < n {
			p.NextPage = base + strconv.Itoa(pageNum+1)
		}
	}
	for _, c := range p.Comments {
		if c.ParentID == 0 {
			continue
		}
		if _, ok := p.Parents[c.ParentID]; ok {
			continue
		}
		parent, err := h.store.Comment(ctx, c.ParentID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		p.Parents[c.ParentID] = parent.Author
	}
	for _, a := range bulkActions {
		if a.state != state {
			p.Actions = append(p.Actions, CommentAction{Value: a.value, Label: a.label})
		}
	}
	p.Actions = append(p.Actions, CommentAction{Value: "delete", Label: "Delete for good"})
	return writePage(w, r, http.StatusOK, h.tpl.comments, p)
}

var bulkActions = []struct {
	value, label string
	state        comment.State
}{
	{"approve", "Approve", comment.Approved},
	{"unapprove", "Unapprove", comment.Pending},
	{"spam", "Spam", comment.Spam},
	{"trash", "Trash", comment.Trash},
}

// commentsBulk applies one decision to the comments selected. Every
// comment is looked up first, so that a missing one changes nothing.
// Approving or marking spam teaches the spam classifier, as the command
// line's moderation does.
func (h *Handler) commentsBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	action := r.PostFormValue("action")
	back := "/admin/comments"
	if st, err := comment.ParseState(r.PostFormValue("state")); err == nil {
		back += "?state=" + url.QueryEscape(string(st))
	}
	var state comment.State
	switch action {
	case "delete":
	default:
		found := false
		for _, a := range bulkActions {
			if a.value == action {
				state, found = a.state, true
			}
		}
		if !found {
			return web.BadRequest{Message: fmt.Sprintf("%q is not a moderation action: use approve, unapprove, spam, trash or delete.", action)}
		}
	}
	raw := r.PostForm["id"]
	if one := r.URL.Query().Get("one"); one != "" {
		// A row's own button acts on that comment alone.
		raw = []string{one}
	}
	if len(raw) == 0 {
		return redirect(w, r, back, "none-selected")
	}
	if len(raw) > 1000 {
		return web.BadRequest{Message: "Select at most 1,000 comments at once."}
	}
	var cs []*comment.Comment
	seen := map[int64]bool{}
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return web.BadRequest{Message: fmt.Sprintf("%q is not a comment ID. Nothing was changed.", s)}
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := h.store.Comment(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("Comment %d does not exist (it may have been deleted meanwhile). Nothing was changed.", id)}
		} else if err != nil {
			return err
		}
		cs = append(cs, c)
	}
	for _, c := range cs {
		var err error
		if action == "delete" {
			err = h.store.DeleteComment(ctx, c.ID)
		} else {
			err = h.store.ModerateComment(ctx, c.ID, state, comment.Tokens(c))
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("moderate comment %d: %w", c.ID, err)
		}
	}
	return redirect(w, r, back, "moderated")
}

// commentReply publishes the signed-in user's reply under a comment, at
// once. Replying to a pending comment approves it, as in WordPress, so
// that the reply is not shown under a comment readers cannot see.
func (h *Handler) commentReply(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return web.ErrNotFound
	}
	parent, err := h.store.Comment(ctx, id)
	if err != nil {
		return err
	}
	text := r.PostFormValue("reply")
	if !utf8.ValidString(text) {
		return web.BadRequest{Message: "The reply contains bytes that are not text (invalid UTF-8). Nothing was posted."}
	}
	text = strings.TrimSpace(comment.Clean(text, true))
	switch n := utf8.RuneCountInString(text); {
	case text == "":
		return web.BadRequest{Message: "The reply is empty. Nothing was posted."}
	case n > comment.MaxCommentLen:
		return web.BadRequest{Message: fmt.Sprintf("The reply is %d characters long; the limit is %d. Nothing was posted.", n, comment.MaxCommentLen)}
	}
	switch parent.State {
	case comment.Spam, comment.Trash:
		return web.HTTPError{Status: http.StatusConflict,
			Message: fmt.Sprintf("Comment %d is in the %s; approve it before replying. Nothing was posted.", id, parent.State)}
	case comment.Pending:
		if err := h.store.ModerateComment(ctx, id, comment.Approved, comment.Tokens(parent)); err != nil {
			return err
		}
	}
	u := currentUser(r)
	c := &comment.Comment{
		ArticleID: parent.ArticleID, ParentID: parent.ID, Author: u.Name, Email: strings.ToLower(u.Email),
		Body: text, State: comment.Approved, Reason: "reply from the newsroom",
	}
	// Replies come from the admin, not the public form: the nonce only
	// needs to be unique.
	nonce := "admin-reply:" + comment.NewCommenterKey()
	switch err := h.store.CreateComment(ctx, c, nonce, h.now().Add(time.Hour)); {
	case errors.Is(err, comment.ErrDuplicate):
		return web.HTTPError{Status: http.StatusConflict, Message: "You already posted this reply on this article."}
	case err != nil:
		return err
	}
	return redirect(w, r, "/admin/comments?state="+string(parent.State), "replied")
}
