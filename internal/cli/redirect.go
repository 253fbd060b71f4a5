package cli

import (
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web/public"
)

func redirectCommand() *command {
	return &command{
		name:    "redirect",
		summary: "add, list and delete permanent (301) redirects from old addresses",
		subs: []*command{
			redirectAddCommand(),
			redirectListCommand(),
			redirectDeleteCommand(),
		},
	}
}

func redirectAddCommand() *command {
	var force bool
	return &command{
		name:    "add",
		args:    "FROM TO",
		summary: "redirect the path FROM (such as /old-slug/) to a path or an http(s) URL; chains collapse to one hop",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&force, "force", false, "replace a redirect from FROM, redirect to a TO that answers 404 (such as an article about to be published), or from a FROM that shows a page")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "give the path to redirect from and where to, such as: /old-slug/ /new-slug/")
			}
			from, err := store.CleanRedirectPath(fs.Arg(0))
			if err != nil {
				return usage(e, fs, "FROM: %v", err)
			}
			to, err := store.CleanRedirectTarget(fs.Arg(1))
			if err != nil {
				return usage(e, fs, "TO: %v", err)
			}
			return withStore(e, fs, func(s store.Store) error {
				if !force {
					if err := checkRedirect(e, s, from, to); err != nil {
						return err
					}
				}
				r, err := s.AddRedirect(e.ctx, from, to)
				if errors.Is(err, store.ErrConflict) {
					return refusal(err)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s → %s\n", r.From, r.To)
				if r.To != to {
					fmt.Fprintf(e.stdout, "(%s already redirects to %s, so this one goes straight there)\n", to, r.To)
				}
				return nil
			})
		},
	}
}

// maxHops bounds how many redirects checkRedirect follows from a target:
// the store keeps redirects one hop long, and the site adds at most one
// of its own (a listing's /page/1/).
const maxHops = 3

// checkRedirect refuses, unless --force is given, what is most likely a
// mistake: replacing a redirect from the same path made before, a FROM
// that shows a page (so its redirect would not be used), and a TO where
// readers find nothing. Loops and redirects from an article's address are
// left to the store, which refuses them always and says why.
func checkRedirect(e *env, s store.Store, from, to string) error {
	old, err := s.Redirect(e.ctx, from)
	switch {
	case err == nil && old != to:
		return fmt.Errorf("%s already redirects to %s; give --force to redirect it to %s instead", from, old, to)
	case errors.Is(err, store.ErrNotFound):
		at, err := public.PageAt(e.ctx, s, from, e.now)
		if err != nil {
			return err
		}
		switch at.Page {
		case "":
		case "an article":
			return nil
		default:
			return fmt.Errorf("%s shows %s, so a redirect from there would not be used while it does; give --force to add it anyway", from, at.Page)
		}
	case err != nil:
		return err
	}
	target := to
	for range maxHops {
		if store.IsExternalRedirect(target) || target == from {
			return nil
		}
		at, err := public.PageAt(e.ctx, s, target, e.now)
		if err != nil {
			return err
		}
		switch {
		case at.Page != "":
			return nil
		case at.RedirectTo == "" && target == to:
			return fmt.Errorf("%s answers 404: no public article, archive, feed or redirect is there; give --force to redirect to it anyway (such as to an article about to be published)", to)
		case at.RedirectTo == "":
			return fmt.Errorf("%s redirects to %s, which answers 404; give --force to redirect to it anyway", to, target)
		}
		target = at.RedirectTo
	}
	return nil
}

// refusal is the reason a store gave for refusing a write (an error
// wrapping store.ErrConflict), without the operation it is wrapped in:
// a person at a terminal wants the reason.
func refusal(err error) error { return errors.New(reason(err, store.ErrConflict)) }

type redirectJSON struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	CreatedAt time.Time `json:"created_at"`
}

func redirectListCommand() *command {
	var asJSON bool
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list the redirects, by the path they are from",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				rs, err := s.Redirects(e.ctx)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]redirectJSON, 0, len(rs))
					for _, r := range rs {
						out = append(out, redirectJSON{From: r.From, To: r.To, CreatedAt: r.CreatedAt})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "FROM\tTO\tADDED")
				for _, r := range rs {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.From, r.To, formatDate(r.CreatedAt))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(rs) == 0 {
					fmt.Fprintln(e.stderr, "no redirects yet; renaming a published article makes one, and so does 'dateline redirect add FROM TO'")
				}
				return nil
			})
		},
	}
}

func redirectDeleteCommand() *command {
	return &command{
		name:    "delete",
		args:    "FROM",
		summary: "delete the redirect from a path; the path answers 404 again",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name the path the redirect is from, such as /old-slug/")
			}
			from, err := store.CleanRedirectPath(fs.Arg(0))
			if err != nil {
				return usage(e, fs, "FROM: %v", err)
			}
			return withStore(e, fs, func(s store.Store) error {
				if err := s.DeleteRedirect(e.ctx, from); errors.Is(err, store.ErrNotFound) {
					return notFoundError{"redirect from " + from}
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "deleted the redirect from %s\n", from)
				return nil
			})
		},
	}
}
