package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
)

func menuCommand() *command {
	return &command{
		name:    "menu",
		summary: "show and set the header and footer menus",
		subs:    []*command{menuShowCommand(), menuSetCommand()},
	}
}

// menuName checks the menu a command names.
func menuName(e *env, fs *flag.FlagSet, name string) (string, bool) {
	if name != store.HeaderMenu && name != store.FooterMenu {
		usage(e, fs, "no menu %q; the menus are %s and %s", name, store.HeaderMenu, store.FooterMenu)
		return "", false
	}
	return name, true
}

// menuItemArg is an item as 'menu set' takes it and 'menu show' prints it:
// section:SLUG, page:SLUG, or the address.
func menuItemArg(it store.MenuItem) string {
	if it.Kind == store.MenuLink {
		return it.Target
	}
	return it.Kind + ":" + it.Target
}

// parseMenuItem reads LABEL=section:SLUG, LABEL=page:SLUG or LABEL=URL.
func parseMenuItem(arg string) (store.MenuItem, error) {
	label, target, ok := strings.Cut(arg, "=")
	label, target = strings.TrimSpace(label), strings.TrimSpace(target)
	switch {
	case !ok:
		return store.MenuItem{}, errors.New("want LABEL=section:SLUG, LABEL=page:SLUG or LABEL=URL")
	case label == "":
		return store.MenuItem{}, errors.New("the label before = is empty")
	case target == "":
		return store.MenuItem{}, errors.New("nothing after =: give section:SLUG, page:SLUG or an address")
	}
	for _, kind := range []string{store.MenuSection, store.MenuPage} {
		if slug, ok := strings.CutPrefix(target, kind+":"); ok {
			if slug = strings.Trim(strings.TrimSpace(slug), "/"); slug == "" {
				return store.MenuItem{}, fmt.Errorf("%s: names no slug", kind)
			}
			return store.MenuItem{Label: label, Kind: kind, Target: slug}, nil
		}
	}
	return store.MenuItem{Label: label, Kind: store.MenuLink, Target: target}, nil
}

// menuItemJSON is an item as 'menu show --json' prints it.
type menuItemJSON struct {
	Position int    `json:"position"`
	Label    string `json:"label"`
	Kind     string `json:"kind"`   // section, page or link
	Target   string `json:"target"` // the section's or page's slug, or the address
	Broken   bool   `json:"broken"` // leads nowhere now: readers do not see it
}

func menuShowCommand() *command {
	var asJSON bool
	return &command{
		name:     "show",
		readOnly: true,
		args:     "header|footer",
		summary:  "show a menu's items in order, flagging those that lead nowhere now (readers do not see them)",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name the menu: %s or %s", store.HeaderMenu, store.FooterMenu)
			}
			name, ok := menuName(e, fs, fs.Arg(0))
			if !ok {
				return exitUsage
			}
			return withStore(e, fs, func(s store.Store) error {
				items, brokenAt, err := newsroomOf(e, s).Menu(e.ctx, name)
				if err != nil {
					return err
				}
				broken := map[int]bool{}
				for _, i := range brokenAt {
					broken[i] = true
				}
				if asJSON {
					out := make([]menuItemJSON, 0, len(items))
					for i, it := range items {
						out = append(out, menuItemJSON{Position: i + 1, Label: it.Label, Kind: it.Kind, Target: it.Target, Broken: broken[i]})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "#\tLABEL\tLEADS TO")
				for i, it := range items {
					note := ""
					if broken[i] {
						note = "\tBROKEN: " + brokenReason(it)
					}
					fmt.Fprintf(tw, "%d\t%s\t%s%s\n", i+1, it.Label, menuItemArg(it), note)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				_, saved, err := s.Menu(e.ctx, name)
				switch {
				case err != nil:
					return err
				case !saved && name == store.HeaderMenu:
					fmt.Fprintln(e.stderr, "the header menu was never set, so it lists the sections; set it with 'dateline menu set header ITEM...'")
				case len(items) == 0:
					fmt.Fprintf(e.stderr, "the %s menu is empty; set it with 'dateline menu set %s ITEM...'\n", name, name)
				}
				if n := len(brokenAt); n > 0 {
					fmt.Fprintf(e.stderr, "%d %s nowhere now: readers do not see %s\n", n, pluralize(n, "item leads", "items lead"), pluralize(n, "it", "them"))
				}
				return nil
			})
		},
	}
}

// brokenReason says why an item leads nowhere.
func brokenReason(it store.MenuItem) string {
	if it.Kind == store.MenuSection {
		return "no such section now"
	}
	return "the page is not published or was deleted"
}

func menuSetCommand() *command {
	var empty bool
	return &command{
		name:    "set",
		args:    "header|footer ITEM...",
		summary: "replace a menu's items with ITEMs, in the order given",
		detail: `An ITEM is a label, "=", and where the item leads:
  LABEL=section:SLUG   a section's front page    "Local news=section:selvik"
  LABEL=page:SLUG      a page (or an article)    "About us=page:about"
  LABEL=URL            a path on the site        "Ferries=/tag/ferries/"
                       or an http(s) address     "Archive=https://archive.example.org/"
The label ends at the first "="; quote an item with spaces. --empty leaves
the menu without items. A header menu never set lists the sections.`,
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&empty, "empty", false, "leave the menu without items (given no ITEM)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() < 1 {
				return usage(e, fs, "name the menu (%s or %s) and its items", store.HeaderMenu, store.FooterMenu)
			}
			name, ok := menuName(e, fs, fs.Arg(0))
			if !ok {
				return exitUsage
			}
			args := fs.Args()[1:]
			switch {
			case len(args) == 0 && !empty:
				return usage(e, fs, "give the menu's items, such as \"About us=page:about\", or --empty to leave it without any")
			case len(args) > 0 && empty:
				return usage(e, fs, "--empty with items: give the items or --empty, not both")
			}
			items := make([]store.MenuItem, len(args))
			for i, arg := range args {
				it, err := parseMenuItem(arg)
				if err != nil {
					return usage(e, fs, "item %d %q: %v", i+1, arg, err)
				}
				items[i] = it
			}
			return withStore(e, fs, func(s store.Store) error {
				err := newsroomOf(e, s).ArrangeMenu(e.ctx, cliAs, name, items)
				var field *article.FieldError
				if errors.As(err, &field) {
					if n, ok := strings.CutPrefix(field.Field, "item-"); ok {
						if i, err := strconv.Atoi(n); err == nil && i >= 1 && i <= len(args) {
							msg := strings.TrimPrefix(field.Msg, fmt.Sprintf("item %d: ", i))
							return fmt.Errorf("item %d %q: %s; nothing changed", i, args[i-1], msg)
						}
					}
					return fmt.Errorf("%s; nothing changed", field.Msg)
				}
				if err != nil {
					return err
				}
				if len(items) == 0 {
					fmt.Fprintf(e.stdout, "%s menu: no items\n", name)
					return nil
				}
				labels := make([]string, len(items))
				for i, it := range items {
					labels[i] = it.Label
				}
				fmt.Fprintf(e.stdout, "%s menu: %s\n", name, strings.Join(labels, ", "))
				return nil
			})
		},
	}
}
