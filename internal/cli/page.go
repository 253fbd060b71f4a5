package cli

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// fieldError rewords the service's refusal of a field for a person at a
// terminal: its message alone, without "invalid article:".
func fieldError(err error) error {
	var field *article.FieldError
	if errors.As(err, &field) {
		return errors.New(field.Msg)
	}
	return err
}

func articleSetKindCommand() *command {
	return &command{
		name: "set-kind",
		args: "SLUG article|page|about|contact",
		summary: "make an article a page of the site (page, about or contact: outside the listings, feeds and sections) " +
			"or a story again (article), as a new version",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and its kind: article, page, about or contact")
			}
			kind, err := article.ParseKind(fs.Arg(1))
			if err != nil {
				return usage(e, fs, "%v", err)
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				if a.Kind == kind {
					fmt.Fprintf(e.stdout, "%s is %s already; nothing changed\n", a.Slug, kindName(kind))
					return nil
				}
				next := *a
				next.Kind = kind
				if err := newsroomOf(e, s).Save(e.ctx, cliAs, a, &next, "kind"); err != nil {
					return fieldError(err)
				}
				if !kind.IsPage() {
					fmt.Fprintf(e.stdout, "%s is a story now: it appears in the listings and feeds", a.Slug)
					if next.Section != nil {
						fmt.Fprintf(e.stdout, ", in section %s", next.Section.Slug)
					}
					fmt.Fprintln(e.stdout)
					return policyWarning(e, s, a.Slug)
				}
				fmt.Fprintf(e.stdout, "%s is %s now: outside the listings, feeds and sections\n", a.Slug, kindName(kind))
				if !a.Kind.IsPage() && !a.CommentsClosed {
					fmt.Fprintf(e.stdout, "its comments stay open; close them with 'dateline comment close %s'\n", a.Slug)
				}
				pins, err := s.Pins(e.ctx)
				if err != nil {
					return err
				}
				if slices.Contains(pins, a.ID) {
					fmt.Fprintf(e.stdout, "it is still pinned to the front page; take it off with 'dateline frontpage unpin %s'\n", a.Slug)
				}
				return nil
			})
		},
	}
}

// kindName is a kind in words: "a story", "a page", "an About page".
func kindName(k article.Kind) string {
	switch k {
	case article.About:
		return "an About page"
	case article.Contact:
		return "a Contact page"
	case article.Page:
		return "a page"
	}
	return "a story"
}

// policyWarning says so when the settings name the story slug, once a
// page, as the publishing principles or corrections policy.
func policyWarning(e *env, s store.Store, slug string) error {
	site, err := s.SiteSettings(e.ctx)
	if err != nil {
		return err
	}
	for _, f := range []struct{ key, page string }{
		{"publishing_principles", site.PublishingPrinciples},
		{"corrections_policy", site.CorrectionsPolicy},
	} {
		if key := f.key; f.page == slug {
			fmt.Fprintf(e.stdout, "the settings still name it as site.%s: name a page with 'dateline settings set site.%s SLUG'\n", key, key)
		}
	}
	return nil
}

func articleNoteCommand() *command {
	return &command{
		name:    "note",
		args:    "SLUG TEXT",
		summary: "append a dated correction or update note to a published article, shown under its headline",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and the note's text (quote a text of several words)")
			}
			text := strings.TrimSpace(fs.Arg(1))
			if text == "" {
				return usage(e, fs, "the note is empty; write what was corrected or updated")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				next, err := newsroomOf(e, s).AddUpdate(e.ctx, cliAs, a, text)
				if err != nil {
					return fieldError(err)
				}
				u := next.Updates[len(next.Updates)-1]
				fmt.Fprintf(e.stdout, "%s: note %d added, dated %s\n", a.Slug, len(next.Updates), u.At.Format("2006-01-02 15:04 MST"))
				return nil
			})
		},
	}
}
