package admin

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// pinCandidates is how many of the newest stories the pin form offers.
const pinCandidates = 30

// FrontPagePage is the front page screen: the stories pinned to it in
// order, the form to pin another, and the newest stories that fill the
// slots the pins leave.
type FrontPagePage struct {
	Page
	Pins []PinRow
	// Candidates are the newest public stories not pinned, for the pin
	// form.
	Candidates []*article.Article
	// Fill are the stories that fill the unpinned slots, as far as the
	// newest stories go.
	Fill []PinRow
	// Full says every slot is pinned: the pin form is not offered.
	Full  bool
	Slots int
	// Error says why the pin form came back; Slug and Slot are what it
	// held.
	Error string
	Slug  string
	Slot  string
}

// PinRow is a story in one of the front page's slots.
type PinRow struct {
	*article.Article
	// Slot names the slot: "Lead", "Secondary 2".
	Slot string
	// Public says readers see it now; a pinned story that is not public
	// leaves its slot to the newest story until it is.
	Public      bool
	First, Last bool
}

// slotName names the front page's slot i (0 is the lead).
func slotName(i int) string {
	if i == 0 {
		return "Lead"
	}
	return fmt.Sprintf("Secondary %d", i)
}

func (h *Handler) frontPagePage(r *http.Request) (FrontPagePage, error) {
	ctx := r.Context()
	now := h.now()
	p := FrontPagePage{Page: h.page(r, "Front page", "front-page"), Slots: newsroom.FrontPageSlots, Slot: "next"}
	pinned, err := h.news.Pinned(ctx)
	if err != nil {
		return p, err
	}
	isPinned := map[int64]bool{}
	public := 0
	for i, a := range pinned {
		row := PinRow{Article: a, Slot: slotName(i), Public: a.IsPublic(now), First: i == 0, Last: i == len(pinned)-1}
		if row.Public {
			public++
		}
		isPinned[a.ID] = true
		p.Pins = append(p.Pins, row)
	}
	p.Full = len(pinned) >= newsroom.FrontPageSlots
	newest, err := h.store.Articles(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story, Limit: pinCandidates + len(pinned)})
	if err != nil {
		return p, err
	}
	for _, a := range newest {
		if !isPinned[a.ID] && len(p.Candidates) < pinCandidates {
			p.Candidates = append(p.Candidates, a)
		}
	}
	for i, a := range p.Candidates {
		if public+i >= newsroom.FrontPageSlots {
			break
		}
		p.Fill = append(p.Fill, PinRow{Article: a, Slot: slotName(public + i), Public: true})
	}
	return p, nil
}

// frontPage shows the front page screen.
func (h *Handler) frontPage(w http.ResponseWriter, r *http.Request) error {
	p, err := h.frontPagePage(r)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.frontPage, p)
}

// frontPagePin pins the posted story to the lead slot, or to the next
// free one. A story pinned already and posted for the next free slot
// stays where it is (the editor's button posts that).
func (h *Handler) frontPagePin(w http.ResponseWriter, r *http.Request) error {
	slug, slot := strings.TrimSpace(r.PostFormValue("slug")), r.PostFormValue("slot")
	refuse := func(msg string) error {
		p, err := h.frontPagePage(r)
		if err != nil {
			return err
		}
		p.Error, p.Slug, p.Slot = msg, slug, slot
		p.Flash = "Nothing was pinned."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.frontPage, p)
	}
	var at int
	switch slot {
	case "lead":
		at = 0
	case "next":
		at = newsroom.FrontPageSlots
	default:
		return refuse("Choose the lead slot or the next free one.")
	}
	if slug == "" {
		return refuse("Choose a story to pin.")
	}
	if slot == "next" {
		pinned, err := h.news.Pinned(r.Context())
		if err != nil {
			return err
		}
		if slices.ContainsFunc(pinned, func(a *article.Article) bool { return a.Slug == slug }) {
			return redirect(w, r, "/admin/front-page", "was-pinned")
		}
	}
	err := h.news.Pin(r.Context(), actorOf(r), slug, at)
	var field *article.FieldError
	switch {
	case errors.As(err, &field):
		return refuse(upperFirst(field.Msg) + ".")
	case errors.Is(err, store.ErrNotFound):
		return refuse(fmt.Sprintf("There is no story %q.", slug))
	case err != nil:
		return arrangeError(err)
	}
	return redirect(w, r, "/admin/front-page", "pinned")
}

// frontPageUnpin takes the posted story off the front page.
func (h *Handler) frontPageUnpin(w http.ResponseWriter, r *http.Request) error {
	slug := r.PostFormValue("slug")
	if err := h.news.Unpin(r.Context(), actorOf(r), slug); err != nil {
		return notPinned(slug, err)
	}
	return redirect(w, r, "/admin/front-page", "unpinned")
}

// frontPageMove moves the posted story one slot up (towards the lead) or
// down: the buttons that work without a script.
func (h *Handler) frontPageMove(w http.ResponseWriter, r *http.Request) error {
	slug := r.PostFormValue("slug")
	var delta int
	switch r.PostFormValue("dir") {
	case "up":
		delta = -1
	case "down":
		delta = 1
	default:
		return web.BadRequest{Message: "Move a story up or down. Nothing was moved."}
	}
	if err := h.news.MovePin(r.Context(), actorOf(r), slug, delta); err != nil {
		return notPinned(slug, err)
	}
	return redirect(w, r, "/admin/front-page", "saved")
}

// frontPageOrder puts the pinned stories in the posted order, which names
// each once: what front_page.js posts after a drag.
func (h *Handler) frontPageOrder(w http.ResponseWriter, r *http.Request) error {
	err := h.news.OrderPins(r.Context(), actorOf(r), r.PostForm["slug"])
	switch {
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
		return web.HTTPError{Status: http.StatusConflict,
			Message: "The pinned stories changed while you arranged them: nothing was moved. Open the front page screen again and arrange them there."}
	case err != nil:
		return arrangeError(err)
	}
	return redirect(w, r, "/admin/front-page", "saved")
}

// notPinned words the refusal of a change to the pin of slug.
func notPinned(slug string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return web.HTTPError{Status: http.StatusNotFound,
			Message: fmt.Sprintf("The story %q is not pinned to the front page (any more): nothing was changed.", slug)}
	}
	return arrangeError(err)
}

// arrangeError words the newsroom's refusal to arrange the site for the
// admin; other errors pass unchanged.
func arrangeError(err error) error {
	var refusal *newsroom.Refusal
	if errors.As(err, &refusal) {
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	}
	return err
}
