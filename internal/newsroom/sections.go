package newsroom

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/user"
)

// mayArrange refuses an actor whose role may not arrange the site's
// sections, menus and front page (editors and administrators may).
func mayArrange(actor Actor) error {
	if actor.User != nil && !actor.User.Role.Can(user.ArrangeSite) {
		return &Refusal{"Your role cannot change the site's sections: ask an editor."}
	}
	return nil
}

// Sections lists the sections in order, with their article counts.
func (s *Service) Sections(ctx context.Context) ([]article.Section, error) {
	return s.store.Sections(ctx)
}

// checkSectionSlug refuses a section slug that begins a route of the site.
// (A slug an article has is refused by the store, atomically.)
func checkSectionSlug(slug string) error {
	if urls.Reserved(slug) {
		return &article.FieldError{Field: "slug", Msg: fmt.Sprintf("%q is taken by the site's own addresses (%s)", slug, urls.Article(slug))}
	}
	return nil
}

// AddSection stores a new section, last in order. Errors: a Refusal, an
// *article.FieldError, store.ErrConflict for a slug another section or
// an article has.
func (s *Service) AddSection(ctx context.Context, actor Actor, se *article.Section) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	if err := se.Normalize(); err != nil {
		return err
	}
	if err := checkSectionSlug(se.Slug); err != nil {
		return err
	}
	if n, err := s.store.Sections(ctx); err != nil {
		return err
	} else if len(n) >= article.MaxSections {
		return &article.FieldError{Field: "name", Msg: fmt.Sprintf("the site has %d sections, the most it may have", len(n))}
	}
	if err := s.store.CreateSection(ctx, se); err != nil {
		return err
	}
	s.audit(ctx, actor, "added section", se.Slug, se.Name)
	return nil
}

// EditSection changes section slug's name, slug and description: an
// empty name or slug keeps the old one (a section always has both), the
// description is replaced (empty clears it). A new slug sends readers of
// the old front page to the new one.
func (s *Service) EditSection(ctx context.Context, actor Actor, slug string, change article.Section) (*article.Section, error) {
	if err := mayArrange(actor); err != nil {
		return nil, err
	}
	se, err := s.store.Section(ctx, slug)
	if err != nil {
		return nil, err
	}
	next := *se
	if strings.TrimSpace(change.Name) != "" {
		next.Name = change.Name
	}
	if strings.TrimSpace(change.Slug) != "" {
		next.Slug = change.Slug
	}
	next.Description = change.Description
	if err := next.Normalize(); err != nil {
		return nil, err
	}
	if next.Slug != se.Slug {
		if err := checkSectionSlug(next.Slug); err != nil {
			return nil, err
		}
	}
	if err := s.store.UpdateSection(ctx, &next); err != nil {
		return nil, err
	}
	detail := next.Name
	if next.Slug != se.Slug {
		detail += ", was " + se.Slug
	}
	s.audit(ctx, actor, "changed section", next.Slug, detail)
	return &next, nil
}

// ArrangeSections puts the sections in the order of slugs, which must name
// each section once.
func (s *Service) ArrangeSections(ctx context.Context, actor Actor, slugs []string) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	ss, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(slugs))
	for _, slug := range slugs {
		se := findSection(ss, slug)
		if se == nil {
			return fmt.Errorf("%w: no section has the slug %q", store.ErrNotFound, slug)
		}
		ids = append(ids, se.ID)
	}
	if len(ids) != len(ss) {
		return fmt.Errorf("%w: the order names %d sections; the site has %d", store.ErrConflict, len(ids), len(ss))
	}
	if err := s.store.OrderSections(ctx, ids); err != nil {
		return err
	}
	s.audit(ctx, actor, "ordered sections", "", strings.Join(slugs, ", "))
	return nil
}

// MoveSection moves section slug by delta places (-1 up, 1 down) in the
// order, for the admin's buttons; at either end it stays.
func (s *Service) MoveSection(ctx context.Context, actor Actor, slug string, delta int) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	ss, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	slugs := make([]string, len(ss))
	at := -1
	for i, se := range ss {
		slugs[i] = se.Slug
		if se.Slug == slug {
			at = i
		}
	}
	if at < 0 {
		return fmt.Errorf("%w: no section has the slug %q", store.ErrNotFound, slug)
	}
	to := min(max(at+delta, 0), len(slugs)-1)
	if to == at {
		return nil // at an end already: nothing to save or audit
	}
	slugs[at], slugs[to] = slugs[to], slugs[at]
	return s.ArrangeSections(ctx, actor, slugs)
}

// RemoveSection deletes section slug. Its articles move to the section
// moveTo when given; without it, a section with articles is refused with
// their count (store.ErrConflict).
func (s *Service) RemoveSection(ctx context.Context, actor Actor, slug, moveTo string) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	if err := s.store.DeleteSection(ctx, slug, moveTo); err != nil {
		return err
	}
	detail := ""
	if moveTo != "" {
		detail = "articles moved to " + moveTo
	}
	s.audit(ctx, actor, "deleted section", slug, detail)
	return nil
}

func findSection(ss []article.Section, slug string) *article.Section {
	for i := range ss {
		if ss[i].Slug == slug {
			return &ss[i]
		}
	}
	return nil
}

// placeInSection gives a the section it names, found by ID (a restored
// revision's) or by slug or name (a form's, an import's), or, when it
// names none, the first section of the site's order: every article has a
// primary section once the site has sections. A section that does not
// exist is a *article.FieldError listing those that do. With newSlug (a
// new article, or one given another slug) it also refuses a slug that is
// a section's or begins a route of the site: the article would be hidden
// behind that page.
func placeInSection(ss []article.Section, a *article.Article, newSlug bool) error {
	switch {
	case !newSlug:
	case urls.Reserved(a.Slug):
		return &article.FieldError{Field: "slug", Msg: fmt.Sprintf("slug %q is taken by the site's own addresses (%s)", a.Slug, urls.Article(a.Slug))}
	case findSection(ss, a.Slug) != nil:
		return &article.FieldError{Field: "slug", Msg: fmt.Sprintf("slug %q is a section's: %s is its front page", a.Slug, urls.Article(a.Slug))}
	}
	want := a.Section
	a.Section = nil
	if a.Kind.IsPage() {
		// A page of the site stands outside the sections.
		return nil
	}
	if want == nil || (want.ID == 0 && want.Slug == "" && strings.TrimSpace(want.Name) == "") {
		if len(ss) > 0 {
			a.Section = &ss[0]
		}
		return nil
	}
	for i := range ss {
		se := &ss[i]
		byName := want.Slug == "" && (strings.EqualFold(se.Name, strings.TrimSpace(want.Name)) || se.Slug == article.Slugify(want.Name))
		if want.ID != 0 && se.ID == want.ID || want.ID == 0 && (se.Slug == want.Slug || byName) {
			a.Section = se
			return nil
		}
	}
	if want.ID != 0 {
		// A restored revision's section was deleted since: the first.
		if len(ss) > 0 {
			a.Section = &ss[0]
		}
		return nil
	}
	names := make([]string, len(ss))
	for i, se := range ss {
		names[i] = se.Slug
	}
	name := want.Slug
	if name == "" {
		name = want.Name
	}
	if len(ss) == 0 {
		return &article.FieldError{Field: "section", Msg: fmt.Sprintf("no section %q: the site has no sections yet", name)}
	}
	return &article.FieldError{Field: "section", Msg: fmt.Sprintf("no section %q; the sections are %s", name, strings.Join(names, ", "))}
}

// ensureSections creates, for an import, the sections its articles name
// that the site lacks (named as the file names them), and returns every
// section in order, and why a section could not be created, by the name
// or slug the article gave.
func (s *Service) ensureSections(ctx context.Context, actor Actor, as []*article.Article) ([]article.Section, map[string]error, error) {
	ss, err := s.store.Sections(ctx)
	if err != nil {
		return nil, nil, err
	}
	failed := map[string]error{}
	for _, a := range as {
		want := a.Section
		if want == nil || want.ID != 0 || (want.Slug == "" && strings.TrimSpace(want.Name) == "") {
			continue
		}
		probe := &article.Article{Section: want}
		var fe *article.FieldError
		if err := placeInSection(ss, probe, false); err == nil || !errors.As(err, &fe) || fe.Field != "section" {
			continue
		}
		se := &article.Section{Name: want.Name, Slug: want.Slug}
		if se.Name == "" {
			se.Name = want.Slug
		}
		if _, seen := failed[sectionKey(want)]; seen {
			continue
		}
		if err := s.AddSection(ctx, actor, se); err != nil {
			failed[sectionKey(want)] = err
			continue
		}
		ss = append(ss, *se)
	}
	return ss, failed, nil
}

// sectionKey names the section an article asks for.
func sectionKey(se *article.Section) string {
	if se.Slug != "" {
		return se.Slug
	}
	return strings.TrimSpace(se.Name)
}

// place gives a its section (see placeInSection) from the site's
// sections; current is the stored article a replaces, nil for a new one.
func (s *Service) place(ctx context.Context, current, a *article.Article) error {
	ss, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	return placeInSection(ss, a, current == nil || current.Slug != a.Slug)
}
