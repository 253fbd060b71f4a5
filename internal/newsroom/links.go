package newsroom

import (
	"context"
	"fmt"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
)

// StaleSuggestionsError names suggestion IDs that no longer fit the text:
// it or the archive changed since they were offered.
type StaleSuggestionsError struct{ IDs []string }

func (e *StaleSuggestionsError) Error() string {
	return fmt.Sprintf("no current suggestion %s (the text or the archive changed since it was offered)", strings.Join(e.IDs, ", "))
}

// Link returns a's body with the chosen suggestions, named by the IDs
// linking.Suggest gave them for this same text, written in as links. It
// stores nothing: the editor links an unsaved text too.
func (s *Service) Link(ix *linking.Index, a *article.Article, ids []string) (string, []linking.Suggestion, error) {
	chosen, missing := linking.Lookup(ix, s.renderer, a, linking.SuggestOptions{}, ids)
	if len(missing) > 0 {
		return "", nil, &StaleSuggestionsError{IDs: missing}
	}
	body, err := linking.Apply(a.Body, chosen)
	if err != nil {
		return "", nil, err
	}
	return body, chosen, nil
}

// ApplyLinks writes the chosen suggestions into stored article a as a new
// version (undone by restoring the one it replaces).
func (s *Service) ApplyLinks(ctx context.Context, actor Actor, ix *linking.Index, a *article.Article, ids []string) (*article.Article, []linking.Suggestion, error) {
	body, chosen, err := s.Link(ix, a, ids)
	if err != nil {
		return nil, nil, err
	}
	next := *a
	next.Body = body
	if err := s.Save(ctx, actor, a, &next, "links applied"); err != nil {
		return nil, nil, err
	}
	return &next, chosen, nil
}
