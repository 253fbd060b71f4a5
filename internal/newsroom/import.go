package newsroom

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// ImportWrite is one article of an import batch: a new one, or one that
// replaces Old, the article imported before from the same source.
type ImportWrite struct {
	Article *article.Article
	Old     *article.Article
}

// PrepareImport readies an imported article for SaveImport, so that the
// importer knows its final slug before it stores it: a replacement takes
// the old article's identity, owner and (unless the file gives one) date,
// and keeps its address once public; a new one brought from elsewhere was
// last changed when it was published, unless its file says otherwise.
// The word count is CountWords's, done as the file was parsed. Errors are
// *article.FieldError.
func (s *Service) PrepareImport(actor Actor, w ImportWrite) error {
	a, old := w.Article, w.Old
	now := s.now()
	a.Body = s.Body(actor, a.OwnerID, a.Body)
	a.MediaIDs = render.MediaIDs(a.Body)
	if old == nil {
		if err := a.Validate(now); err != nil {
			return err
		}
		if a.UpdatedAt.IsZero() && !a.PublishedAt.IsZero() && !a.PublishedAt.After(now) {
			a.UpdatedAt = a.PublishedAt
		}
		return nil
	}
	a.ID, a.Version, a.OwnerID = old.ID, old.Version, old.OwnerID
	if a.Section == nil {
		// The file names no section: the article stays where an editor
		// put it.
		a.Section = old.Section
	}
	if a.Kind == "" {
		// Nor a kind: a page an editor made stays a page.
		a.Kind = old.Kind
	}
	if a.PublishedAt.IsZero() && a.Status != article.Draft {
		a.PublishedAt = old.PublishedAt
	}
	if err := a.Validate(now); err != nil {
		return err
	}
	article.KeepPublishedSlug(old, a, now)
	return nil
}

// SaveImport stores a batch prepared by PrepareImport in one transaction,
// each article on its own: one that fails leaves nothing and does not
// stop the others. It returns one error per write (nil for those stored);
// the error is for a batch that could not be stored at all, when nothing
// was.
func (s *Service) SaveImport(ctx context.Context, actor Actor, ws []ImportWrite) ([]error, error) {
	errs := make([]error, len(ws))
	as := make([]*article.Article, len(ws))
	for i, w := range ws {
		as[i] = w.Article
	}
	sections, failed, err := s.ensureSections(ctx, actor, as)
	if err != nil {
		return nil, err
	}
	var batch []store.ArticleWrite
	var at []int
	for i, w := range ws {
		if se := w.Article.Section; se != nil && failed[sectionKey(se)] != nil {
			errs[i] = fmt.Errorf("section %q: %w", sectionKey(se), failed[sectionKey(se)])
			continue
		}
		if err := placeInSection(sections, w.Article, w.Old == nil || w.Old.Slug != w.Article.Slug); err != nil {
			errs[i] = err
			continue
		}
		// Validate again: it is cheap, and nothing unchecked is stored.
		if err := w.Article.Validate(s.now()); err != nil {
			errs[i] = err
			continue
		}
		if w.Old == nil && w.Article.Kind.IsPage() {
			w.Article.CommentsClosed = true // as Create
		}
		if !actor.mayPublish(w.Article.OwnerID) && w.Article.Status != article.Draft {
			errs[i] = &Refusal{"Your role cannot publish or schedule an article: import it as a draft."}
			continue
		}
		write := store.ArticleWrite{Article: w.Article}
		if w.Old != nil {
			write.Note = actor.note("import")
		}
		batch = append(batch, write)
		at = append(at, i)
	}
	if len(batch) == 0 {
		return errs, nil
	}
	stored, err := s.store.SaveArticles(ctx, batch)
	if err != nil {
		return nil, err
	}
	for k, i := range at {
		errs[i] = stored[k]
	}
	return errs, nil
}

// ImportComments stores comments moved in from another platform (see
// store.CommentStore.ImportComments): an import of a site brings its
// readers' conversations with it, states and threads kept. Imported
// comments skip moderation: the old site moderated them.
func (s *Service) ImportComments(ctx context.Context, actor Actor, sets []store.CommentSet) (created, updated int, err error) {
	if len(sets) == 0 {
		return 0, 0, nil
	}
	created, updated, err = s.store.ImportComments(ctx, sets)
	if err != nil {
		return 0, 0, err
	}
	if created+updated > 0 {
		s.audit(ctx, actor, "imported comments", fmt.Sprintf("%d articles", len(sets)), fmt.Sprintf("%d new, %d changed", created, updated))
	}
	return created, updated, nil
}

// ImportRedirects sends readers of imported articles' old addresses to
// their new ones, in one transaction. An old address that already leads
// there, or is the new address itself, makes nothing. It returns one
// error per redirect (nil for those made or already there) and how many
// were made.
func (s *Service) ImportRedirects(ctx context.Context, rs []store.Redirect) (errs []error, made int, err error) {
	errs = make([]error, len(rs))
	var todo []store.Redirect
	var at []int
	for i, r := range rs {
		if r.From == r.To {
			continue
		}
		final := r.To // where the store would send from: to, or where to leads
		if next, err := s.store.Redirect(ctx, r.To); err == nil {
			final = next
		}
		if got, err := s.store.Redirect(ctx, r.From); err == nil && (got == r.To || got == final) {
			continue
		}
		todo = append(todo, r)
		at = append(at, i)
	}
	if len(todo) == 0 {
		return errs, 0, nil
	}
	stored, err := s.store.AddRedirects(ctx, todo)
	if err != nil {
		return nil, 0, err
	}
	for k, e := range stored {
		errs[at[k]] = e
		if e == nil {
			made++
		}
	}
	return errs, made, nil
}

// ImportUser gives an author moved in from another platform an account:
// a contributor (they write drafts; an administrator raises the role)
// with a random password nobody knows, so that nobody signs in as them
// until an administrator resets it ('dateline user reset-password'). An
// email that has an account already is left alone: created is false.
func (s *Service) ImportUser(ctx context.Context, actor Actor, name, email string) (created bool, err error) {
	u := &user.User{Name: name, Email: email, Role: user.Contributor}
	if err := u.Validate(); err != nil {
		return false, err
	}
	if _, err := s.store.UserByEmail(ctx, u.Email); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	if u.PasswordHash, err = user.HashPassword(rand.Text()); err != nil {
		return false, err
	}
	if err := s.store.CreateUser(ctx, u); errors.Is(err, store.ErrConflict) {
		return false, nil // made meanwhile
	} else if err != nil {
		return false, err
	}
	s.audit(ctx, actor, "user added", u.Email, "role contributor, imported; password to be reset")
	return true, nil
}
