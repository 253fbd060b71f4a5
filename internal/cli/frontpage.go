package cli

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
)

func frontpageCommand() *command {
	return &command{
		name: "frontpage",
		summary: fmt.Sprintf("pin up to %d stories to the front page (the lead and the row under it), unpin and reorder them",
			newsroom.FrontPageSlots),
		subs: []*command{frontpageListCommand(), frontpagePinCommand(), frontpageUnpinCommand(), frontpageMoveCommand()},
	}
}

// pinNote says why readers do not see a pinned story now, "" when they
// do.
func pinNote(a *article.Article, now time.Time) string {
	switch {
	case a.Kind.IsPage():
		return kindName(a.Kind) + " of the site: pages stay off the front page"
	case a.Status == article.Draft:
		return "not public now: a draft"
	case !a.IsPublic(now):
		return "not public now: scheduled for " + formatDate(a.PublishedAt)
	}
	return ""
}

// pinOrder is the pinned stories' slugs in order, for the commands'
// output.
func pinOrder(e *env, n *newsroom.Service) (string, error) {
	pinned, err := n.Pinned(e.ctx)
	if err != nil || len(pinned) == 0 {
		return "no stories pinned: the newest fill the front page", err
	}
	slugs := make([]string, len(pinned))
	for i, a := range pinned {
		slugs[i] = a.Slug
	}
	return "pinned: " + strings.Join(slugs, ", "), nil
}

// pinJSON is a pinned story as 'frontpage list --json' prints it.
type pinJSON struct {
	Position    int        `json:"position"` // 1 is the lead
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	Status      string     `json:"status"`
	PublishedAt *time.Time `json:"published_at"`
	Public      bool       `json:"public"` // readers see it now
	Note        string     `json:"note,omitempty"`
}

func frontpageListCommand() *command {
	var asJSON bool
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list the pinned stories in order, the lead first, marking those readers do not see now",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				pinned, err := newsroomOf(e, s).Pinned(e.ctx)
				if err != nil {
					return err
				}
				now := e.now()
				if asJSON {
					out := make([]pinJSON, 0, len(pinned))
					for i, a := range pinned {
						p := pinJSON{Position: i + 1, Slug: a.Slug, Title: a.Title, Status: string(a.Status),
							Public: a.IsPublic(now), Note: pinNote(a, now)}
						if !a.PublishedAt.IsZero() {
							p.PublishedAt = &a.PublishedAt
						}
						out = append(out, p)
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "#\tSLUG\tSTATUS\tPUBLISHED\tTITLE")
				for i, a := range pinned {
					note := pinNote(a, now)
					if note != "" {
						note = "\t(" + note + ")"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s%s\n", i+1, a.Slug, a.Status, formatDate(a.PublishedAt), a.Title, note)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(pinned) == 0 {
					fmt.Fprintln(e.stderr, "no stories pinned: the newest fill the front page; pin one with 'dateline frontpage pin SLUG'")
				}
				return nil
			})
		},
	}
}

// pinError rewords the service's refusals of a pin for a person at a
// terminal.
func pinError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errors.New(reason(err, store.ErrNotFound))
	}
	return fieldError(err)
}

func frontpagePinCommand() *command {
	var lead bool
	return &command{
		name:    "pin",
		args:    "SLUG",
		summary: fmt.Sprintf("pin a published or scheduled story to the front page, last of the pinned (at most %d)", newsroom.FrontPageSlots),
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&lead, "lead", false, "pin it first, as the lead story")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one story by its slug")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				if a.Kind.IsPage() {
					return fmt.Errorf("%s is %s, not a story: pages stay off the front page", a.Slug, kindName(a.Kind))
				}
				pins, err := s.Pins(e.ctx)
				if err != nil {
					return err
				}
				n := newsroomOf(e, s)
				at := slices.Index(pins, a.ID)
				switch {
				case at == 0 && lead:
					fmt.Fprintf(e.stdout, "%s is the lead already; nothing changed\n", a.Slug)
					return nil
				case at >= 0 && !lead:
					fmt.Fprintf(e.stdout, "%s is pinned already, at %d; nothing changed (move it with 'dateline frontpage move')\n", a.Slug, at+1)
					return nil
				}
				to := len(pins)
				if lead {
					to = 0
				}
				if err := n.Pin(e.ctx, cliAs, a.Slug, to); err != nil {
					return pinError(err)
				}
				order, err := pinOrder(e, n)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, order)
				if note := pinNote(a, e.now()); note != "" {
					fmt.Fprintf(e.stdout, "%s is %s; it takes its place once it is public\n", a.Slug, strings.TrimPrefix(note, "not public now: "))
				}
				return nil
			})
		},
	}
}

func frontpageUnpinCommand() *command {
	return &command{
		name:    "unpin",
		args:    "SLUG",
		summary: "take a story off the front page; its slot fills with the newest story again",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one story by its slug")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				n := newsroomOf(e, s)
				if err := n.Unpin(e.ctx, cliAs, a.Slug); err != nil {
					return pinError(err)
				}
				order, err := pinOrder(e, n)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, order)
				return nil
			})
		},
	}
}

func frontpageMoveCommand() *command {
	return &command{
		name:    "move",
		args:    "SLUG up|down",
		summary: "move a pinned story one place up (towards the lead) or down",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the story's slug and up or down")
			}
			slug := fs.Arg(0)
			delta, ok := upOrDown(fs.Arg(1))
			if !ok {
				return usage(e, fs, "move %s up or down, not %q", slug, fs.Arg(1))
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, slug)
				if err != nil {
					return err
				}
				pins, err := s.Pins(e.ctx)
				if err != nil {
					return err
				}
				n := newsroomOf(e, s)
				at := slices.Index(pins, a.ID)
				switch {
				case at < 0:
					return fmt.Errorf("%s is not pinned to the front page; pin it with 'dateline frontpage pin %s'", slug, slug)
				case delta < 0 && at == 0:
					order, err := pinOrder(e, n)
					fmt.Fprintf(e.stdout, "%s is the lead already; nothing changed\n%s\n", slug, order)
					return err
				case delta > 0 && at == len(pins)-1:
					order, err := pinOrder(e, n)
					fmt.Fprintf(e.stdout, "%s is last already; nothing changed\n%s\n", slug, order)
					return err
				}
				if err := n.MovePin(e.ctx, cliAs, slug, delta); err != nil {
					return pinError(err)
				}
				order, err := pinOrder(e, n)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, order)
				return nil
			})
		},
	}
}
