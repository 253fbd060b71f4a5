package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

func articleRenameCommand() *command {
	return &command{
		name:    "rename",
		args:    "SLUG NEW-SLUG",
		summary: "give an article a new slug; a published article's old address redirects to the new one",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and its new slug")
			}
			slug, newSlug := fs.Arg(0), fs.Arg(1)
			if err := article.ValidateSlug(newSlug); err != nil {
				return usage(e, fs, "NEW-SLUG: %v", err)
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, slug)
				if err != nil {
					return err
				}
				if a.Slug == newSlug {
					return fmt.Errorf("article %q already has that slug", slug)
				}
				if _, err := s.Article(e.ctx, newSlug); err == nil {
					return fmt.Errorf("slug %q is taken by another article; choose another, or rename or delete that one first", newSlug)
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if _, err := newsroomOf(e, s).Rename(e.ctx, cliAs, a, newSlug); errors.Is(err, store.ErrConflict) {
					return refusal(err)
				} else if err != nil {
					return err
				}
				from := urls.Article(slug)
				to, err := s.Redirect(e.ctx, from)
				if errors.Is(err, store.ErrNotFound) {
					fmt.Fprintf(e.stdout, "renamed %s to %s; it is not public, so %s needs no redirect\n", slug, newSlug, from)
					return nil
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "renamed %s to %s\n%s → %s\n", slug, newSlug, from, to)
				return nil
			})
		},
	}
}
