// Package newsroom is Dateline's application layer: the workflows of a
// newsroom, written once. Saving, publishing, renaming, restoring a
// revision, applying link suggestions, setting the focus keyphrase and
// deleting an article, storing an import, moderating and answering
// comments, and changing the settings all go through a Service, which
// owns the rules around them: word counts, validation (with errors keyed
// by field), slug stability, who may publish or moderate, which raw HTML
// is sanitised, the limits of settings, revision notes and the audit log.
// The admin, the command line and the importers are adapters: they turn
// their input into a call and the result into their output. Stores below
// it only persist.
package newsroom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// Actor is who asks for a change: a signed-in user, or the system (the
// command line, an import), whose operator holds the server itself.
type Actor struct {
	// User is nil for the system.
	User *user.User
	// Name names the actor in revision notes and the audit log: the
	// user's email, or what the system is ("command line").
	Name string
	// IP is the address a user's request came from, for the audit log.
	IP string
}

// System is the actor for changes made by the server's operator.
func System(name string) Actor { return Actor{Name: name} }

// Person is the actor for a signed-in user's change.
func Person(u *user.User, ip string) Actor { return Actor{User: u, Name: u.Email, IP: ip} }

// mayPublish reports whether the actor may publish, schedule or change a
// public article owned by owner.
func (a Actor) mayPublish(owner int64) bool { return a.User == nil || a.User.CanPublishArticle(owner) }

// mayEdit reports whether the actor may change an article owned by owner.
func (a Actor) mayEdit(owner int64) bool { return a.User == nil || a.User.CanEditArticle(owner) }

// note labels a revision with what replaced it and, for a user, by whom.
func (a Actor) note(what string) string {
	if a.User == nil {
		return what
	}
	return what + " by " + a.Name
}

// ErrForbidden is wrapped by a Refusal.
var ErrForbidden = errors.New("forbidden")

// Refusal is a change the actor's role does not allow. Msg says why, in
// words for the person refused; nothing was written.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func (r *Refusal) Unwrap() error { return ErrForbidden }

// Service runs the newsroom's workflows against a store.
type Service struct {
	store    store.Store
	renderer *render.Renderer
	now      func() time.Time
	logger   *slog.Logger
	library  *Library // nil without a photo library
	ents     *entities
}

// New returns a service writing to s. now is the one clock; r counts
// words and sanitises raw HTML with the policy readers' pages use.
func New(s store.Store, r *render.Renderer, now func() time.Time, logger *slog.Logger) *Service {
	if now == nil {
		panic("newsroom.New: no clock")
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{store: s, renderer: r, now: now, logger: logger, ents: &entities{}}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// CountWords sets the article's word count and reading time from its
// body. It is safe on any goroutine, so that an import counts while it
// parses.
func (s *Service) CountWords(a *article.Article) {
	a.SetWordCount(s.renderer.WordCount([]byte(a.Body)))
}

// Body is body as it would be stored for the actor in an article owned
// by owner: for previews and suggestions on text not saved yet.
func (s *Service) Body(actor Actor, owner int64, body string) string {
	if !actor.mayPublish(owner) {
		return SanitizeRawHTML(s.renderer, body)
	}
	return body
}

// prepare readies a for storing as the actor's: raw HTML sanitised unless
// the actor may publish it (one rule for every path: a contributor's HTML
// is never kept as typed), the word count, and validation. current is
// the stored article a replaces, nil for a new one; a published one keeps
// its address. Errors are *article.FieldError.
func (s *Service) prepare(actor Actor, current, a *article.Article, now time.Time) error {
	owner := a.OwnerID
	if current != nil {
		owner = current.OwnerID
	}
	a.Body = s.Body(actor, owner, a.Body)
	if current != nil {
		article.KeepPublishedSlug(current, a, now)
	}
	s.CountWords(a)
	a.MediaIDs = render.MediaIDs(a.Body)
	return a.Validate(now)
}

// Create stores a new article for the actor. A draft is open to every
// role; anything else needs the right to publish. Errors: a Refusal, an
// *article.FieldError, or the store's (store.ErrConflict for a taken
// slug or source).
func (s *Service) Create(ctx context.Context, actor Actor, a *article.Article) error {
	if err := s.checkFeatured(ctx, a.FeaturedMediaID); err != nil {
		return err
	}
	if err := s.findAuthor(ctx, a); err != nil {
		return err
	}
	now := s.now()
	if err := s.prepare(actor, nil, a, now); err != nil {
		return err
	}
	if err := s.place(ctx, nil, a); err != nil {
		return err
	}
	if a.Kind.IsPage() {
		// Pages take no comments unless an editor opens them.
		a.CommentsClosed = true
	}
	// Checked after validation, which makes an article without a status
	// a published one.
	if a.Status != article.Draft && !actor.mayPublish(a.OwnerID) {
		return &Refusal{"Your role cannot publish or schedule an article: save it as a draft and an editor will publish it."}
	}
	if err := s.store.CreateArticle(ctx, a); err != nil {
		return err
	}
	s.auditPublish(ctx, actor, nil, a)
	s.findEntities(ctx, a)
	return nil
}

// Save stores next as the new version of current, the article as loaded
// (next.Version is the version the change started from, so that a stale
// edit wraps store.ErrConflict). what labels the revision kept of
// current ("edit", "restore of revision 3"). A published article keeps
// its slug; Rename changes it.
func (s *Service) Save(ctx context.Context, actor Actor, current, next *article.Article, what string) error {
	if err := s.mayChange(actor, current, next); err != nil {
		return err
	}
	if next.FeaturedMediaID != current.FeaturedMediaID {
		if err := s.checkFeatured(ctx, next.FeaturedMediaID); err != nil {
			return err
		}
	}
	if err := s.findAuthor(ctx, next); err != nil {
		return err
	}
	now := s.now()
	if len(next.Updates) > len(current.Updates) && !current.IsPublic(now) {
		// Notes tell readers what changed since they could read it.
		return &article.FieldError{Field: "updates", Msg: "only a published article takes update notes: edit a draft instead"}
	}
	if err := s.prepare(actor, current, next, now); err != nil {
		return err
	}
	if err := s.place(ctx, current, next); err != nil {
		return err
	}
	return s.update(ctx, actor, current, next, what)
}

// mayChange refuses a change the actor's role does not allow: an article
// of someone else's (for roles limited to their own), or, for roles that
// cannot publish, anything but a draft that stays a draft.
func (s *Service) mayChange(actor Actor, current, next *article.Article) error {
	if !actor.mayEdit(current.OwnerID) {
		return &Refusal{"This article belongs to someone else: your role lets you edit only your own articles."}
	}
	if !actor.mayPublish(current.OwnerID) && (current.Status != article.Draft || next.Status != article.Draft) {
		return &Refusal{"Your role cannot publish, schedule or change a published article: save it as a draft and an editor will publish it."}
	}
	return nil
}

// update writes a prepared next over current and records what changed
// for readers in the audit log.
func (s *Service) update(ctx context.Context, actor Actor, current, next *article.Article, what string) error {
	if err := s.store.UpdateArticle(ctx, next, actor.note(what)); err != nil {
		return err
	}
	if next.Status != current.Status || !next.PublishedAt.Equal(current.PublishedAt) {
		s.auditPublish(ctx, actor, current, next)
	}
	if next.Slug != current.Slug && current.IsPublic(s.now()) {
		s.audit(ctx, actor, "renamed article", next.Slug, "was "+current.Slug)
	}
	s.findEntities(ctx, next)
	return nil
}

// Restore brings back revision n of article a (as loaded; a.Version is
// the version the restore was asked against) as a new version; the
// version it replaces is kept, so that the restore can be undone too.
// Every field a revision keeps comes back, the focus keyphrase included;
// a published article keeps its address. A missing revision wraps
// store.ErrNotFound.
func (s *Service) Restore(ctx context.Context, actor Actor, a *article.Article, n int) (*article.Article, error) {
	rev, err := s.store.Revision(ctx, a.ID, n)
	if err != nil {
		return nil, err
	}
	next := *a
	next.Restore(*rev, s.now())
	if err := s.Save(ctx, actor, a, &next, fmt.Sprintf("restore of revision %d", n)); err != nil {
		return nil, err
	}
	return &next, nil
}

// Rename gives article a a new slug, published or not: the only way a
// public article's address changes. Readers of the old address of a
// public article are redirected to the new one. A slug taken by another
// article wraps store.ErrConflict.
func (s *Service) Rename(ctx context.Context, actor Actor, a *article.Article, slug string) (*article.Article, error) {
	if err := article.ValidateSlug(slug); err != nil {
		return nil, &article.FieldError{Field: "slug", Msg: err.Error()}
	}
	if slug == a.Slug {
		return nil, &article.FieldError{Field: "slug", Msg: fmt.Sprintf("article %q already has that slug", a.Slug)}
	}
	next := *a
	next.Slug = slug
	if err := s.mayChange(actor, a, &next); err != nil {
		return nil, err
	}
	if err := s.validate(actor, a, &next); err != nil {
		return nil, err
	}
	if err := s.place(ctx, a, &next); err != nil {
		return nil, err
	}
	if err := s.update(ctx, actor, a, &next, "rename"); err != nil {
		return nil, err
	}
	return &next, nil
}

// validate readies next like prepare, without the rule that keeps a
// public article's slug: for Rename.
func (s *Service) validate(actor Actor, current, next *article.Article) error {
	next.Body = s.Body(actor, current.OwnerID, next.Body)
	s.CountWords(next)
	next.MediaIDs = render.MediaIDs(next.Body)
	return next.Validate(s.now())
}

// SetKeyphrase sets the focus keyphrase the SEO analysis looks for ("" to
// remove it), as a new version. It reports false, writing nothing, when
// the article already has it.
func (s *Service) SetKeyphrase(ctx context.Context, actor Actor, a *article.Article, phrase string) (bool, error) {
	return s.setSEOField(ctx, actor, a, "focus keyphrase", func(a *article.Article) *string { return &a.FocusKeyphrase }, phrase)
}

// SetSEOTitle sets the title search results and share cards show instead
// of the headline ("" for the headline), as a new version. It reports
// false, writing nothing, when the article already has it.
func (s *Service) SetSEOTitle(ctx context.Context, actor Actor, a *article.Article, title string) (bool, error) {
	return s.setSEOField(ctx, actor, a, "SEO title", func(a *article.Article) *string { return &a.SEOTitle }, title)
}

// setSEOField sets one field of an article's SEO, as a new version noted
// what, unless the article has that value already.
func (s *Service) setSEOField(ctx context.Context, actor Actor, a *article.Article, what string, field func(*article.Article) *string, value string) (bool, error) {
	next := *a
	*field(&next) = value
	if err := next.Validate(s.now()); err != nil {
		return false, err
	}
	if *field(&next) == *field(a) {
		return false, nil
	}
	return true, s.Save(ctx, actor, a, &next, what)
}

// Delete deletes article a and its revisions. Editors may delete any
// article, other roles only their own drafts.
func (s *Service) Delete(ctx context.Context, actor Actor, a *article.Article) error {
	if !MayDelete(actor, a) {
		return &Refusal{"Your role may delete only your own drafts; this article has been published or scheduled. Ask an editor."}
	}
	if err := s.store.DeleteArticle(ctx, a.Slug); err != nil {
		return err
	}
	s.audit(ctx, actor, "deleted article", a.Slug, fmt.Sprintf("%q, %s", a.Title, a.Status))
	return nil
}

// MayDelete reports whether the actor may delete a, for showing the
// button.
func MayDelete(actor Actor, a *article.Article) bool {
	if actor.User == nil || actor.User.Role.Can(user.EditAllArticles) {
		return true
	}
	return a.OwnerID != 0 && a.OwnerID == actor.User.ID && a.Status == article.Draft
}

// auditPublish records that an article was published or scheduled.
func (s *Service) auditPublish(ctx context.Context, actor Actor, before, after *article.Article) {
	if after.Status == article.Draft {
		return
	}
	action := "published"
	if after.Status == article.Scheduled {
		action = "scheduled"
	}
	detail := fmt.Sprintf("%q, %s", after.Title, after.PublishedAt.UTC().Format(time.RFC3339))
	if before != nil {
		detail += ", was " + string(before.Status)
	}
	s.audit(ctx, actor, action, after.Slug, detail)
}

// audit records an event. The change itself is stored, so a failure to
// record it is logged, not returned.
func (s *Service) audit(ctx context.Context, actor Actor, action, target, detail string) {
	e := &user.AuditEvent{At: s.now(), Actor: actor.Name, Action: action, Target: target, IP: actor.IP, Detail: detail}
	if err := s.store.AddAudit(context.WithoutCancel(ctx), e); err != nil {
		s.logger.Error("add to the audit log", "action", action, "target", target, "err", err)
	}
}

// AddUpdate appends a note of a correction or an update to article a (as
// loaded), dated now, as a new version: readers see it under the
// headline, and the page's modified date moves. Only a published article
// takes notes; the actor needs the right to change it.
func (s *Service) AddUpdate(ctx context.Context, actor Actor, a *article.Article, text string) (*article.Article, error) {
	next := *a
	next.Updates = append(append([]article.Update(nil), a.Updates...), article.Update{At: s.now().UTC(), Text: strings.TrimSpace(text)})
	if err := s.Save(ctx, actor, a, &next, "update note"); err != nil {
		return nil, err
	}
	return &next, nil
}
