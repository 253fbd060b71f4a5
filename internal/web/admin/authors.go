package admin

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// authorPhotoChoices is how many of the library's latest ready images the
// profile form offers as the author's photo (besides the current one).
const authorPhotoChoices = 48

// AuthorsPage lists the site's authors, each linking to their profile
// form.
type AuthorsPage struct {
	Page
	Authors []AuthorRow
}

// AuthorRow is one author of the list.
type AuthorRow struct {
	*article.Author
	RoleTitle string
	Articles  int // every article credited to them, whatever its status
}

// AuthorPage is the form of one author's profile, as stored or as typed
// when it did not validate.
type AuthorPage struct {
	Page
	// Slug is the author's, for the form's address and their public page.
	Slug string
	Form AuthorForm
	// Photos are the library's ready images to choose the photo from.
	Photos []PhotoChoice
	Errors map[string]string
}

// AuthorForm is the profile form's fields.
type AuthorForm struct {
	Name, RoleTitle, Bio string
	Photo                int64 // 0 for none
	// Links are the link rows: the profile's links, then an empty row to
	// add one.
	Links []article.Link
}

// PhotoChoice is one image the author's photo may be.
type PhotoChoice struct {
	ID       int64
	Alt      string
	Thumb    template.HTML
	Selected bool
}

func (h *Handler) authors(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	as, err := h.news.Authors(ctx)
	if err != nil {
		return err
	}
	p := AuthorsPage{Page: h.page(r, "Authors", "authors")}
	for _, au := range as {
		row := AuthorRow{Author: au}
		if au.Profile != nil {
			row.RoleTitle = au.Profile.RoleTitle
		}
		// One count an author: a newsroom has tens of them.
		if row.Articles, err = h.store.CountArticles(ctx, store.ArticleQuery{AuthorSlug: au.Slug}); err != nil {
			return err
		}
		p.Authors = append(p.Authors, row)
	}
	return writePage(w, r, http.StatusOK, h.tpl.authors, p)
}

// pathAuthor loads the author whose slug the path names.
func (h *Handler) pathAuthor(r *http.Request) (*article.Author, error) {
	slug := r.PathValue("slug")
	au, err := h.store.Author(r.Context(), slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("There is no author %q.", slug)}
	}
	return au, err
}

func (h *Handler) authorForm(w http.ResponseWriter, r *http.Request) error {
	au, err := h.pathAuthor(r)
	if err != nil {
		return err
	}
	f := AuthorForm{Name: au.Name, Bio: au.Bio}
	if pr := au.Profile; pr != nil {
		f.RoleTitle, f.Photo, f.Links = pr.RoleTitle, pr.PhotoMediaID, pr.Links
	}
	return h.writeAuthorPage(w, r, http.StatusOK, au, f, nil)
}

// authorSave saves the posted profile through the newsroom. The form's
// "add_link" button shows the form again with one more empty link row,
// saving nothing; a link row whose "remove" box is ticked, or with both
// fields empty, is left out.
func (h *Handler) authorSave(w http.ResponseWriter, r *http.Request) error {
	au, err := h.pathAuthor(r)
	if err != nil {
		return err
	}
	f, errs := parseAuthorForm(r)
	if r.PostFormValue("add_link") != "" {
		f.Links = append(f.Links, article.Link{})
		return h.writeAuthorPage(w, r, http.StatusOK, au, f, errs)
	}
	if len(errs) == 0 {
		change := article.Author{Name: f.Name, Bio: f.Bio,
			Profile: &article.Profile{PhotoMediaID: f.Photo, RoleTitle: f.RoleTitle, Links: f.Links}}
		_, err = h.news.EditAuthor(r.Context(), actorOf(r), au.Slug, change)
		var invalid *article.FieldError
		var refusal *newsroom.Refusal
		switch {
		case errors.As(err, &invalid):
			errs = map[string]string{invalid.Field: upperFirst(invalid.Msg) + "."}
		case errors.As(err, &refusal):
			return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was saved."}
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		return h.writeAuthorPage(w, r, http.StatusUnprocessableEntity, au, f, errs)
	}
	return redirect(w, r, "/admin/authors/"+au.Slug, "saved")
}

// parseAuthorForm reads the profile form as typed, with the faults it
// can see before the newsroom checks it.
func parseAuthorForm(r *http.Request) (AuthorForm, map[string]string) {
	errs := map[string]string{}
	f := AuthorForm{Name: r.PostFormValue("name"), RoleTitle: r.PostFormValue("role_title"), Bio: r.PostFormValue("bio")}
	if s := strings.TrimSpace(r.PostFormValue("photo")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			errs["photo"] = fmt.Sprintf("%q is not an image of the library.", s)
		}
		f.Photo = id
	}
	labels, addresses := r.PostForm["link_label"], r.PostForm["link_url"]
	removed := map[string]bool{}
	for _, i := range r.PostForm["link_remove"] {
		removed[i] = true
	}
	for i := range max(len(labels), len(addresses)) {
		var l article.Link
		if i < len(labels) {
			l.Label = labels[i]
		}
		if i < len(addresses) {
			l.URL = addresses[i]
		}
		if removed[strconv.Itoa(i)] || strings.TrimSpace(l.Label) == "" && strings.TrimSpace(l.URL) == "" {
			continue
		}
		f.Links = append(f.Links, l)
	}
	return f, errs
}

// writeAuthorPage shows the profile form of au with f and its errors,
// and an empty link row to add one.
func (h *Handler) writeAuthorPage(w http.ResponseWriter, r *http.Request, status int, au *article.Author, f AuthorForm, errs map[string]string) error {
	p := AuthorPage{Page: h.page(r, au.Name, "authors"), Slug: au.Slug, Form: f, Errors: errs}
	p.Form.Links = append(f.Links[:len(f.Links):len(f.Links)], article.Link{})
	if len(errs) > 0 {
		p.Flash = "Nothing was saved. Please correct the fields marked below."
	}
	var err error
	if p.Photos, err = h.photoChoices(r, f.Photo); err != nil {
		return err
	}
	return writePage(w, r, status, h.tpl.author, p)
}

// photoChoices are the latest ready images of the library, and the
// current image when it is not among them (in any state).
func (h *Handler) photoChoices(r *http.Request, current int64) ([]PhotoChoice, error) {
	ctx := r.Context()
	items, err := h.store.MediaItems(ctx, store.MediaQuery{State: media.Ready, Limit: authorPhotoChoices})
	if err != nil {
		return nil, err
	}
	found := current == 0
	for _, it := range items {
		found = found || it.ID == current
	}
	if !found {
		// Offered whatever its state, so that saving the form keeps it.
		switch it, err := h.store.MediaItem(ctx, current); {
		case err == nil:
			items = append([]*media.Item{it}, items...)
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	var out []PhotoChoice
	for _, it := range items {
		c := PhotoChoice{ID: it.ID, Alt: it.Alt, Selected: it.ID == current}
		if it.State == media.Ready {
			c.Thumb = template.HTML(render.Thumbnail(it, false)) // escaped by render
		}
		out = append(out, c)
	}
	return out, nil
}
