package cli

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

func linksCommand() *command {
	return &command{
		name:    "links",
		summary: "related articles, internal link suggestions and the link report",
		subs: []*command{
			linksRelatedCommand(),
			linksSuggestCommand(),
			linksApplyCommand(),
			linksReportCommand(),
			linksTrainCommand(),
		},
	}
}

// buildIndex indexes every public article.
func buildIndex(e *env, s store.Store, r *render.Renderer) (*linking.Index, error) {
	language, err := siteLanguage(e.ctx, s, e.cfg.Language)
	if err != nil {
		return nil, err
	}
	trained, _, err := newsroomOf(e, s).SiteWordVectors(e.ctx, language)
	if err != nil {
		return nil, err
	}
	ix := linking.NewIndexFor(language, trained)
	load := ix.Loader(runtime.GOMAXPROCS(0))
	err = s.EachArticle(e.ctx, store.ArticleQuery{PublicAt: e.now(), Kind: article.Story}, func(a *article.Article) error {
		load.Add(func() linking.Doc { return linking.DocFromArticle(r, a) })
		return nil
	})
	load.Wait()
	return ix, err
}

// withArticleIndex opens the store, indexes the archive and loads the
// article named by the first argument, for fn.
func withArticleIndex(e *env, fs *flag.FlagSet, fn func(store.Store, *render.Renderer, *linking.Index, *article.Article) error) int {
	return withStore(e, fs, func(s store.Store) error {
		r := render.New()
		ix, err := buildIndex(e, s, r)
		if err != nil {
			return err
		}
		a, err := findArticle(e, s, fs.Arg(0))
		if err != nil {
			return err
		}
		return fn(s, r, ix, a)
	})
}

type relatedJSON struct {
	Slug    string          `json:"slug"`
	Title   string          `json:"title"`
	Related []linking.Match `json:"related"`
}

func linksRelatedCommand() *command {
	var asJSON bool
	var n int
	return &command{
		name:     "related",
		readOnly: true,
		args:     "[SLUG]",
		summary:  "the articles most related to one article, or to every article",
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.IntVar(&n, "n", 5, "how many related articles")
			fs.Float64Var(&cfg.RelatedFloor, "related-floor", cfg.RelatedFloor, "the TF-IDF cosine, from 0 to 1, an article needs to be shown as related (env DATELINE_RELATED_FLOOR)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() > 1 || n < 1 {
				return usage(e, fs, "name at most one article, and --n of at least 1")
			}
			return withStore(e, fs, func(s store.Store) error {
				r := render.New()
				ix, err := buildIndex(e, s, r)
				if err != nil {
					return err
				}
				var targets []*article.Article
				if fs.NArg() == 1 {
					a, err := findArticle(e, s, fs.Arg(0))
					if err != nil {
						return err
					}
					if _, ok := ix.Doc(a.ID); !ok {
						return fmt.Errorf("article %q is not published, so it has no related articles yet", a.Slug)
					}
					targets = append(targets, a)
				} else {
					as, err := s.Articles(e.ctx, store.ArticleQuery{PublicAt: e.now(), Kind: article.Story})
					if err != nil {
						return err
					}
					targets = as
				}
				out := make([]relatedJSON, 0, len(targets))
				for _, a := range targets {
					related := ix.Related(a.ID, n, e.cfg.RelatedFloor)
					ix.Explain(a.ID, related)
					out = append(out, relatedJSON{Slug: a.Slug, Title: a.Title, Related: nonNil(related)})
				}
				if asJSON {
					return writeJSON(e.stdout, out)
				}
				for _, rel := range out {
					fmt.Fprintf(e.stdout, "%s\n", rel.Slug)
					if len(rel.Related) == 0 {
						fmt.Fprintf(e.stdout, "  none with a cosine of %g or more\n", e.cfg.RelatedFloor)
					}
					for i, m := range rel.Related {
						fmt.Fprintf(e.stdout, "  %d. %-60s %.3f (cosine %.3f)  %s\n", i+1, m.Slug, m.Score, m.Cosine, m.Reason)
					}
				}
				return nil
			})
		},
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func linksSuggestCommand() *command {
	var asJSON, inbound bool
	return &command{
		name:     "suggest",
		readOnly: true,
		args:     "SLUG",
		summary:  "where an article's text could link to related articles (--inbound: which articles should link to it)",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.BoolVar(&inbound, "inbound", false, "suggest links to this article from others")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one article by its slug")
			}
			return withArticleIndex(e, fs, func(s store.Store, r *render.Renderer, ix *linking.Index, a *article.Article) error {
				var ss []linking.Suggestion
				var err error
				if inbound {
					ss, err = linking.Inbound(ix, r, a.ID, func(id int64) (*article.Article, error) {
						d, ok := ix.Doc(id)
						if !ok {
							return nil, fmt.Errorf("article %d left the index", id)
						}
						return s.Article(e.ctx, d.Slug)
					}, linking.SuggestOptions{})
					if err != nil {
						return err
					}
				} else {
					ss = linking.Suggest(ix, r, a, linking.SuggestOptions{})
				}
				if asJSON {
					return writeJSON(e.stdout, nonNil(ss))
				}
				if len(ss) == 0 {
					fmt.Fprintln(e.stdout, "no suggestions")
					return nil
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tIN\tPARAGRAPH\tPHRASE\tTARGET\tSCORE")
				for _, sg := range ss {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%.2f\n", sg.ID, sg.SourceSlug, sg.Paragraph, sg.Phrase, sg.Target.Slug, sg.Score)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if !inbound {
					fmt.Fprintf(e.stdout, "\napply with: dateline links apply %s ID... (an ID stays valid while others are applied)\n", a.Slug)
				}
				return nil
			})
		},
	}
}

func linksApplyCommand() *command {
	return &command{
		name:    "apply",
		args:    "SLUG SUGGESTION-ID...",
		summary: "write suggested links, by their IDs from 'links suggest', into an article as a new revision (undo with article restore)",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() < 2 {
				return usage(e, fs, "name the article and at least one suggestion ID (see 'dateline links suggest SLUG')")
			}
			return withArticleIndex(e, fs, func(s store.Store, r *render.Renderer, ix *linking.Index, a *article.Article) error {
				revs, err := s.Revisions(e.ctx, a.ID)
				if err != nil {
					return err
				}
				_, chosen, err := newsroomOf(e, s).ApplyLinks(e.ctx, cliAs, ix, a, fs.Args()[1:])
				var stale *newsroom.StaleSuggestionsError
				if errors.As(err, &stale) {
					return fmt.Errorf("no current suggestion %s for %s (the text or the archive changed?); run 'dateline links suggest %s'", strings.Join(stale.IDs, ", "), a.Slug, a.Slug)
				} else if err != nil {
					return err
				}
				for _, sg := range chosen {
					fmt.Fprintf(e.stdout, "linked %q to %s\n", sg.Phrase, urls.Article(sg.Target.Slug))
				}
				fmt.Fprintf(e.stdout, "saved; undo with: dateline article restore %s %d\n", a.Slug, len(revs)+1)
				return nil
			})
		},
	}
}

func linksReportCommand() *command {
	var asJSON bool
	return &command{
		name:     "report",
		readOnly: true,
		summary:  "inbound and outbound internal links of every article, orphans, broken links and requested links that name no article",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				r := render.New()
				b := linking.NewReport(e.cfg.BaseURL)
				now := e.now()
				requested := false
				err := s.EachArticle(e.ctx, store.ArticleQuery{}, func(a *article.Article) error {
					b.Add(a.Slug, a.Title, a.IsPublic(now), linking.Links(r, a.Body))
					if len(a.RequestedLinks) > 0 {
						b.Request(a.ID, a.Slug, a.RequestedLinks)
						requested = true
					}
					return nil
				})
				if err != nil {
					return err
				}
				// Requested links resolve by title in the index, as on the
				// site; an archive with none needs no index.
				ix := linking.NewIndex()
				if requested {
					if ix, err = buildIndex(e, s, r); err != nil {
						return err
					}
				}
				redirects := map[string]string{}
				rs, err := s.Redirects(e.ctx)
				if err != nil {
					return err
				}
				for _, rd := range rs {
					redirects[rd.From] = rd.To
				}
				rep := b.Build(redirects, ix)
				if asJSON {
					return writeJSON(e.stdout, rep)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ARTICLE\tIN\tOUT")
				for _, a := range rep.Articles {
					if a.Public {
						fmt.Fprintf(tw, "%s\t%d\t%d\n", a.Slug, len(a.Inbound), len(a.Outbound))
					}
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "\n%d orphans (no internal link points to them):\n", len(rep.Orphans))
				for _, o := range rep.Orphans {
					fmt.Fprintf(e.stdout, "  %s\n", o)
				}
				fmt.Fprintf(e.stdout, "\n%d broken internal links:\n", len(rep.Broken))
				for _, br := range rep.Broken {
					fmt.Fprintf(e.stdout, "  %s -> %s: %s\n", br.Source, br.Href, br.Reason)
				}
				fmt.Fprintf(e.stdout, "\n%d unresolved requested links (no published article has a title like them, so no link is made):\n", len(rep.Unresolved))
				// Build lists an article's together: its count, then its titles.
				for un := rep.Unresolved; len(un) > 0; {
					n := 1
					for n < len(un) && un[n].Source == un[0].Source {
						n++
					}
					fmt.Fprintf(e.stdout, "  %s: %d\n", un[0].Source, n)
					for _, u := range un[:n] {
						fmt.Fprintf(e.stdout, "    %q\n", u.Title)
					}
					un = un[n:]
				}
				return nil
			})
		},
	}
}
