package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// Admin addresses of an article use its numeric ID as {id}, which a
// rename does not change and an imported slug cannot clash with. The key
// "new", not a number, names the new-article form instead.
const newKey = "new"

// dateTimeLayout is how an <input type="datetime-local"> sends a time.
const dateTimeLayout = "2006-01-02T15:04"

// editPath is the editor's address for the article with the given ID.
func editPath(id int64) string { return "/admin/articles/" + strconv.FormatInt(id, 10) }

// pathID returns the article ID the address names in {id}, written as
// editPath writes it; ok is false for anything else ("new", "x", "0",
// "007", "+7").
func pathID(r *http.Request) (id int64, ok bool) {
	key := r.PathValue("id")
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != key {
		return 0, false
	}
	return id, true
}

// ArticleForm is the editor's form as typed. It is kept whole, so that a
// refused save shows the author their own text again.
type ArticleForm struct {
	ID             int64 // 0 for an article not saved yet
	Version        int   // the stored version the edit started from
	Title          string
	Slug           string
	Description    string
	Body           string
	Tags           string // comma-separated names
	FocusKeyphrase string
	SEOTitle       string // empty for the headline
	FeaturedImage  string // the library image's ID as typed; empty for none
	Section        string // the section's slug; empty keeps the stored one (a new article: the first)
	Kind           string // article, page, about or contact; empty keeps the stored one
	Author         string // the author's slug, noAuthor for none; empty keeps the stored one
	NewAuthor      string // a new author's name, credited instead of Author when given
	UpdateNote     string // a correction or update note to append, for a published article
	Status         string // draft, scheduled or published
	PublishAt      string // dateTimeLayout, in the site's time zone
}

// formOf fills the form from a stored article. A scheduled article whose
// time has come shows as published, as readers see it.
func formOf(a *article.Article, loc *time.Location, now time.Time) ArticleForm {
	f := ArticleForm{
		ID: a.ID, Version: a.Version, Title: a.Title, Slug: a.Slug, Description: a.Description,
		Body: a.Body, FocusKeyphrase: a.FocusKeyphrase, SEOTitle: a.SEOTitle, Status: string(a.Status),
	}
	if a.FeaturedMediaID != 0 {
		f.FeaturedImage = strconv.FormatInt(a.FeaturedMediaID, 10)
	}
	if a.Section != nil {
		f.Section = a.Section.Slug
	}
	f.Kind, f.Author = string(a.Kind), noAuthor
	if a.Author != nil {
		f.Author = a.Author.Slug
	}
	if a.IsPublic(now) {
		f.Status = string(article.Published)
	}
	names := make([]string, 0, len(a.Tags))
	for _, t := range a.Tags {
		names = append(names, t.Name)
	}
	f.Tags = strings.Join(names, ", ")
	if !a.PublishedAt.IsZero() {
		f.PublishAt = a.PublishedAt.In(loc).Format(dateTimeLayout)
	}
	return f
}

// parseArticleForm reads the editor's fields from a parsed form.
func parseArticleForm(r *http.Request) ArticleForm {
	f := ArticleForm{
		Title:          r.PostFormValue("title"),
		Slug:           strings.TrimSpace(r.PostFormValue("slug")),
		Description:    r.PostFormValue("description"),
		Body:           strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"),
		Tags:           r.PostFormValue("tags"),
		FocusKeyphrase: strings.Join(strings.Fields(r.PostFormValue("focus_keyphrase")), " "),
		SEOTitle:       strings.TrimSpace(r.PostFormValue("seo_title")),
		FeaturedImage:  strings.TrimSpace(r.PostFormValue("featured_image")),
		Section:        strings.TrimSpace(r.PostFormValue("section")),
		Kind:           strings.TrimSpace(r.PostFormValue("kind")),
		Author:         strings.TrimSpace(r.PostFormValue("author")),
		NewAuthor:      strings.TrimSpace(r.PostFormValue("new_author")),
		UpdateNote:     strings.TrimSpace(r.PostFormValue("update_note")),
		Status:         strings.TrimSpace(r.PostFormValue("status")),
		PublishAt:      strings.TrimSpace(r.PostFormValue("publish_at")),
	}
	// A suggestion accepted without the editor's script comes as the
	// button that submitted the form: it adds to what was typed.
	if tag := strings.TrimSpace(r.PostFormValue("accept_tag")); tag != "" && !hasTag(f.Tags, tag) {
		if strings.TrimSpace(f.Tags) != "" {
			f.Tags += ", "
		}
		f.Tags += tag
	}
	if section := strings.TrimSpace(r.PostFormValue("accept_section")); section != "" {
		f.Section = section
	}
	f.ID, _ = strconv.ParseInt(r.PostFormValue("article_id"), 10, 64)
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if f.Status == "" {
		f.Status = string(article.Draft)
	}
	return f
}

// hasTag says whether the comma-separated tags hold name, whatever its
// case.
func hasTag(tags, name string) bool {
	for _, t := range strings.Split(tags, ",") {
		if strings.EqualFold(strings.TrimSpace(t), name) {
			return true
		}
	}
	return false
}

// noAuthor is the Author of a form that credits nobody.
const noAuthor = "-"

// FieldErrors are messages about the form, by field name ("title",
// "slug", "description", "body", "tags", "focus_keyphrase", "seo_title", "section",
// "kind", "author", "updates", "status", "publish_at"), for the person
// who typed it.
type FieldErrors map[string]string

// apply writes the form onto a, an article stored or new, and says what is
// wrong with it, by field. loc is the time zone the date was typed in.
func (f ArticleForm) apply(a *article.Article, loc *time.Location, now time.Time) FieldErrors {
	errs := FieldErrors{}
	a.Title = f.Title
	a.Description = f.Description
	a.Body = f.Body
	a.FocusKeyphrase = f.FocusKeyphrase
	a.SEOTitle = f.SEOTitle
	a.Tags = article.TagsFromNames(strings.Split(f.Tags, ",")...)
	a.Slug = f.Slug
	// A form without the field (a site without sections, or a page
	// loaded before the first was added) leaves the article where it is;
	// the newsroom finds the section by its slug.
	if f.Section != "" {
		a.Section = &article.Section{Slug: f.Section}
	}
	if f.Kind != "" {
		kind, err := article.ParseKind(f.Kind)
		if err != nil {
			errs["kind"] = upperFirst(err.Error()) + "."
		}
		a.Kind = kind
	}
	switch {
	case f.NewAuthor != "":
		a.Author = &article.Author{Name: f.NewAuthor}
	case f.Author == noAuthor:
		a.Author = nil
	case f.Author != "":
		// The newsroom credits the author with that slug as stored.
		a.Author = &article.Author{Slug: f.Author}
	}
	if f.UpdateNote != "" {
		a.Updates = append(append([]article.Update(nil), a.Updates...), article.Update{At: now.UTC(), Text: f.UpdateNote})
	}
	if id, ok := f.featured(); ok {
		a.FeaturedMediaID = id
	} else {
		errs["featured_image"] = fmt.Sprintf("%q is not an image's number: find it under Photos, or leave the field empty for none.", f.FeaturedImage)
	}
	status, err := article.ParseStatus(f.Status)
	if err != nil {
		errs["status"] = upperFirst(err.Error()) + "."
		return errs
	}
	switch status {
	case article.Draft:
		a.Status = article.Draft
	case article.Published:
		// An article already out keeps its date; one published now gets
		// the present.
		if !a.IsPublic(now) {
			a.PublishedAt = now
		}
		a.Status = article.Published
	case article.Scheduled:
		t, err := time.ParseInLocation(dateTimeLayout, f.PublishAt, loc)
		switch {
		case f.PublishAt == "":
			errs["publish_at"] = "Give the date and time to publish at, or choose another status."
		case err != nil:
			errs["publish_at"] = fmt.Sprintf("%q is not a date and time such as 2026-12-01T09:30.", f.PublishAt)
		case !t.After(now):
			errs["publish_at"] = "This time has passed: choose a later one, or the status published to publish now."
		default:
			a.Status, a.PublishedAt = article.Scheduled, t
		}
	}
	return errs
}

// featured is the featured image's ID the form names, 0 for none; false
// for text that is no ID.
func (f ArticleForm) featured() (int64, bool) {
	if f.FeaturedImage == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(f.FeaturedImage, 10, 64)
	return id, err == nil && id > 0
}

// formFields are the fields of the editor's form that can carry a
// message of their own; a message about any other field goes above the
// form.
var formFields = map[string]bool{
	"title": true, "slug": true, "description": true, "body": true, "tags": true,
	"focus_keyphrase": true, "seo_title": true, "status": true, "publish_at": true, "featured_image": true, "section": true,
	"kind": true, "author": true, "updates": true,
}

// invalidFields returns the message of a validation error from the
// newsroom by the form field it is about, or nil for any other error.
func invalidFields(err error) FieldErrors {
	var fe *article.FieldError
	if !errors.As(err, &fe) {
		return nil
	}
	field := fe.Field
	if !formFields[field] {
		field = "form"
	}
	msg := upperFirst(fe.Msg) + "."
	if field == "slug" {
		msg = upperFirst(fe.Msg) + "; leave it empty to make one from the title."
	}
	return FieldErrors{field: msg}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// EditPage is the editor, for a new or a stored article.
type EditPage struct {
	Page
	Form   ArticleForm
	Errors FieldErrors
	// Message says why the form came back, when it did.
	Message string
	// Action is where the form posts; Key is the article's address key:
	// its ID, or "new" for an unsaved one.
	Action string
	Key    string
	// Stored is the article as stored; nil for a new one.
	Stored *article.Article
	// Theirs is the version someone else saved while this edit was
	// open, shown beside the author's text; nil without a conflict.
	Theirs *article.Article
	// Sections are the site's sections in order, for the Section select;
	// none on a site without sections, which shows no select.
	Sections []article.Section
	// Authors are the site's authors, for the Author select.
	Authors []*article.Author
	// CanPublish says whether the status may be other than draft.
	CanPublish bool
	CanDelete  bool
	Revisions  []article.Revision
	// Panels are the preview, SEO and link panels, rendered on the page
	// for browsers without JavaScript; nil for a new article.
	Panels *Panels
	// Story is the story so far of a stored article that follows one
	// with others, oldest first, the article among them; StoryError says
	// why joining another story was refused, and StoryWith is the slug
	// typed then.
	Story      []*article.Article
	StoryError string
	StoryWith  string
}

// location returns the site's time zone, in which dates are typed.
func (h *Handler) location(ctx context.Context) *time.Location {
	s, err := h.store.SiteSettings(ctx)
	if err != nil || s.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// loadArticle returns the article whose ID the address names, after
// checking that the signed-in user may edit it. An address that is not an
// ID, or names no article, is not found.
func (h *Handler) loadArticle(r *http.Request) (*article.Article, error) {
	id, ok := pathID(r)
	if !ok {
		return nil, web.ErrNotFound
	}
	a, err := h.store.ArticleByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, web.ErrNotFound
	} else if err != nil {
		return nil, err
	}
	if !currentUser(r).CanEditArticle(a.OwnerID) {
		return nil, web.HTTPError{Status: http.StatusForbidden, Message: "This article belongs to someone else: your role lets you edit only your own articles."}
	}
	return a, nil
}

// articleNew shows the editor for a new article.
func (h *Handler) articleNew(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	p := EditPage{
		Page:       h.page(r, "New article", "articles"),
		Form:       ArticleForm{Status: string(article.Draft)},
		Action:     "/admin/articles/new",
		Key:        newKey,
		Sections:   h.sectionChoices(r),
		Authors:    h.authorChoices(r),
		CanPublish: u.CanPublishArticle(u.ID),
	}
	if len(p.Sections) > 0 {
		p.Form.Section = p.Sections[0].Slug
	}
	return writePage(w, r, http.StatusOK, h.tpl.edit, p)
}

// articleCreate saves a new article, owned by the signed-in user.
func (h *Handler) articleCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	f := parseArticleForm(r)
	f.ID, f.Version = 0, 0
	p := EditPage{
		Page: h.page(r, "New article", "articles"), Form: f, Action: "/admin/articles/new", Key: newKey,
		Sections: h.sectionChoices(r), Authors: h.authorChoices(r), CanPublish: u.CanPublishArticle(u.ID),
	}
	a := &article.Article{OwnerID: u.ID, Author: &article.Author{Name: u.Name}}
	errs := f.apply(a, h.location(r.Context()), h.now())
	var err error
	if len(errs) == 0 {
		err = h.news.Create(r.Context(), actorOf(r), a)
		errs = invalidFields(err)
	}
	var refusal *newsroom.Refusal
	switch {
	case errors.As(err, &refusal):
		return h.refusePublish(w, r, p)
	case len(errs) > 0:
		p.Errors = errs
		p.Message = "The article was not saved: see the messages below."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.edit, p)
	case errors.Is(err, store.ErrConflict):
		p.Errors = FieldErrors{"slug": fmt.Sprintf("The slug %q is taken by another article; choose another.", a.Slug)}
		p.Message = "The article was not saved: see the messages below."
		return writePage(w, r, http.StatusConflict, h.tpl.edit, p)
	case err != nil:
		return err
	}
	if a.Status != article.Draft {
		return redirect(w, r, editPath(a.ID), "published")
	}
	return redirect(w, r, editPath(a.ID), "created")
}

// authorChoices lists the site's authors for the editor's select; a
// failure to read them is logged and the select offers none but the
// article's own (the form keeps it).
func (h *Handler) authorChoices(r *http.Request) []*article.Author {
	as, err := h.news.Authors(r.Context())
	if err != nil {
		h.logger.Error("list the authors for the editor", "err", err)
	}
	return as
}

// sectionChoices lists the site's sections for the editor's select. A
// failure to list them is logged and shows no select: the author's text
// matters more, and a form without the field keeps the article's section.
func (h *Handler) sectionChoices(r *http.Request) []article.Section {
	ss, err := h.news.Sections(r.Context())
	if err != nil {
		h.logger.Error("list the sections for the editor", "err", err)
		return nil
	}
	return ss
}

// refusePublish answers a publish or schedule request from a user whose
// role may not: 403, with the form and its text kept.
func (h *Handler) refusePublish(w http.ResponseWriter, r *http.Request, p EditPage) error {
	p.Message = "Your role cannot publish, schedule or change a published article: save it as a draft and an editor will publish it. Nothing was saved."
	p.Errors = FieldErrors{"status": "Only drafts are open to your role."}
	return writePage(w, r, http.StatusForbidden, h.tpl.edit, p)
}

// actorOf is the signed-in user, as the newsroom knows who acts.
func actorOf(r *http.Request) newsroom.Actor {
	return newsroom.Person(currentUser(r), clientIP(r))
}

// articleEdit shows the editor for a stored article, with its revisions
// and its panels.
func (h *Handler) articleEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadArticle(r)
	if err != nil {
		return err
	}
	p, err := h.editPage(r, a, formOf(a, h.location(r.Context()), h.now()))
	if err != nil {
		return err
	}
	p.Panels = h.panels(r, a)
	return writePage(w, r, http.StatusOK, h.tpl.edit, p)
}

// editPage builds the editor for stored article a showing form f.
func (h *Handler) editPage(r *http.Request, a *article.Article, f ArticleForm) (EditPage, error) {
	u := currentUser(r)
	revs, err := h.store.Revisions(r.Context(), a.ID)
	if err != nil {
		return EditPage{}, err
	}
	// The story helps the editor, but the editor works without it.
	_, story, err := h.news.StorySoFar(r.Context(), a)
	if err != nil {
		h.logger.Error("read the article's story", "slug", a.Slug, "err", err)
	}
	return EditPage{
		Story:      story,
		Page:       h.page(r, "Edit: "+a.Title, "articles"),
		Form:       f,
		Action:     editPath(a.ID),
		Key:        keyOf(a),
		Stored:     a,
		Sections:   h.sectionChoices(r),
		Authors:    h.authorChoices(r),
		CanPublish: u.CanPublishArticle(a.OwnerID),
		CanDelete:  newsroom.MayDelete(newsroom.Person(u, ""), a),
		Revisions:  reverse(revs), // newest first: the one most likely wanted back
	}, nil
}

// articleSave saves an edit of a stored article as a new version.
func (h *Handler) articleSave(w http.ResponseWriter, r *http.Request) error {
	f := parseArticleForm(r)
	a, err := h.loadArticle(r)
	if errors.Is(err, web.ErrNotFound) {
		if id, ok := pathID(r); ok && id == f.ID {
			// The form's own article was deleted while it was open.
			return h.lostArticle(w, r, f)
		}
	}
	if err != nil {
		return err
	}
	p, err := h.editPage(r, a, f)
	if err != nil {
		return err
	}
	next, errs, err := h.saveForm(r, a, f, "edit", false)
	return h.afterSave(w, r, p, a, next, errs, err, "saved")
}

// saveForm writes form f over stored article a as version f.Version,
// through the newsroom; what labels the revision. With keepStatus the
// stored status and date stay whatever the form says. It returns the
// saved article, or the form's errors, or the newsroom's error (a
// Refusal, or wrapping store.ErrConflict for a stale version or a taken
// slug).
func (h *Handler) saveForm(r *http.Request, a *article.Article, f ArticleForm, what string, keepStatus bool) (*article.Article, FieldErrors, error) {
	loc := h.location(r.Context())
	now := h.now()
	next := *a
	next.Tags = append([]article.Tag(nil), a.Tags...)
	if keepStatus {
		stored := formOf(a, loc, now)
		f.Status, f.PublishAt = stored.Status, stored.PublishAt
	}
	if errs := f.apply(&next, loc, now); len(errs) > 0 {
		return nil, errs, nil
	}
	if keepStatus && a.Status == article.Scheduled {
		next.Status, next.PublishedAt = a.Status, a.PublishedAt
	}
	next.Version = f.Version
	err := h.news.Save(r.Context(), actorOf(r), a, &next, what)
	if errs := invalidFields(err); errs != nil {
		return nil, errs, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return &next, nil, nil
}

// afterSave answers a save of stored article a: the editor again with
// the reasons when it failed, else a redirect to the saved article.
func (h *Handler) afterSave(w http.ResponseWriter, r *http.Request, p EditPage, a, next *article.Article, errs FieldErrors, err error, flash string) error {
	var refusal *newsroom.Refusal
	switch {
	case errors.As(err, &refusal):
		return h.refusePublish(w, r, p)
	case len(errs) > 0:
		p.Errors = errs
		p.Message = "The article was not saved: see the messages below."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.edit, p)
	case errors.Is(err, store.ErrConflict):
		return h.conflict(w, r, p, a)
	case err != nil:
		return err
	}
	return redirect(w, r, editPath(next.ID), flash)
}

// conflict shows the editor again after the store refused a save: either
// someone saved the article meanwhile (the author's text stays in the
// form, theirs is shown beside it, and the form now carries their version
// so that saving again is a deliberate choice), or deleted it (the text
// comes back as a new article), or the slug is taken.
func (h *Handler) conflict(w http.ResponseWriter, r *http.Request, p EditPage, a *article.Article) error {
	current, err := h.store.ArticleByID(r.Context(), a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return h.lostArticle(w, r, p.Form)
	} else if err != nil {
		return err
	}
	if current.Version != p.Form.Version {
		p.Theirs = current
		p.Form.Version = current.Version
		p.Message = fmt.Sprintf("Someone else saved this article (version %d) while you were editing, so your changes were not saved. "+
			"Your text is in the form; theirs is shown beside it. Merge what you need and save again to replace theirs.", current.Version)
		if revs, err := h.store.Revisions(r.Context(), a.ID); err == nil {
			p.Revisions = reverse(revs)
		}
		return writePage(w, r, http.StatusConflict, h.tpl.edit, p)
	}
	p.Errors = FieldErrors{"slug": fmt.Sprintf("The slug %q is taken by another article; choose another.", p.Form.Slug)}
	p.Message = "The article was not saved: see the messages below."
	return writePage(w, r, http.StatusConflict, h.tpl.edit, p)
}

// reverse puts revisions newest first, in place.
func reverse(revs []article.Revision) []article.Revision {
	for i, j := 0, len(revs)-1; i < j; i, j = i+1, j-1 {
		revs[i], revs[j] = revs[j], revs[i]
	}
	return revs
}

// lostArticle answers a save for an article that someone else deleted
// meanwhile: nothing is saved, and the author gets their text back in a
// form that saves it as a new article.
func (h *Handler) lostArticle(w http.ResponseWriter, r *http.Request, f ArticleForm) error {
	u := currentUser(r)
	f.ID, f.Version = 0, 0
	if !u.CanPublishArticle(u.ID) {
		f.Status = string(article.Draft)
	}
	p := EditPage{
		Page:       h.page(r, "New article", "articles"),
		Form:       f,
		Action:     "/admin/articles/new",
		Key:        newKey,
		Sections:   h.sectionChoices(r),
		Authors:    h.authorChoices(r),
		CanPublish: u.CanPublishArticle(u.ID),
		Message: "This article was deleted by someone else while you were editing, so nothing was saved. " +
			"Your text is below: save it as a new article, or copy what you need.",
	}
	return writePage(w, r, http.StatusConflict, h.tpl.edit, p)
}

// articleDelete deletes an article and its revisions.
func (h *Handler) articleDelete(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadArticle(r)
	if err != nil {
		return err
	}
	var refusal *newsroom.Refusal
	if err := h.news.Delete(r.Context(), actorOf(r), a); errors.As(err, &refusal) {
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg}
	} else if err != nil {
		return err
	}
	return redirect(w, r, "/admin/articles", "deleted")
}

// Panels are the editor's live panels for the text as typed: the preview,
// the SEO analysis, the internal-link suggestions and the suggested
// sections, tags and entities.
type Panels struct {
	Title       string
	Description string
	Preview     template.HTML // rendered as the public page renders it
	SEO         seo.Report
	Keyphrase   string
	Suggestions []linking.Suggestion
	// Unresolved are the requested links that name no published article,
	// so that neither a link nor a related article is made for them.
	Unresolved []string
	// ApplyAction is where an "Apply" button posts the form.
	ApplyAction string
	// Offers are the sections, tags and entities suggested for the text.
	Offers newsroom.Suggestions
}

// HasOffers says whether any section, tag or entity is suggested.
func (p Panels) HasOffers() bool {
	return len(p.Offers.Sections)+len(p.Offers.Tags)+len(p.Offers.Entities) > 0
}

// panels analyses article a as it stands.
func (h *Handler) panels(r *http.Request, a *article.Article) *Panels {
	p := &Panels{Title: a.Title, Description: a.Description, Keyphrase: a.FocusKeyphrase,
		ApplyAction: "/admin/articles/" + keyOf(a) + "/links/apply"}
	withSlug := *a
	if withSlug.Slug == "" {
		withSlug.Slug = article.Slugify(a.Title)
	}
	// The body being edited may name images the stored one does not.
	withSlug.MediaIDs = render.MediaIDs(a.Body)
	images, err := newsroom.Images(r.Context(), h.store, &withSlug)
	if err != nil {
		h.logger.Error("read the article's images", "slug", a.Slug, "err", err)
	}
	// The analysis reads the body as written; the preview shows library
	// images in it, which changes the document.
	topics, err := h.news.KeyphraseTopics(r.Context(), a.FocusKeyphrase)
	if err != nil {
		h.logger.Error("look up the keyphrase's topic pages", "slug", a.Slug, "err", err)
	}
	p.SEO = seo.Analyze(&withSlug, h.renderer.Parse([]byte(a.Body)), seo.SiteFacts{BaseURL: h.site.BaseURL(r), Images: images,
		SetKeyphrase: "in the Focus keyphrase field above", Topics: topics})
	// Suggestions help, but the panel is worth showing without them.
	if p.Offers, err = h.news.Suggest(r.Context(), actorOf(r), a); err != nil {
		h.logger.Error("suggest sections, tags and entities", "slug", a.Slug, "err", err)
	}
	if out, err := h.renderer.HTMLWith(h.renderer.Parse([]byte(a.Body)), images, images[a.FeaturedMediaID] == nil); err == nil {
		p.Preview = template.HTML(out) // sanitised by the renderer's policy
	} else {
		h.logger.Error("render preview", "slug", a.Slug, "err", err)
	}
	p.Suggestions = linking.Suggest(h.links(), h.renderer, a, linking.SuggestOptions{})
	p.Unresolved = h.links().Unresolved(a.ID, a.RequestedLinks)
	return p
}

// keyOf is the key of a's admin address: its ID, or "new" before it is
// saved.
func keyOf(a *article.Article) string {
	if a.ID == 0 {
		return newKey
	}
	return strconv.FormatInt(a.ID, 10)
}

// draftFromForm is the article the address names (or a new one, for
// "new") with the posted form written over it as typed, unchecked, for
// the panels; stored is nil for a new article.
func (h *Handler) draftFromForm(r *http.Request) (draft, stored *article.Article, f ArticleForm, err error) {
	u := currentUser(r)
	f = parseArticleForm(r)
	if r.PathValue("id") == newKey {
		draft = &article.Article{OwnerID: u.ID, Status: article.Draft}
	} else {
		if stored, err = h.loadArticle(r); err != nil {
			return nil, nil, f, err
		}
		copied := *stored
		draft = &copied
	}
	draft.Body = h.news.Body(actorOf(r), draft.OwnerID, f.Body)
	draft.Title = strings.TrimSpace(f.Title)
	draft.Description = strings.TrimSpace(f.Description)
	draft.FocusKeyphrase = f.FocusKeyphrase
	draft.SEOTitle = f.SEOTitle
	draft.Tags = article.TagsFromNames(strings.Split(f.Tags, ",")...)
	if id, ok := f.featured(); ok {
		draft.FeaturedMediaID = id
	}
	if f.Slug != "" {
		draft.Slug = f.Slug
	}
	if f.Section != "" {
		draft.Section = &article.Section{Slug: f.Section}
	}
	return draft, stored, f, nil
}

// articlePanels answers the editor's script with the panels for the text
// as typed, saved or not.
func (h *Handler) articlePanels(w http.ResponseWriter, r *http.Request) error {
	draft, _, _, err := h.draftFromForm(r)
	if err != nil {
		return err
	}
	return h.tpl.panels.Render(w, http.StatusOK, *h.panels(r, draft))
}

// applyResult is the answer to the editor's script after applying links.
type applyResult struct {
	Body    string `json:"body,omitempty"`
	Version int    `json:"version,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, status int, v applyResult) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// articleApplyLinks writes the chosen link suggestions (by ID, as the
// panel gave them for this same text) into the text as typed. A stored
// article is saved with them as a new version, keeping its status; for an
// unsaved one the new text is sent back. The editor's script asks for
// JSON; a browser without it posts the whole editor form here.
func (h *Handler) articleApplyLinks(w http.ResponseWriter, r *http.Request) error {
	fail := func(status int, msg string) error {
		if wantsJSON(r) {
			return writeJSON(w, status, applyResult{Error: msg})
		}
		return web.HTTPError{Status: status, Message: msg}
	}
	ids := r.PostForm["suggestion"]
	if len(ids) == 0 {
		return fail(http.StatusBadRequest, "No suggestion was chosen: press Apply beside one.")
	}
	draft, stored, f, err := h.draftFromForm(r)
	if err != nil {
		if status := web.StatusOf(err); wantsJSON(r) && status < 500 {
			return fail(status, err.Error())
		}
		return err
	}
	u := currentUser(r)
	body, _, err := h.news.Link(h.links(), draft, ids)
	var stale *newsroom.StaleSuggestionsError
	if errors.As(err, &stale) {
		return fail(http.StatusConflict, "That suggestion no longer fits the text (it changed since the panel was shown). The panel has new suggestions; nothing was changed.")
	} else if err != nil {
		return fail(http.StatusConflict, upperFirst(err.Error())+". Nothing was changed.")
	}
	f.Body = body
	if stored == nil {
		if wantsJSON(r) {
			return writeJSON(w, http.StatusOK, applyResult{Body: body, Message: "Link added to your text; save to keep it."})
		}
		p := EditPage{
			Page: h.page(r, "New article", "articles"), Form: f, Action: "/admin/articles/new", Key: newKey,
			Sections: h.sectionChoices(r), Authors: h.authorChoices(r), CanPublish: u.CanPublishArticle(u.ID),
		}
		p.Flash = "Link added to your text; save to keep it."
		draft.Body = body
		p.Panels = h.panels(r, draft)
		return writePage(w, r, http.StatusOK, h.tpl.edit, p)
	}
	next, errs, err := h.saveForm(r, stored, f, "links applied", true)
	if wantsJSON(r) {
		var refusal *newsroom.Refusal
		switch {
		case errors.As(err, &refusal):
			return fail(http.StatusForbidden, refusal.Msg+" Nothing was saved.")
		case len(errs) > 0:
			msgs := make([]string, 0, len(errs))
			for _, m := range errs {
				msgs = append(msgs, m)
			}
			return fail(http.StatusUnprocessableEntity, "Nothing was saved: "+strings.Join(msgs, " "))
		case errors.Is(err, store.ErrConflict):
			return fail(http.StatusConflict, "Someone else saved this article meanwhile, so nothing was saved. Save the form to see both versions side by side.")
		case err != nil:
			return err
		}
		return writeJSON(w, http.StatusOK, applyResult{Body: next.Body, Version: next.Version, Message: "Link applied and saved."})
	}
	p, perr := h.editPage(r, stored, f)
	if perr != nil {
		return perr
	}
	return h.afterSave(w, r, p, stored, next, errs, err, "applied")
}
