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

// SectionsPage lists the newspaper's sections in order, each with its
// forms to move, edit and delete it, and a form to add one.
type SectionsPage struct {
	Page
	Rows []SectionRow
	// New is the add form, as typed when it was refused.
	New SectionForm
	// Message says why the page came back, when it did.
	Message string
}

// SectionRow is one section of the list with its edit and delete forms.
type SectionRow struct {
	article.Section
	// Edit is the edit form: the stored fields, or as typed when the
	// edit was refused (then Edit.Errors is set and the form shows open).
	Edit SectionForm
	// MoveTo are the sections its articles may move to: the others.
	MoveTo []article.Section
	// DeleteError says why a delete was refused.
	DeleteError string
	First, Last bool
}

// SectionForm is a section's add or edit form as typed, with messages
// by field ("name", "slug", "description").
type SectionForm struct {
	Name, Slug, Description string
	Errors                  map[string]string
}

func sectionFormOf(se article.Section) SectionForm {
	return SectionForm{Name: se.Name, Slug: se.Slug, Description: se.Description}
}

func parseSectionForm(r *http.Request) SectionForm {
	return SectionForm{
		Name:        r.PostFormValue("name"),
		Slug:        strings.TrimSpace(r.PostFormValue("slug")),
		Description: r.PostFormValue("description"),
	}
}

func (f SectionForm) section() article.Section {
	return article.Section{Name: f.Name, Slug: f.Slug, Description: f.Description}
}

// sectionsPage lists the sections as stored, with empty forms.
func (h *Handler) sectionsPage(r *http.Request) (SectionsPage, error) {
	ss, err := h.news.Sections(r.Context())
	if err != nil {
		return SectionsPage{}, err
	}
	p := SectionsPage{Page: h.page(r, "Sections", "sections"), Rows: make([]SectionRow, len(ss))}
	for i, se := range ss {
		row := SectionRow{Section: se, Edit: sectionFormOf(se), First: i == 0, Last: i == len(ss)-1}
		for _, other := range ss {
			if other.ID != se.ID {
				row.MoveTo = append(row.MoveTo, other)
			}
		}
		p.Rows[i] = row
	}
	return p, nil
}

// row returns the row of the section with the given slug, nil when it
// is gone.
func (p *SectionsPage) row(slug string) *SectionRow {
	for i := range p.Rows {
		if p.Rows[i].Slug == slug {
			return &p.Rows[i]
		}
	}
	return nil
}

func (h *Handler) sections(w http.ResponseWriter, r *http.Request) error {
	p, err := h.sectionsPage(r)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.sections, p)
}

// sectionAdd adds a section, last in order.
func (h *Handler) sectionAdd(w http.ResponseWriter, r *http.Request) error {
	f := parseSectionForm(r)
	se := f.section()
	err := h.news.AddSection(r.Context(), actorOf(r), &se)
	if err == nil {
		return redirect(w, r, "/admin/sections", "section-added")
	}
	status, errs, err := sectionFieldErrors(err)
	if err != nil {
		return err
	}
	p, err := h.sectionsPage(r)
	if err != nil {
		return err
	}
	f.Errors = errs
	p.New = f
	p.Message = "The section was not added: see the messages below."
	return writePage(w, r, status, h.tpl.sections, p)
}

// sectionEdit changes a section's name, slug and description. A new slug
// sends readers of the old front page to the new one.
func (h *Handler) sectionEdit(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	f := parseSectionForm(r)
	_, err := h.news.EditSection(r.Context(), actorOf(r), slug, f.section())
	if err == nil {
		return redirect(w, r, "/admin/sections", "saved")
	}
	if errors.Is(err, store.ErrNotFound) {
		return noSuchSection(slug)
	}
	status, errs, err := sectionFieldErrors(err)
	if err != nil {
		return err
	}
	p, err := h.sectionsPage(r)
	if err != nil {
		return err
	}
	row := p.row(slug)
	if row == nil {
		return noSuchSection(slug)
	}
	f.Errors = errs
	row.Edit = f
	p.Message = fmt.Sprintf("The section %s was not changed: see the messages below.", row.Name)
	return writePage(w, r, status, h.tpl.sections, p)
}

// sectionMove moves a section one place up or down the order.
func (h *Handler) sectionMove(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	var delta int
	switch r.PostFormValue("direction") {
	case "up":
		delta = -1
	case "down":
		delta = 1
	default:
		return web.BadRequest{Message: "Move the section up or down, with the buttons. Nothing was changed."}
	}
	err := h.news.MoveSection(r.Context(), actorOf(r), slug, delta)
	var refusal *newsroom.Refusal
	switch {
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	case errors.Is(err, store.ErrNotFound):
		return noSuchSection(slug)
	case errors.Is(err, store.ErrConflict):
		// Someone added or deleted a section meanwhile.
		return web.HTTPError{Status: http.StatusConflict,
			Message: "The sections changed while you were arranging them, so nothing was moved. Reload the page and try again."}
	case err != nil:
		return err
	}
	return redirect(w, r, "/admin/sections", "section-moved")
}

// sectionDelete deletes a section, first moving its articles to the
// section the form names. A section with articles and none named is
// refused, with their count beside its delete button.
func (h *Handler) sectionDelete(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	moveTo := strings.TrimSpace(r.PostFormValue("move_to"))
	err := h.news.RemoveSection(r.Context(), actorOf(r), slug, moveTo)
	var refusal *newsroom.Refusal
	switch {
	case err == nil:
		return redirect(w, r, "/admin/sections", "deleted")
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was deleted."}
	case !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict):
		return err
	}
	p, perr := h.sectionsPage(r)
	if perr != nil {
		return perr
	}
	row := p.row(slug)
	if row == nil {
		return noSuchSection(slug)
	}
	status := http.StatusConflict
	if errors.Is(err, store.ErrNotFound) {
		// The section is there, so the one to move to is not.
		row.DeleteError = fmt.Sprintf("There is no section %q to move the articles to: choose another.", moveTo)
	} else {
		row.DeleteError = upperFirst(storeReason(err, store.ErrConflict)) + "."
	}
	p.Message = "Nothing was deleted. " + row.DeleteError
	return writePage(w, r, status, h.tpl.sections, p)
}

// sectionFieldErrors words the newsroom's refusal of a section's fields
// by field, with the status to answer: a field that does not validate,
// or a slug another section or an article has. Any other error is
// returned as it is.
func sectionFieldErrors(err error) (int, map[string]string, error) {
	var fe *article.FieldError
	var refusal *newsroom.Refusal
	switch {
	case errors.As(err, &fe):
		return http.StatusUnprocessableEntity, map[string]string{fe.Field: upperFirst(fe.Msg) + "."}, nil
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, map[string]string{"slug": upperFirst(storeReason(err, store.ErrConflict)) + ": choose another."}, nil
	case errors.As(err, &refusal):
		return 0, nil, web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was changed."}
	}
	return 0, nil, err
}

// storeReason is the store's own words after the sentinel it wraps
// ("conflict: section "x" has 3 articles; …"), without the operation
// that it names first.
func storeReason(err, sentinel error) string {
	msg := err.Error()
	if _, reason, ok := strings.Cut(msg, sentinel.Error()+": "); ok {
		return reason
	}
	return msg
}

func noSuchSection(slug string) error {
	return web.HTTPError{Status: http.StatusNotFound,
		Message: fmt.Sprintf("There is no section %q: it may have been renamed or deleted meanwhile. Nothing was changed.", slug)}
}
