package newsroom

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	if err != nil || res.Total > 0 || q.Empty() {
		return q, res, err
	}
	res.Suggestion, err = s.respell(ctx, q, o)
	return q, res, err
}

// respell suggests, for a query that found nothing, the same words with
// each that finds nothing alone replaced by the nearest word of the
// search index: at most one edit away for a word of up to five letters,
// two beyond, among the index's words with the same first letter (the
// most used first). It returns "" when no respelling finds anything.
// The index's words are stems: a suggestion shows them as articles
// write them (see surfaceForm).
func (s *Service) respell(ctx context.Context, q search.Query, o search.Options) (string, error) {
	words := q.Words()
	if len(words) == 0 || len(words) > 8 {
		return "", nil
	}
	o.Limit, o.Offset = 1, 0
	changed := false
	for i, w := range words {
		alone, err := s.store.SearchArticles(ctx, search.Parse(w), o)
		if err != nil {
			return "", err
		}
		if alone.Total > 0 {
			continue
		}
		first, _ := utf8.DecodeRuneInString(w)
		candidates, err := s.store.SearchWords(ctx, string(first), 5000)
		if err != nil {
			return "", err
		}
		best, bestDist := "", maxRespellEdits(w)+1
		for _, c := range candidates {
			if d := editDistance(w, c); d < bestDist {
				best, bestDist = c, d
			}
		}
		if best == "" {
			return "", nil
		}
		if best, err = s.surfaceForm(ctx, best, o); err != nil {
			return "", err
		}
		words[i], changed = best, true
	}
	if !changed {
		return "", nil
	}
	suggestion := strings.Join(words, " ")
	found, err := s.store.SearchArticles(ctx, search.Parse(suggestion), o)
	if err != nil || found.Total == 0 {
		return "", err
	}
	return suggestion, nil
}

// surfaceForm is the word as articles write it for a word of the search
// index, which holds stems ("compani" for "company", "companies"): the
// form the engine marks most often in the snippets of the best matches,
// lower case, or the stem itself when no snippet marks one.
func (s *Service) surfaceForm(ctx context.Context, stem string, o search.Options) (string, error) {
	o.Limit = 5
	res, err := s.store.SearchArticles(ctx, search.Parse(stem), o)
	if err != nil {
		return "", err
	}
	seen := map[string]int{}
	best := stem
	for _, h := range res.Hits {
		rest := string(h.Snippet)
		for {
			_, after, ok := strings.Cut(rest, search.SnippetStart)
			if !ok {
				break
			}
			word, tail, _ := strings.Cut(after, search.SnippetEnd)
			rest = tail
			word = strings.ToLower(word)
			if word == "" || strings.ContainsFunc(word, unicode.IsSpace) {
				continue
			}
			seen[word]++
			if seen[word] > seen[best] || (seen[word] == seen[best] && word < best) {
				best = word
			}
		}
	}
	return best, nil
}

// maxRespellEdits is how far a suggestion may be from the word typed.
func maxRespellEdits(word string) int {
	if utf8.RuneCountInString(word) <= 5 {
		return 1
	}
	return 2
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
