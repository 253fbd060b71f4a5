package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// RevisionPage shows an earlier version of an article against the
// current one.
type RevisionPage struct {
	Page
	// Article and Revision are values, not pointers, so that the page's
	// zero value renders: the admin checks at start that each does.
	Article  article.Article
	Revision article.Revision
	// Diff goes from the revision's body to the current body.
	Diff           []DiffLine
	Added, Removed int
	// Changes lists the other fields that differ, as "Title: old → new".
	Changes    []string
	CanRestore bool
	Message    string
}

// revisionOf loads the article the address names (checking the user may
// edit it) and its revision {n}.
func (h *Handler) revisionOf(r *http.Request) (*article.Article, *article.Revision, error) {
	a, err := h.loadArticle(r)
	if err != nil {
		return nil, nil, err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return nil, nil, web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("%q is not a revision number.", r.PathValue("n"))}
	}
	rev, err := h.store.Revision(r.Context(), a.ID, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("This article has no revision %d.", n)}
	} else if err != nil {
		return nil, nil, err
	}
	return a, rev, nil
}

// revisionPage builds the page comparing rev with the current a.
func (h *Handler) revisionPage(r *http.Request, a *article.Article, rev *article.Revision) RevisionPage {
	p := RevisionPage{
		Page:       h.page(r, fmt.Sprintf("Revision %d: %s", rev.Number, a.Title), "articles"),
		Article:    *a,
		Revision:   *rev,
		Diff:       lineDiff(rev.Body, a.Body),
		CanRestore: mayChange(r, a),
	}
	p.Added, p.Removed = diffStats(p.Diff)
	for _, c := range []struct{ name, old, cur string }{
		{"Title", rev.Title, a.Title},
		{"Slug", rev.Slug, a.Slug},
		{"Description", rev.Description, a.Description},
		{"Status", string(rev.Status), string(a.Status)},
	} {
		if c.old != c.cur {
			p.Changes = append(p.Changes, fmt.Sprintf("%s: %q then, %q now", c.name, c.old, c.cur))
		}
	}
	return p
}

// mayChange reports whether the signed-in user may change a as it is:
// roles that cannot publish may change only drafts.
func mayChange(r *http.Request, a *article.Article) bool {
	u := currentUser(r)
	return u.CanPublishArticle(a.OwnerID) || a.Status == article.Draft
}

// articleRevision shows revision {n} of an article as a line diff
// against the current text.
func (h *Handler) articleRevision(w http.ResponseWriter, r *http.Request) error {
	a, rev, err := h.revisionOf(r)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.revision, h.revisionPage(r, a, rev))
}

// articleRestore brings revision {n} back as a new version, as `dateline
// article restore` does; the version it replaces is kept as a revision,
// so the restore can be undone too.
func (h *Handler) articleRestore(w http.ResponseWriter, r *http.Request) error {
	a, rev, err := h.revisionOf(r)
	if err != nil {
		return err
	}
	// The page showed the diff against this version; restoring over a
	// newer one would drop a change nobody saw.
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		a.Version = v
	}
	stale := *a
	restored, err := h.news.Restore(r.Context(), actorOf(r), a, rev.Number)
	var refusal *newsroom.Refusal
	var invalid *article.FieldError
	switch {
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was restored."}
	case errors.As(err, &invalid):
		p := h.revisionPage(r, &stale, rev)
		p.Message = "This revision cannot be restored: " + invalid.Msg + "."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.revision, p)
	case errors.Is(err, store.ErrConflict):
		current, lerr := h.store.ArticleByID(r.Context(), stale.ID)
		if lerr != nil {
			return lerr
		}
		p := h.revisionPage(r, current, rev)
		if current.Version != a.Version {
			p.Message = "The article was saved by someone else since you opened this page, so nothing was restored. The diff below now compares with the latest version; restore again if you still want this revision."
		} else {
			p.Message = fmt.Sprintf("Nothing was restored: the revision's slug %q is taken by another article now.", rev.Slug)
		}
		return writePage(w, r, http.StatusConflict, h.tpl.revision, p)
	case err != nil:
		return err
	}
	return redirect(w, r, editPath(restored.ID), "restored")
}
