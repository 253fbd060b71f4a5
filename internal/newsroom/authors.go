package newsroom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// findAuthor completes an article's author named by slug alone (the
// editor's choice among the site's authors) from the store, so that
// choosing an author never renames them. A slug no author has is an
// *article.FieldError.
func (s *Service) findAuthor(ctx context.Context, a *article.Article) error {
	au := a.Author
	if au == nil || au.Name != "" || au.Slug == "" {
		return nil
	}
	stored, err := s.store.Author(ctx, au.Slug)
	if errors.Is(err, store.ErrNotFound) {
		return &article.FieldError{Field: "author", Msg: fmt.Sprintf("no author %q", au.Slug)}
	}
	if err != nil {
		return err
	}
	a.Author = &article.Author{ID: stored.ID, Slug: stored.Slug, Name: stored.Name, Bio: stored.Bio}
	return nil
}

// Authors lists the site's authors by name, with their profiles.
func (s *Service) Authors(ctx context.Context) ([]*article.Author, error) {
	return s.store.Authors(ctx)
}

// EditAuthor replaces the name, bio and profile of the author slug, as
// their author page shows them. Editors and administrators may. Errors:
// a Refusal, an *article.FieldError, store.ErrNotFound for a missing
// author or photo.
func (s *Service) EditAuthor(ctx context.Context, actor Actor, slug string, change article.Author) (*article.Author, error) {
	if actor.User != nil && !actor.User.Role.Can(user.EditAllArticles) {
		return nil, &Refusal{"Your role cannot change authors' profiles: ask an editor."}
	}
	au, err := s.store.Author(ctx, slug)
	if err != nil {
		return nil, err
	}
	next := *au
	next.Name, next.Bio = strings.TrimSpace(change.Name), strings.TrimSpace(change.Bio)
	profile := article.Profile{}
	if change.Profile != nil {
		profile = *change.Profile
	}
	profile.RoleTitle = strings.TrimSpace(profile.RoleTitle)
	next.Profile = &profile
	if err := checkProfile(&next); err != nil {
		return nil, err
	}
	if profile.PhotoMediaID != 0 {
		if _, err := s.store.MediaItem(ctx, profile.PhotoMediaID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, &article.FieldError{Field: "photo", Msg: fmt.Sprintf("image %d is not in the library", profile.PhotoMediaID)}
			}
			return nil, err
		}
	}
	if err := s.store.UpdateAuthor(ctx, &next); err != nil {
		return nil, err
	}
	s.audit(ctx, actor, "changed author profile", next.Slug, next.Name)
	return &next, nil
}

// checkProfile checks an author's name, bio and profile, with errors
// keyed by field.
func checkProfile(au *article.Author) error {
	invalid := func(field, format string, args ...any) error {
		return &article.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	p := au.Profile
	switch {
	case au.Name == "":
		return invalid("name", "the name is empty")
	case utf8.RuneCountInString(au.Name) > article.MaxTitleLen || strings.ContainsAny(au.Name, "\n\r"):
		return invalid("name", "the name must be one line of at most %d characters", article.MaxTitleLen)
	case utf8.RuneCountInString(au.Bio) > article.MaxBioLen:
		return invalid("bio", "the bio is %d characters, more than %d", utf8.RuneCountInString(au.Bio), article.MaxBioLen)
	case utf8.RuneCountInString(p.RoleTitle) > article.MaxRoleTitleLen || strings.ContainsAny(p.RoleTitle, "\n\r"):
		return invalid("role_title", "the role title must be one line of at most %d characters", article.MaxRoleTitleLen)
	case len(p.Links) > article.MaxProfileLinks:
		return invalid("links", "%d links, more than %d", len(p.Links), article.MaxProfileLinks)
	}
	for i := range p.Links {
		l := &p.Links[i]
		l.Label, l.URL = strings.TrimSpace(l.Label), strings.TrimSpace(l.URL)
		if l.Label == "" || utf8.RuneCountInString(l.Label) > MaxMenuLabelLen {
			return invalid("links", "link %d needs a label of at most %d characters", i+1, MaxMenuLabelLen)
		}
		if address, ok := strings.CutPrefix(l.URL, "mailto:"); ok {
			if !strings.Contains(address, "@") {
				return invalid("links", "link %d: %q is not an email address", i+1, address)
			}
		} else if err := checkMenuAddress(l.URL); err != nil || strings.HasPrefix(l.URL, "/") {
			return invalid("links", "link %d: %q is not an http, https or mailto address", i+1, l.URL)
		}
	}
	return nil
}
