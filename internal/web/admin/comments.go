package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// commentsPerPage is how many comments the moderation queue shows at once.
const commentsPerPage = 50

// CommentsPage is the moderation queue of one state.
type CommentsPage struct {
	Page
	State    comment.State
	Query    string // words of the text, a name or an email searched for
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
	p := CommentsPage{Page: h.page(r, "Comments", "comments"), State: state, Query: strings.TrimSpace(q.Get("q")), PageNum: pageNum, Parents: map[int64]string{}}
	for _, s := range commentStates {
		n, err := h.store.CountComments(ctx, store.CommentQuery{State: s.state, Text: p.Query})
		if err != nil {
			return err
		}
		p.Tabs = append(p.Tabs, CommentTab{State: s.state, Label: s.label, Count: n, Current: s.state == state})
		if s.state != state {
			continue
		}
		from := (pageNum - 1) * commentsPerPage
		if p.Comments, err = h.store.Comments(ctx, store.CommentQuery{State: s.state, Text: p.Query, Limit: commentsPerPage, Offset: from}); err != nil {
			return err
		}
		base := "/admin/comments?state=" + string(state) + "&page="
		if p.Query != "" {
			base = "/admin/comments?state=" + string(state) + "&q=" + url.QueryEscape(p.Query) + "&page="
		}
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
		if st, ok := a.m.State(); !ok || st != state {
			p.Actions = append(p.Actions, CommentAction{Value: string(a.m), Label: a.label})
		}
	}
	return writePage(w, r, http.StatusOK, h.tpl.comments, p)
}

// bulkActions are the moderation queue's buttons. Each state's queue
// leaves out the one that would put its comments where they are.
var bulkActions = []struct {
	m     newsroom.Moderation
	label string
}{
	{newsroom.Approve, "Approve"},
	{newsroom.Unapprove, "Unapprove"},
	{newsroom.MarkSpam, "Spam"},
	{newsroom.MoveToTrash, "Trash"},
	{newsroom.DeleteForGood, "Delete for good"},
}

// commentsBulk applies one decision to the comments selected, in one
// transaction: a missing one changes nothing.
func (h *Handler) commentsBulk(w http.ResponseWriter, r *http.Request) error {
	action := newsroom.Moderation(r.PostFormValue("action"))
	back := "/admin/comments"
	if st, err := comment.ParseState(r.PostFormValue("state")); err == nil {
		back += "?state=" + url.QueryEscape(string(st))
	}
	if !action.Valid() {
		return web.BadRequest{Message: fmt.Sprintf("%q is not a moderation action: use approve, unapprove, spam, trash or delete.", action)}
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
	ids := make([]int64, 0, len(raw))
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return web.BadRequest{Message: fmt.Sprintf("%q is not a comment ID. Nothing was changed.", s)}
		}
		ids = append(ids, id)
	}
	var refusal *newsroom.Refusal
	var missing *newsroom.MissingCommentError
	switch err := h.news.Moderate(r.Context(), actorOf(r), action, ids); {
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	case errors.As(err, &missing):
		return web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("Comment %d does not exist (it may have been deleted meanwhile). Nothing was changed.", missing.ID)}
	case errors.Is(err, store.ErrNotFound):
		return web.HTTPError{Status: http.StatusNotFound, Message: "A comment selected was deleted meanwhile. Nothing was changed."}
	case err != nil:
		return err
	}
	return redirect(w, r, back, "moderated")
}

// commentReply publishes the signed-in user's reply under a comment, at
// once; replying to a pending comment approves it (see newsroom's Reply).
func (h *Handler) commentReply(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return web.ErrNotFound
	}
	_, parent, err := h.news.Reply(r.Context(), actorOf(r), id, r.PostFormValue("reply"))
	var refusal *newsroom.Refusal
	var invalid *newsroom.InputError
	var hidden *newsroom.HiddenCommentError
	switch {
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was posted."}
	case errors.As(err, &invalid):
		return web.BadRequest{Message: capitalize(invalid.Msg) + ". Nothing was posted."}
	case errors.As(err, &hidden):
		return web.HTTPError{Status: http.StatusConflict, Message: capitalize(hidden.Error()) + ". Nothing was posted."}
	case errors.Is(err, comment.ErrDuplicate):
		return web.HTTPError{Status: http.StatusConflict, Message: "You already posted this reply on this article."}
	case err != nil:
		return err
	}
	return redirect(w, r, "/admin/comments?state="+string(parent.State), "replied")
}
