package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// storyLeave takes the article out of the story it follows.
func (h *Handler) storyLeave(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadArticle(r)
	if err != nil {
		return err
	}
	var refusal *newsroom.Refusal
	if err := h.news.RemoveFromStory(r.Context(), actorOf(r), a); errors.As(err, &refusal) {
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	} else if err != nil {
		return err
	}
	return redirect(w, r, editPath(a.ID)+"#story", "story-left")
}

// storyJoin joins the story of the article whose slug the form names
// into this article's.
func (h *Handler) storyJoin(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadArticle(r)
	if err != nil {
		return err
	}
	slug := strings.Trim(strings.TrimSpace(r.PostFormValue("with")), "/")
	refuse := func(msg string) error {
		p, err := h.editPage(r, a, formOf(a, h.location(r.Context()), h.now()))
		if err != nil {
			return err
		}
		p.Panels = h.panels(r, a)
		p.StoryError, p.StoryWith = msg, slug
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.edit, p)
	}
	if slug == "" {
		return refuse("Give the slug of the article whose story to join.")
	}
	other, err := h.store.Article(r.Context(), slug)
	if errors.Is(err, store.ErrNotFound) {
		return refuse(fmt.Sprintf("There is no article %q: give the slug its address ends with.", slug))
	} else if err != nil {
		return err
	}
	var refusal *newsroom.Refusal
	var fe *article.FieldError
	switch err := h.news.JoinStories(r.Context(), actorOf(r), a, other); {
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	case errors.As(err, &fe):
		return refuse(upperFirst(fe.Msg) + ".")
	case err != nil:
		return err
	}
	return redirect(w, r, editPath(a.ID)+"#story", "story-joined")
}
