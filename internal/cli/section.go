package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

func sectionCommand() *command {
	return &command{
		name:    "section",
		summary: "add, list, rename, reorder and delete the newspaper's sections",
		subs: []*command{
			sectionAddCommand(),
			sectionListCommand(),
			sectionRenameCommand(),
			sectionMoveCommand(),
			sectionDeleteCommand(),
		},
	}
}

// unchanged reports whether a flag of 'section rename' leaves a field as it
// is: not given, or given as it is.
func unchanged(given, field string) bool {
	given = strings.TrimSpace(given)
	return given == "" || given == field
}

// sectionError rewords the service's refusals of a section change for a
// person at a terminal: the field at fault, or the store's reason.
func sectionError(err error) error {
	var field *article.FieldError
	switch {
	case errors.As(err, &field):
		return fmt.Errorf("%s: %s", field.Field, field.Msg)
	case errors.Is(err, store.ErrConflict):
		return refusal(err)
	}
	return err
}

// sectionSlugs lists the slugs of ss, for messages naming the choices.
func sectionSlugs(ss []article.Section, except string) string {
	var slugs []string
	for _, se := range ss {
		if se.Slug != except {
			slugs = append(slugs, se.Slug)
		}
	}
	return strings.Join(slugs, ", ")
}

// findSection loads a section by slug, with a message naming the sections
// there are when it does not exist.
func findSection(e *env, s store.Store, slug string) (*article.Section, error) {
	se, err := s.Section(e.ctx, slug)
	if !errors.Is(err, store.ErrNotFound) {
		return se, err
	}
	ss, err := s.Sections(e.ctx)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, fmt.Errorf("no section %q: the site has no sections yet", slug)
	}
	return nil, fmt.Errorf("no section %q; the sections are %s", slug, sectionSlugs(ss, ""))
}

func sectionAddCommand() *command {
	var slug, description string
	return &command{
		name:    "add",
		args:    "NAME",
		summary: "add a section, last in order; its front page is at /SLUG/",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.StringVar(&slug, "slug", "", "the front page's address, /SLUG/ (default: made from the name)")
			fs.StringVar(&description, "description", "", "a sentence or two on what the section covers")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one section (quote a name of several words, such as \"Local News\")")
			}
			if slug != "" {
				if err := article.ValidateSlug(slug); err != nil {
					return usage(e, fs, "--slug: %v", err)
				}
			}
			se := &article.Section{Name: fs.Arg(0), Slug: slug, Description: description}
			return withStore(e, fs, func(s store.Store) error {
				err := newsroomOf(e, s).AddSection(e.ctx, cliAs, se)
				var field *article.FieldError
				if errors.Is(err, store.ErrConflict) || errors.As(err, &field) && field.Field == "slug" {
					return fmt.Errorf("%w; give the section another slug with --slug", sectionError(err))
				}
				if err != nil {
					return sectionError(err)
				}
				fmt.Fprintf(e.stdout, "added section %s, front page %s\n", se.Name, urls.Article(se.Slug))
				return nil
			})
		},
	}
}

// sectionJSON is a section as 'section list --json' prints it.
type sectionJSON struct {
	Position    int    `json:"position"` // 1 for the first in order
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Articles    int    `json:"articles"`
	Path        string `json:"path"` // of the front page
}

func sectionListCommand() *command {
	var asJSON bool
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list the sections in order (of the menu and the home page), with their article counts",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				ss, err := s.Sections(e.ctx)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]sectionJSON, 0, len(ss))
					for i, se := range ss {
						out = append(out, sectionJSON{Position: i + 1, Slug: se.Slug, Name: se.Name, Description: se.Description,
							Articles: se.Articles, Path: urls.Article(se.Slug)})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "#\tSLUG\tNAME\tARTICLES\tDESCRIPTION")
				for i, se := range ss {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", i+1, se.Slug, se.Name, se.Articles, se.Description)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(ss) == 0 {
					fmt.Fprintln(e.stderr, "no sections yet; add one with 'dateline section add NAME'")
				}
				return nil
			})
		},
	}
}

func sectionRenameCommand() *command {
	var name, newSlug, description string
	return &command{
		name:    "rename",
		args:    "SLUG",
		summary: "change a section's name, slug or description; a new slug redirects the old front page to the new one",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.StringVar(&name, "name", "", "the new name")
			fs.StringVar(&newSlug, "slug", "", "the new slug: the front page moves to /NEW/, and /SLUG/ redirects there")
			fs.StringVar(&description, "description", "", "the new description (\"\" to remove it)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one section by its slug (see 'dateline section list')")
			}
			given := flagsGiven(fs)
			if strings.TrimSpace(name) == "" && newSlug == "" && !given["description"] {
				return usage(e, fs, "give what to change: --name, --slug or --description")
			}
			if newSlug != "" {
				if err := article.ValidateSlug(newSlug); err != nil {
					return usage(e, fs, "--slug: %v", err)
				}
			}
			slug := fs.Arg(0)
			return withStore(e, fs, func(s store.Store) error {
				old, err := findSection(e, s, slug)
				if err != nil {
					return err
				}
				if !given["description"] {
					description = old.Description
				}
				if unchanged(name, old.Name) && unchanged(newSlug, old.Slug) && strings.TrimSpace(description) == old.Description {
					fmt.Fprintf(e.stdout, "section %s already has that name, slug and description; nothing changed\n", slug)
					return nil
				}
				se, err := newsroomOf(e, s).EditSection(e.ctx, cliAs, slug, article.Section{Name: name, Slug: newSlug, Description: description})
				if err != nil {
					return sectionError(err)
				}
				fmt.Fprintf(e.stdout, "section %s: %s, front page %s\n", se.Slug, se.Name, urls.Article(se.Slug))
				if se.Slug != old.Slug {
					fmt.Fprintf(e.stdout, "%s → %s (readers of the old front page are redirected)\n", urls.Article(old.Slug), urls.Article(se.Slug))
				}
				return nil
			})
		},
	}
}

func sectionMoveCommand() *command {
	return &command{
		name:    "move",
		args:    "SLUG up|down",
		summary: "move a section one place up or down in the order of the menu and the home page",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the section's slug and up or down")
			}
			slug := fs.Arg(0)
			delta, ok := upOrDown(fs.Arg(1))
			if !ok {
				return usage(e, fs, "move %s up or down, not %q", slug, fs.Arg(1))
			}
			return withStore(e, fs, func(s store.Store) error {
				if _, err := findSection(e, s, slug); err != nil {
					return err
				}
				n := newsroomOf(e, s)
				ss, err := n.Sections(e.ctx)
				if err != nil {
					return err
				}
				switch {
				case delta < 0 && ss[0].Slug == slug:
					fmt.Fprintf(e.stdout, "%s is first already; nothing changed\norder: %s\n", slug, sectionSlugs(ss, ""))
					return nil
				case delta > 0 && ss[len(ss)-1].Slug == slug:
					fmt.Fprintf(e.stdout, "%s is last already; nothing changed\norder: %s\n", slug, sectionSlugs(ss, ""))
					return nil
				}
				if err := n.MoveSection(e.ctx, cliAs, slug, delta); err != nil {
					return sectionError(err)
				}
				if ss, err = n.Sections(e.ctx); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "order: %s\n", sectionSlugs(ss, ""))
				return nil
			})
		},
	}
}

func sectionDeleteCommand() *command {
	var moveTo string
	return &command{
		name:    "delete",
		args:    "SLUG",
		summary: "delete a section; one with articles needs --move-to to say where they go",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.StringVar(&moveTo, "move-to", "", "move the section's articles to the section with this slug first")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one section by its slug (see 'dateline section list')")
			}
			slug := fs.Arg(0)
			if moveTo == slug {
				return usage(e, fs, "--move-to names the section being deleted; name another section")
			}
			return withStore(e, fs, func(s store.Store) error {
				se, err := findSection(e, s, slug)
				if err != nil {
					return err
				}
				if moveTo != "" {
					if _, err := findSection(e, s, moveTo); err != nil {
						return fmt.Errorf("--move-to: %w", err)
					}
				}
				err = newsroomOf(e, s).RemoveSection(e.ctx, cliAs, slug, moveTo)
				if errors.Is(err, store.ErrConflict) && moveTo == "" {
					return hasArticles(e, s, slug)
				}
				if err != nil {
					return sectionError(err)
				}
				if moveTo != "" && se.Articles > 0 {
					fmt.Fprintf(e.stdout, "moved %s to %s and deleted section %s\n", nArticles(se.Articles), moveTo, slug)
					return nil
				}
				fmt.Fprintf(e.stdout, "deleted section %s\n", slug)
				return nil
			})
		},
	}
}

// hasArticles explains why section slug, which has articles, was not
// deleted, and how to proceed.
func hasArticles(e *env, s store.Store, slug string) error {
	ss, err := s.Sections(e.ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, se := range ss {
		if se.Slug == slug {
			n = se.Articles
		}
	}
	if len(ss) < 2 {
		return fmt.Errorf("section %s has %s and is the only section, so it was not deleted: add another with 'dateline section add NAME', then give --move-to SLUG to move the articles there", slug, nArticles(n))
	}
	return fmt.Errorf("section %s has %s, so it was not deleted: give --move-to SLUG to move its articles to another section (%s)", slug, nArticles(n), sectionSlugs(ss, slug))
}

func nArticles(n int) string {
	if n == 1 {
		return "1 article"
	}
	return fmt.Sprintf("%d articles", n)
}

func articleSetSectionCommand() *command {
	return &command{
		name:    "set-section",
		args:    "SLUG SECTION",
		summary: "put an article in a section (named by its slug or its name), as a new version",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and the section's slug or name (see 'dateline section list')")
			}
			wanted := strings.TrimSpace(fs.Arg(1))
			if wanted == "" {
				return usage(e, fs, "SECTION is empty; name a section (see 'dateline section list')")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				if se := a.Section; se != nil && (se.Slug == wanted || strings.EqualFold(se.Name, wanted)) {
					fmt.Fprintf(e.stdout, "%s is in section %s already\n", a.Slug, se.Slug)
					return nil
				}
				// A slug names its section exactly; anything else is a name.
				target := &article.Section{Name: wanted}
				if _, err := s.Section(e.ctx, wanted); err == nil {
					target = &article.Section{Slug: wanted}
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				next := *a
				next.Section = target
				err = newsroomOf(e, s).Save(e.ctx, cliAs, a, &next, "section")
				var field *article.FieldError
				if errors.As(err, &field) && field.Field == "section" {
					return fmt.Errorf("%s; add it with 'dateline section add NAME'", field.Msg)
				}
				if err != nil {
					return sectionError(err)
				}
				fmt.Fprintf(e.stdout, "%s: section %s (%s)\n", a.Slug, next.Section.Name, next.Section.Slug)
				return nil
			})
		},
	}
}

// upOrDown is the move of a "move SLUG up|down" command: -1 for up
// (towards the first place), 1 for down.
func upOrDown(word string) (delta int, ok bool) {
	switch word {
	case "up":
		return -1, true
	case "down":
		return 1, true
	}
	return 0, false
}
