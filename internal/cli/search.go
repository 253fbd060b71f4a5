package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/schollz/progressbar/v3"
)

// searchHitJSON is one result of "dateline search --json".
type searchHitJSON struct {
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Section   string    `json:"section,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Snippet   string    `json:"snippet"`
	Score     float64   `json:"score"`
}

type searchJSON struct {
	Query      string          `json:"query"`
	Total      int             `json:"total"`
	Suggestion string          `json:"suggestion,omitempty"`
	Hits       []searchHitJSON `json:"hits"`
}

func searchCommand() *command {
	var asJSON bool
	var n int
	var section, from, to string
	return &command{
		name:     "search",
		readOnly: true,
		args:     "QUERY | reindex",
		summary:  `search the public articles as readers do (words, "phrases", -words, prefix*, OR; quote a query with -words: 'tram -night'); "reindex" builds the search index again`,
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.IntVar(&n, "n", 10, "how many results, at most 100")
			fs.StringVar(&section, "section", "", "only articles of this section (its slug)")
			fs.StringVar(&from, "from", "", "only articles published on or after this day (YYYY-MM-DD, UTC)")
			fs.StringVar(&to, "to", "", "only articles published on or before this day (YYYY-MM-DD, UTC)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() == 1 && fs.Arg(0) == "reindex" {
				return reindexSearch(e, fs)
			}
			if fs.NArg() == 0 {
				return usage(e, fs, "give a query, such as: dateline search 'harbour ferry'")
			}
			if n < 1 || n > newsroom.MaxSearchResults {
				return usage(e, fs, "--n must be from 1 to %d", newsroom.MaxSearchResults)
			}
			o := search.Options{SectionSlug: section, Limit: n}
			var err error
			if o.From, err = parseDay(from, false); err != nil {
				return usage(e, fs, "--from: %v", err)
			}
			if o.To, err = parseDay(to, true); err != nil {
				return usage(e, fs, "--to: %v", err)
			}
			text := strings.Join(fs.Args(), " ")
			return withStore(e, fs, func(s store.Store) error {
				q, res, err := newsroomOf(e, s).SearchPublic(e.ctx, text, o)
				if err != nil {
					return err
				}
				out := searchJSON{Query: q.Text, Total: res.Total, Suggestion: res.Suggestion, Hits: []searchHitJSON{}}
				for _, h := range res.Hits {
					hit := searchHitJSON{Slug: h.Article.Slug, Title: h.Article.Title, Published: h.Article.PublishedAt,
						Snippet: h.Snippet.Text("[", "]"), Score: h.Score}
					if h.Article.Section != nil {
						hit.Section = h.Article.Section.Slug
					}
					out.Hits = append(out.Hits, hit)
				}
				if asJSON {
					return writeJSON(e.stdout, out)
				}
				if q.Empty() {
					fmt.Fprintln(e.stdout, "nothing to search for: give a word that is not excluded")
					return nil
				}
				fmt.Fprintf(e.stdout, "%d found for %s\n", res.Total, q.Text)
				if res.Suggestion != "" {
					fmt.Fprintf(e.stdout, "did you mean: %s\n", res.Suggestion)
				}
				for i, h := range out.Hits {
					fmt.Fprintf(e.stdout, "%2d. %s  %s  (%s)\n    %s\n", o.Offset+i+1, h.Title, h.Slug, formatDate(h.Published), h.Snippet)
				}
				return nil
			})
		},
	}
}

// reindexSearch builds the search index again from the articles.
func reindexSearch(e *env, fs *flag.FlagSet) int {
	e.readOnly = false
	return withStore(e, fs, func(s store.Store) error {
		start := time.Now()
		var bar *progressbar.ProgressBar
		progress := func(done, total int) {
			if !e.stdoutIsTerminal {
				return
			}
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.stdout),
					progressbar.OptionSetDescription("indexing"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
		}
		err := s.ReindexSearch(e.ctx, progress)
		if bar != nil {
			_ = bar.Finish()
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "search index built again in %v\n", time.Since(start).Round(time.Millisecond))
		return nil
	})
}

// parseDay reads a day as YYYY-MM-DD in UTC: its start, or with end the
// start of the next day (the bound is exclusive). "" is no bound.
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, errors.New("give a day as YYYY-MM-DD, such as 2026-03-01")
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}
