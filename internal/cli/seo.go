package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
)

// maxKeyphraseLen bounds a focus keyphrase: a search phrase, not a
// sentence.
const maxKeyphraseLen = 100

func seoCommand() *command {
	return &command{
		name:    "seo",
		summary: "check articles for search engines and readers; set focus keyphrases and SEO titles",
		subs: []*command{
			seoCheckCommand(),
			seoKeyphraseCommand(),
			seoTitleCommand(),
		},
	}
}

func seoCheckCommand() *command {
	var asJSON bool
	return &command{
		name:     "check",
		readOnly: true,
		args:     "[SLUG]",
		summary:  "check an article (every article, newest first, without SLUG) for search engines and readers: ok, improve or problem, and a score",
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "the site's address, such as https://news.example.org: links to it count as internal, as relative links always do (env DATELINE_BASE_URL)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() > 1 {
				return usage(e, fs, "name at most one article by its slug")
			}
			site := seo.SiteFacts{BaseURL: e.cfg.BaseURL}
			return withStore(e, fs, func(s store.Store) error {
				var as []*article.Article
				if fs.NArg() == 1 {
					a, err := findArticle(e, s, fs.Arg(0))
					if err != nil {
						return err
					}
					as = append(as, a)
				} else {
					list, err := s.Articles(e.ctx, store.ArticleQuery{Whole: true})
					if err != nil {
						return err
					}
					as = list
				}
				r := render.New()
				out := make([]seoReportJSON, 0, len(as))
				images, err := newsroom.Images(e.ctx, s, as...)
				if err != nil {
					return err
				}
				for _, a := range as {
					facts := site
					facts.Images = images.Of(a)
					facts.SetKeyphrase = fmt.Sprintf(`with 'dateline seo keyphrase %s "PHRASE"' or focus_keyphrase: in the front matter`, a.Slug)
					out = append(out, seoJSON(a, seo.Analyze(a, r.Parse([]byte(a.Body)), facts)))
				}
				if asJSON {
					return writeJSON(e.stdout, out)
				}
				if len(as) == 0 {
					fmt.Fprintln(e.stderr, "no articles yet; add some with 'dateline import PATH'")
					return nil
				}
				return printSEOReports(e.stdout, out)
			})
		},
	}
}

func seoKeyphraseCommand() *command {
	return seoFieldCommand(seoField{
		name: "keyphrase", what: "focus keyphrase", example: `"flood barrier"`,
		summary: `set the focus keyphrase the SEO check looks for ("" removes it)`,
		check: func(phrase string) string {
			if n := utf8.RuneCountInString(phrase); n > maxKeyphraseLen {
				return fmt.Sprintf("the keyphrase has %d characters, more than %d: a keyphrase is a search phrase of a few words", n, maxKeyphraseLen)
			}
			return ""
		},
		set: (*newsroom.Service).SetKeyphrase,
	})
}

func seoTitleCommand() *command {
	return seoFieldCommand(seoField{
		name: "title", what: "SEO title", example: `"Flood barrier holds on the Ems"`,
		summary: `set the title search results and share cards show instead of the headline ("" for the headline)`,
		check:   func(string) string { return "" },
		set:     (*newsroom.Service).SetSEOTitle,
	})
}

// seoField is one of an article's SEO fields, as a command sets it.
type seoField struct {
	name, what, example, summary string
	// check returns what is wrong with a value, or "".
	check func(value string) string
	set   func(s *newsroom.Service, ctx context.Context, actor newsroom.Actor, a *article.Article, value string) (bool, error)
}

// seoFieldCommand is the command that sets f: SLUG then the value, in
// one or several words.
func seoFieldCommand(f seoField) *command {
	return &command{
		name:    f.name,
		args:    "SLUG " + strings.ToUpper(strings.ReplaceAll(f.what, " ", "_")),
		summary: f.summary,
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() < 2 {
				return usage(e, fs, "name the article's slug and the %s, such as: %s SLUG %s", f.what, fs.Name(), f.example)
			}
			slug := fs.Arg(0)
			value := strings.Join(strings.Fields(strings.Join(fs.Args()[1:], " ")), " ")
			if msg := f.check(value); msg != "" {
				return usage(e, fs, "%s", msg)
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, slug)
				if err != nil {
					return err
				}
				changed, err := f.set(newsroomOf(e, s), e.ctx, cliAs, a, value)
				if err != nil {
					return err
				}
				switch {
				case !changed:
					fmt.Fprintf(e.stdout, "%s already has this %s; nothing changed\n", a.Slug, f.what)
				case value == "":
					fmt.Fprintf(e.stdout, "removed the %s of %s\n", f.what, a.Slug)
				default:
					fmt.Fprintf(e.stdout, "set the %s of %s to %q; see 'dateline seo check %s'\n", f.what, a.Slug, value, a.Slug)
				}
				return nil
			})
		},
	}
}

// The JSON shape printed by seo check: an array of these, one per
// article.

type seoReportJSON struct {
	Slug           string         `json:"slug"`
	Title          string         `json:"title"`
	FocusKeyphrase string         `json:"focus_keyphrase,omitempty"`
	Score          int            `json:"score"`
	Checks         []seoCheckJSON `json:"checks"`
}

type seoCheckJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

func seoJSON(a *article.Article, r seo.Report) seoReportJSON {
	out := seoReportJSON{
		Slug: a.Slug, Title: a.Title, FocusKeyphrase: a.FocusKeyphrase, Score: r.Score,
		Checks: make([]seoCheckJSON, 0, len(r.Checks)),
	}
	for _, c := range r.Checks {
		out.Checks = append(out.Checks, seoCheckJSON{ID: c.ID, Name: c.Name, Status: string(c.Status), Reason: c.Reason})
	}
	return out
}

// printSEOReports prints each report as its article's title, slug and
// score, then one line per check: status, name, reason.
func printSEOReports(w io.Writer, reports []seoReportJSON) error {
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n%s  score %d/100", r.Title, r.Slug, r.Score)
		if r.FocusKeyphrase != "" {
			fmt.Fprintf(w, "  keyphrase %q", r.FocusKeyphrase)
		}
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range r.Checks {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Status, c.Name, c.Reason)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
