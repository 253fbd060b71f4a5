package newsroom

import (
	"context"
	"fmt"
	"time"

	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/user"
)

// MaxSearchResults bounds a page of search results.
const MaxSearchResults = 100

// SearchPublic finds what readers may read (public articles and pages)
// for the query text as typed, narrowed and paged by o (whose PublicAt is
// set to now).
func (s *Service) SearchPublic(ctx context.Context, text string, o search.Options) (search.Query, search.Results, error) {
	o.PublicAt = s.now()
	o.OwnerID = 0
	return s.search(ctx, text, o)
}

// SearchNewsroom finds articles for the newsroom, drafts included: all of
// them for a role that may edit others' articles (and the system), a
// writer's own otherwise.
func (s *Service) SearchNewsroom(ctx context.Context, actor Actor, text string, o search.Options) (search.Query, search.Results, error) {
	o.PublicAt = time.Time{}
	o.OwnerID = 0
	if u := actor.User; u != nil && !u.Role.Can(user.EditAllArticles) {
		o.OwnerID = u.ID
	}
	return s.search(ctx, text, o)
}

func (s *Service) search(ctx context.Context, text string, o search.Options) (search.Query, search.Results, error) {
	q := search.Parse(text)
	if o.Limit <= 0 || o.Limit > MaxSearchResults {
		o.Limit = min(max(o.Limit, 10), MaxSearchResults)
	}
	o.Offset = max(o.Offset, 0)
	if !o.From.IsZero() && !o.To.IsZero() && !o.From.Before(o.To) {
		return q, search.Results{}, fmt.Errorf("search: the date range ends (%s) before it starts (%s)", o.To.Format("2 January 2006"), o.From.Format("2 January 2006"))
	}
	res, err := s.store.SearchArticles(ctx, q, o)
	return q, res, err
}
