package newsroom

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// FrontPageSlots is how many stories editors may pin to the front page:
// the lead and the secondary row under it.
const (
	FrontPageSlots = 1 + SecondarySlots
	SecondarySlots = 4
)

// Pinned lists the stories pinned to the front page in order, the lead
// first, whatever their status: an unpublished one keeps its place but
// readers do not see it while it is not public.
func (s *Service) Pinned(ctx context.Context) ([]*article.Article, error) {
	ids, err := s.store.Pins(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return s.byIDs(ctx, ids)
}

// byIDs loads the articles with ids, in that order, leaving out those
// deleted meanwhile.
func (s *Service) byIDs(ctx context.Context, ids []int64) ([]*article.Article, error) {
	var out []*article.Article
	for _, id := range ids {
		a, err := s.store.ArticleByID(ctx, id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Pin pins the article slug to the front page at position at (0 is the
// lead; past the end, last). A draft cannot be pinned, nor a story when
// every slot is pinned already.
func (s *Service) Pin(ctx context.Context, actor Actor, slug string, at int) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	a, err := s.store.Article(ctx, slug)
	if err != nil {
		return err
	}
	if a.Status == article.Draft {
		return &article.FieldError{Field: "article", Msg: fmt.Sprintf("%q is a draft: publish or schedule it before pinning it", a.Title)}
	}
	if a.Kind.IsPage() {
		return &article.FieldError{Field: "article", Msg: fmt.Sprintf("%q is a page of the site, not a story: link it from a menu instead", a.Title)}
	}
	ids, err := s.store.Pins(ctx)
	if err != nil {
		return err
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id == a.ID })
	if len(ids) >= FrontPageSlots {
		return &article.FieldError{Field: "article", Msg: fmt.Sprintf("the front page has %d pinned stories, all its slots: unpin one first", len(ids))}
	}
	at = min(max(at, 0), len(ids))
	return s.setPins(ctx, actor, slices.Insert(ids, at, a.ID))
}

// Unpin takes the article slug off the front page; its slot fills with
// the newest story again.
func (s *Service) Unpin(ctx context.Context, actor Actor, slug string) error {
	ids, at, err := s.pinned(ctx, actor, slug)
	if err != nil {
		return err
	}
	return s.setPins(ctx, actor, slices.Delete(ids, at, at+1))
}

// MovePin moves the pinned article slug by delta places (-1 towards the
// lead, 1 away), for the admin's buttons; at either end it stays.
func (s *Service) MovePin(ctx context.Context, actor Actor, slug string, delta int) error {
	ids, at, err := s.pinned(ctx, actor, slug)
	if err != nil {
		return err
	}
	to := min(max(at+delta, 0), len(ids)-1)
	if to == at {
		return nil // at an end already: nothing to save or audit
	}
	ids[at], ids[to] = ids[to], ids[at]
	return s.setPins(ctx, actor, ids)
}

// pinned checks that the actor may arrange the front page and finds the
// pinned article slug: the pins, and its place among them. An article
// not pinned wraps store.ErrNotFound.
func (s *Service) pinned(ctx context.Context, actor Actor, slug string) (ids []int64, at int, err error) {
	if err := mayArrange(actor); err != nil {
		return nil, 0, err
	}
	a, err := s.store.Article(ctx, slug)
	if err != nil {
		return nil, 0, err
	}
	if ids, err = s.store.Pins(ctx); err != nil {
		return nil, 0, err
	}
	if at = slices.Index(ids, a.ID); at < 0 {
		return nil, 0, fmt.Errorf("%w: %q is not pinned to the front page", store.ErrNotFound, a.Title)
	}
	return ids, at, nil
}

// OrderPins puts the pinned stories in the order of slugs, which must
// name each pinned story once: for dragging them into place.
func (s *Service) OrderPins(ctx context.Context, actor Actor, slugs []string) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	pinned, err := s.store.Pins(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(slugs))
	for _, slug := range slugs {
		a, err := s.store.Article(ctx, slug)
		if err != nil {
			return err
		}
		ids = append(ids, a.ID)
	}
	if !slices.Equal(slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values(pinned))) {
		return fmt.Errorf("%w: the new order names other stories than those pinned", store.ErrConflict)
	}
	return s.setPins(ctx, actor, ids)
}

func (s *Service) setPins(ctx context.Context, actor Actor, ids []int64) error {
	if err := s.store.SetPins(ctx, ids); err != nil {
		return err
	}
	as, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil // stored; the audit line is the only loss
	}
	slugs := make([]string, len(as))
	for i, a := range as {
		slugs[i] = a.Slug
	}
	s.audit(ctx, actor, "arranged the front page", "", strings.Join(slugs, ", "))
	return nil
}
