package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

func entitiesCommand() *command {
	return &command{
		name:    "entities",
		summary: "list, show, merge and find again the people, organisations and places the articles name",
		subs: []*command{
			entitiesListCommand(),
			entitiesShowCommand(),
			entitiesMergeCommand(),
			entitiesRebuildCommand(),
		},
	}
}

// entityJSON is an entity as the command line prints it, alone or as an
// article's.
type entityJSON struct {
	Kind string `json:"kind"` // person, organisation or place
	Name string `json:"name"`
	Slug string `json:"slug"`
	// Salience is how much the article is about it, from 0 to 1 (an
	// article's entities only).
	Salience *float64 `json:"salience,omitempty"`
	// Mentions is how often the article names it (an article's entities
	// only).
	Mentions int `json:"mentions,omitempty"`
	// Country and CountryCode are a place's country: its English short
	// name and ISO 3166-1 alpha-2 code.
	Country     string `json:"country,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
	Initials    string `json:"initials,omitempty"`
	Description string `json:"description,omitempty"`
	Banned      bool   `json:"banned,omitempty"`
	Articles    *int   `json:"articles,omitempty"` // the articles naming it (lists)
	Topic       string `json:"topic"`              // its topic page's address
}

func toEntityJSON(e *entity.Entity) entityJSON {
	j := entityJSON{Kind: string(e.Kind), Name: e.Name, Slug: e.Slug, Initials: e.Initials, Description: e.Description,
		Banned: e.Banned, Topic: urls.Topic(e.Slug)}
	if e.Country != "" {
		j.CountryCode = e.Country
		if g, err := entity.Default(); err == nil {
			if c := g.Country(e.Country); c != nil {
				j.Country = c.Name
			}
		}
	}
	return j
}

// articleEntitiesJSON lists an article's entities, most salient first.
func articleEntitiesJSON(links []entity.Link) []entityJSON {
	out := make([]entityJSON, 0, len(links))
	for _, l := range links {
		j := toEntityJSON(l.Entity)
		salience := l.Salience
		j.Salience, j.Mentions = &salience, len(l.Mentions)
		out = append(out, j)
	}
	return out
}

// printEntities writes an article's entities for a person at a terminal.
func printEntities(w io.Writer, links []entity.Link) {
	if len(links) == 0 {
		return
	}
	fmt.Fprintln(w, "\nEntities:")
	for _, l := range links {
		where := ""
		if l.Entity.Country != "" && l.Entity.Kind == entity.PlaceKind {
			where = ", " + l.Entity.Country
		}
		fmt.Fprintf(w, "  %-32s %s%s, salience %.2f, %d×\n", l.Entity.Name, l.Entity.Kind, where, l.Salience, len(l.Mentions))
	}
}

func entitiesListCommand() *command {
	var asJSON bool
	var kind, name string
	var limit int
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list the entities, most named first",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.StringVar(&kind, "kind", "", "only this kind: person, organisation or place")
			fs.StringVar(&name, "name", "", "only those whose name holds this")
			fs.IntVar(&limit, "n", 100, "at most this many (0: all)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "entities list takes no arguments; filter with --kind and --name")
			}
			q := store.EntityQuery{Name: strings.TrimSpace(name), Limit: limit}
			if kind != "" {
				k, ok := entity.ParseKind(kind)
				if !ok {
					return usage(e, fs, "--kind %q: give person, organisation or place", kind)
				}
				q.Kind = k
			}
			if limit < 0 {
				return usage(e, fs, "--n must be 0 (all) or more")
			}
			return withStore(e, fs, func(s store.Store) error {
				es, err := newsroomOf(e, s).Entities(e.ctx, q)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]entityJSON, 0, len(es))
					for i := range es {
						j := toEntityJSON(&es[i])
						j.Articles = &es[i].Articles
						out = append(out, j)
					}
					return writeJSON(e.stdout, out)
				}
				if len(es) == 0 {
					fmt.Fprintln(e.stdout, "no entities (dateline entities rebuild finds those of the archive)")
					return nil
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ARTICLES\tKIND\tNAME\tSLUG")
				for _, en := range es {
					name := en.Name
					if en.Banned {
						name += " (banned)"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", en.Articles, en.Kind, name, en.Slug)
				}
				return tw.Flush()
			})
		},
	}
}

// entityShowJSON is an entity with its names and articles.
type entityShowJSON struct {
	entityJSON
	Names    []string            `json:"names"`
	Mentions []entityMentionJSON `json:"mentioned_in"`
}

// entityMentionJSON is an article naming an entity.
type entityMentionJSON struct {
	Slug      string     `json:"slug"`
	Title     string     `json:"title"`
	Status    string     `json:"status"`
	Published *time.Time `json:"published_at"`
	Salience  float64    `json:"salience"`
	Mentions  int        `json:"mentions"`
	// Said are the words the article names it with, in order.
	Said []string `json:"said"`
}

func entitiesShowCommand() *command {
	var asJSON bool
	return &command{
		name:     "show",
		readOnly: true,
		args:     "SLUG",
		summary:  "show an entity, its names and the articles naming it",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one entity by its slug (dateline entities list shows them)")
			}
			return withStore(e, fs, func(s store.Store) error {
				news := newsroomOf(e, s)
				en, aliases, err := news.Entity(e.ctx, fs.Arg(0))
				if errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("entity %q", fs.Arg(0))}
				} else if err != nil {
					return err
				}
				out := entityShowJSON{entityJSON: toEntityJSON(en), Names: []string{}, Mentions: []entityMentionJSON{}}
				out.Articles = &en.Articles
				for _, a := range aliases {
					out.Names = append(out.Names, a.Name)
				}
				as, err := s.Articles(e.ctx, store.ArticleQuery{EntityID: en.ID, Whole: true})
				if err != nil {
					return err
				}
				ids := make([]int64, len(as))
				for i, a := range as {
					ids[i] = a.ID
				}
				links, err := news.ArticleEntities(e.ctx, ids)
				if err != nil {
					return err
				}
				for _, a := range as {
					m := entityMentionJSON{Slug: a.Slug, Title: a.Title, Status: string(a.Status), Said: []string{}}
					if !a.PublishedAt.IsZero() {
						m.Published = &a.PublishedAt
					}
					for _, l := range links[a.ID] {
						if l.EntityID == en.ID {
							m.Salience, m.Mentions = l.Salience, len(l.Mentions)
							m.Said = saidIn(a, l.Mentions)
						}
					}
					out.Mentions = append(out.Mentions, m)
				}
				if asJSON {
					return writeJSON(e.stdout, out)
				}
				printEntity(e.stdout, out)
				return nil
			})
		},
	}
}

// saidIn is what the article writes at each mention, each once.
func saidIn(a *article.Article, ms []entity.Mention) []string {
	var said []string
	seen := map[string]bool{}
	for _, m := range ms {
		text := map[entity.Field]string{entity.InTitle: a.Title, entity.InStandfirst: a.Description, entity.InBody: a.Body}[m.Field]
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			continue
		}
		if w := text[m.Start:m.End]; !seen[w] {
			seen[w] = true
			said = append(said, w)
		}
	}
	return said
}

func printEntity(w io.Writer, en entityShowJSON) {
	fmt.Fprintf(w, "%s\n%s\n\n", en.Name, strings.Repeat("=", min(len([]rune(en.Name)), 80)))
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-13s %s\n", name+":", value)
		}
	}
	field("Kind", en.Kind)
	field("Slug", en.Slug)
	if en.Country != "" {
		field("Country", en.Country+" ("+en.CountryCode+")")
	}
	field("Initials", en.Initials)
	field("Names", strings.Join(en.Names, ", "))
	field("Description", en.Description)
	if en.Banned {
		field("Banned", "yes: shown on no page")
	}
	field("Topic page", en.Topic)
	fmt.Fprintf(w, "\nNamed in %d articles:\n", len(en.Mentions))
	for _, m := range en.Mentions {
		when := "not published"
		if m.Published != nil {
			when = formatDate(*m.Published)
		}
		fmt.Fprintf(w, "  %s  %s (%s), salience %.2f, %d× as %s\n", when, m.Title, m.Slug, m.Salience, m.Mentions, strings.Join(m.Said, ", "))
	}
}

func entitiesMergeCommand() *command {
	return &command{
		name:    "merge",
		args:    "FROM INTO",
		summary: "make entity FROM one with INTO (by slugs): its names and articles go to INTO, its topic page redirects",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the entity to merge and the one to merge it into, by slug: dateline entities merge daesh islamic-state")
			}
			return withStore(e, fs, func(s store.Store) error {
				into, err := newsroomOf(e, s).MergeEntities(e.ctx, cliAs, fs.Arg(0), fs.Arg(1))
				var field *article.FieldError
				switch {
				case errors.As(err, &field):
					return errors.New(field.Msg)
				case errors.Is(err, store.ErrNotFound):
					return errors.New(reason(err, store.ErrNotFound)) // it names the slug missing
				case err != nil:
					return err
				}
				fmt.Fprintf(e.stdout, "merged %s into %s (%s), now named in %d articles; %s redirects to %s\n",
					fs.Arg(0), into.Name, into.Slug, into.Articles, urls.Topic(fs.Arg(0)), urls.Topic(into.Slug))
				return nil
			})
		},
	}
}

func entitiesRebuildCommand() *command {
	return &command{
		name:    "rebuild",
		summary: "find the entities of every article again, with the names the whole archive teaches, and group the stories",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "entities rebuild takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				start := time.Now()
				rep, err := rebuildEntities(e, newsroomOf(e, s), e.stdoutIsTerminal)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, rebuildSummary(rep, time.Since(start)))
				return nil
			})
		},
	}
}

// rebuildSummary is the line that tells what a rebuild of the entities
// found, after the command or an import.
func rebuildSummary(rep newsroom.RebuildReport, took time.Duration) string {
	return fmt.Sprintf("%d %s read in %v: %d %s named %d %s, %d %s of several articles; %d %s no article names any more removed",
		rep.Articles, pluralize(rep.Articles, "article", "articles"), took.Round(time.Millisecond),
		rep.Entities, pluralize(rep.Entities, "entity", "entities"), rep.Links, pluralize(rep.Links, "time", "times"),
		rep.Stories, pluralize(rep.Stories, "story", "stories"), rep.Removed, pluralize(rep.Removed, "entity", "entities"))
}

// rebuildEntities runs the service's rebuild, with a progress bar when
// showBar is set (a terminal, not --quiet).
func rebuildEntities(e *env, news *newsroom.Service, showBar bool) (newsroom.RebuildReport, error) {
	var bar *progressbar.ProgressBar
	var barPass string
	rep, err := news.RebuildEntities(e.ctx, func(pass string, done, total int) {
		if !showBar {
			return
		}
		if bar == nil || pass != barPass {
			if bar != nil {
				_ = bar.Finish()
			}
			barPass = pass
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.stdout),
				progressbar.OptionSetDescription(pass+" entities"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	})
	if bar != nil {
		_ = bar.Finish()
	}
	return rep, err
}
