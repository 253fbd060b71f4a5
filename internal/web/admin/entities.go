package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// entitiesPerPage is the length of a page of the entity list.
const entitiesPerPage = 50

// entityArticles is how many of an entity's newest articles its page
// lists.
const entityArticles = 50

// EntityFilter is what the entity list is narrowed to, as typed.
type EntityFilter struct {
	Kind string // person, organisation, place or empty for all
	Q    string // a name, or part of one
}

// query returns the list's address for page n with the same filter.
func (f EntityFilter) query(n int) string {
	v := url.Values{}
	if f.Kind != "" {
		v.Set("kind", f.Kind)
	}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/admin/entities"
	}
	return "/admin/entities?" + v.Encode()
}

// EntitiesPage lists the people, organisations and places the articles
// name, most named first.
type EntitiesPage struct {
	Page
	Filter   EntityFilter
	Kinds    []entity.Kind
	Entities []entity.Entity
	PageNum  int
	PrevURL  string
	NextURL  string
}

// entityKinds are the kinds in the order the filter offers them.
var entityKinds = []entity.Kind{entity.Person, entity.Organisation, entity.PlaceKind}

// entities lists the entities, filtered by kind and name, a page at a
// time.
func (h *Handler) entities(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := EntityFilter{Kind: strings.TrimSpace(q.Get("kind")), Q: strings.TrimSpace(q.Get("q"))}
	eq := store.EntityQuery{Name: f.Q, Limit: entitiesPerPage + 1}
	if f.Kind != "" {
		kind, ok := entity.ParseKind(f.Kind)
		if !ok {
			return web.BadRequest{Message: fmt.Sprintf("Filter: %q is not a kind; the kinds are person, organisation and place.", f.Kind)}
		}
		f.Kind, eq.Kind = string(kind), kind
	}
	n := 1
	if s := q.Get("page"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			return web.BadRequest{Message: fmt.Sprintf("Page: %q is not a page number.", s)}
		}
	}
	eq.Offset = (n - 1) * entitiesPerPage
	es, err := h.news.Entities(r.Context(), eq)
	if err != nil {
		return err
	}
	p := EntitiesPage{Page: h.page(r, "Entities", "entities"), Filter: f, Kinds: entityKinds, PageNum: n}
	if len(es) > entitiesPerPage {
		es, p.NextURL = es[:entitiesPerPage], f.query(n+1)
	}
	if n > 1 {
		p.PrevURL = f.query(n - 1)
	}
	p.Entities = es
	return writePage(w, r, http.StatusOK, h.tpl.entities, p)
}

// EntityPage is one entity: its names, its articles, and the forms that
// rename, describe, ban, merge and split it.
type EntityPage struct {
	Page
	Entity    *entity.Entity
	Aliases   []entity.Alias
	Articles  []*article.Article
	TopicPath string
	// Form is the edit form as typed when it was refused; Into the merge
	// form's slug.
	Form  EntityForm
	Into  string
	Split string // the alias key chosen to split off, when refused
	// Errors are messages by field: "name", "description", "into",
	// "split".
	Errors  map[string]string
	Message string
}

// EntityForm is an entity's edit form.
type EntityForm struct{ Name, Description string }

// entityPage reads the entity of the address's slug for its page.
func (h *Handler) entityPage(r *http.Request) (EntityPage, error) {
	e, aliases, err := h.news.Entity(r.Context(), r.PathValue("slug"))
	if errors.Is(err, store.ErrNotFound) {
		return EntityPage{}, web.HTTPError{Status: http.StatusNotFound,
			Message: fmt.Sprintf("There is no entity %q: it may have been merged into another. Find it in the list.", r.PathValue("slug"))}
	} else if err != nil {
		return EntityPage{}, err
	}
	as, err := h.store.Articles(r.Context(), store.ArticleQuery{EntityID: e.ID, Limit: entityArticles})
	if err != nil {
		return EntityPage{}, err
	}
	return EntityPage{
		Page: h.page(r, e.Name, "entities"), Entity: e, Aliases: aliases, Articles: as,
		TopicPath: urls.Topic(e.Slug), Form: EntityForm{Name: e.Name, Description: e.Description},
	}, nil
}

func (h *Handler) entityShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.entityPage(r)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.entity, p)
}

// entityEdit renames and describes an entity.
func (h *Handler) entityEdit(w http.ResponseWriter, r *http.Request) error {
	f := EntityForm{Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	_, err := h.news.EditEntity(r.Context(), actorOf(r), r.PathValue("slug"), newsroom.EntityChange{Name: &f.Name, Description: &f.Description})
	if err == nil {
		return redirect(w, r, entityPath(r.PathValue("slug")), "saved")
	}
	return h.entityRefused(w, r, err, func(p *EntityPage) { p.Form = f })
}

// entityBan bans an entity (banned=1) or lets it back (banned=0).
func (h *Handler) entityBan(w http.ResponseWriter, r *http.Request) error {
	var banned bool
	switch r.PostFormValue("banned") {
	case "1":
		banned = true
	case "0":
	default:
		return web.BadRequest{Message: "Banned: give 1 to ban the entity or 0 to let it back."}
	}
	_, err := h.news.EditEntity(r.Context(), actorOf(r), r.PathValue("slug"), newsroom.EntityChange{Banned: &banned})
	if err == nil {
		return redirect(w, r, entityPath(r.PathValue("slug")), map[bool]string{true: "entity-banned", false: "entity-let-back"}[banned])
	}
	return h.entityRefused(w, r, err, nil)
}

// entityMerge merges the entity into the one whose slug the form names,
// and goes to that one.
func (h *Handler) entityMerge(w http.ResponseWriter, r *http.Request) error {
	into := strings.Trim(strings.TrimSpace(r.PostFormValue("into")), "/")
	if into == "" {
		return h.entityRefused(w, r, &article.FieldError{Field: "into", Msg: "give the slug of the entity to merge it into"}, nil)
	}
	merged, err := h.news.MergeEntities(r.Context(), actorOf(r), r.PathValue("slug"), into)
	if err == nil {
		return redirect(w, r, entityPath(merged.Slug), "entity-merged")
	}
	if errors.Is(err, store.ErrNotFound) {
		// The entity itself exists (entityRefused checks), so the
		// missing one is the target.
		err = &article.FieldError{Field: "into", Msg: fmt.Sprintf("there is no entity %q: give the slug its page's address ends with", into)}
	}
	return h.entityRefused(w, r, err, func(p *EntityPage) { p.Into = into })
}

// entitySplit gives one of the entity's names an entity of its own, and
// goes to that one.
func (h *Handler) entitySplit(w http.ResponseWriter, r *http.Request) error {
	key := r.PostFormValue("key")
	if key == "" {
		return h.entityRefused(w, r, &article.FieldError{Field: "split", Msg: "choose the name to split off"}, nil)
	}
	own, err := h.news.SplitEntity(r.Context(), actorOf(r), r.PathValue("slug"), key)
	if err == nil {
		return redirect(w, r, entityPath(own.Slug), "entity-split")
	}
	var fe *article.FieldError
	if errors.As(err, &fe) && fe.Field == "name" {
		// The split form's own message, not the rename form's.
		err = &article.FieldError{Field: "split", Msg: fe.Msg}
	}
	return h.entityRefused(w, r, err, func(p *EntityPage) { p.Split = key })
}

// entityRefused shows the entity's page again with the reason a change
// was refused beside its field, after keep puts back what was typed; an
// error that is not the editor's to fix is returned as it is.
func (h *Handler) entityRefused(w http.ResponseWriter, r *http.Request, err error, keep func(*EntityPage)) error {
	var fe *article.FieldError
	var refusal *newsroom.Refusal
	switch {
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	case !errors.As(err, &fe):
		if errors.Is(err, store.ErrNotFound) {
			_, perr := h.entityPage(r) // the entity itself is gone: its own message
			if perr != nil {
				return perr
			}
		}
		return err
	}
	p, perr := h.entityPage(r)
	if perr != nil {
		return perr
	}
	if keep != nil {
		keep(&p)
	}
	p.Errors = map[string]string{fe.Field: upperFirst(fe.Msg) + "."}
	p.Message = "Nothing was changed: see the message below."
	return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.entity, p)
}

// entityPath is the admin's address of an entity.
func entityPath(slug string) string { return "/admin/entities/" + url.PathEscape(slug) }
