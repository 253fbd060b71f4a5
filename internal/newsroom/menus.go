package newsroom

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// Limits of a menu.
const (
	MaxMenuItems    = 12
	MaxMenuLabelLen = 60
)

// MenuLink is a menu item as readers get it: a label and where it goes.
type MenuLink struct {
	Label string
	Href  string
}

// checkMenuName refuses a menu the site does not have.
func checkMenuName(name string) error {
	if name != store.HeaderMenu && name != store.FooterMenu {
		return fmt.Errorf("%w: no menu %q (the menus are %s and %s)", store.ErrNotFound, name, store.HeaderMenu, store.FooterMenu)
	}
	return nil
}

// Menu returns a menu's items as saved, for editing, and the positions
// of those that lead nowhere now (a section deleted, a page unpublished),
// which readers do not see. A header menu never saved lists the
// sections, as readers see it.
func (s *Service) Menu(ctx context.Context, name string) (items []store.MenuItem, broken []int, err error) {
	items, links, err := s.menu(ctx, name)
	for i, l := range links {
		if l.Href == "" {
			broken = append(broken, i)
		}
	}
	return items, broken, err
}

// MenuLinks returns a menu as readers see it: items that lead nowhere now
// are left out.
func (s *Service) MenuLinks(ctx context.Context, name string) ([]MenuLink, error) {
	_, links, err := s.menu(ctx, name)
	out := links[:0]
	for _, l := range links {
		if l.Href != "" {
			out = append(out, l)
		}
	}
	return out, err
}

// menu reads a menu's items and finds where each leads.
func (s *Service) menu(ctx context.Context, name string) ([]store.MenuItem, []MenuLink, error) {
	if err := checkMenuName(name); err != nil {
		return nil, nil, err
	}
	items, saved, err := s.store.Menu(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !saved && name == store.HeaderMenu {
		for _, se := range sections {
			items = append(items, store.MenuItem{Label: se.Name, Kind: store.MenuSection, Target: se.Slug})
		}
	}
	links, err := s.resolve(ctx, items, sections)
	if err != nil {
		return nil, nil, err
	}
	return items, links, nil
}

// resolve finds where each item leads now; Href is "" for one that leads
// nowhere.
func (s *Service) resolve(ctx context.Context, items []store.MenuItem, sections []article.Section) ([]MenuLink, error) {
	var pageSlugs []string
	for _, it := range items {
		if it.Kind == store.MenuPage {
			pageSlugs = append(pageSlugs, it.Target)
		}
	}
	public := map[string]bool{}
	if len(pageSlugs) > 0 {
		as, err := s.store.Articles(ctx, store.ArticleQuery{PublicAt: s.now(), Slugs: pageSlugs})
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			public[a.Slug] = true
		}
	}
	links := make([]MenuLink, len(items))
	for i, it := range items {
		links[i].Label = it.Label
		switch it.Kind {
		case store.MenuSection:
			if findSection(sections, it.Target) != nil {
				links[i].Href = urls.Section(it.Target)
			}
		case store.MenuPage:
			if public[it.Target] {
				links[i].Href = urls.Article(it.Target)
			}
		case store.MenuLink:
			links[i].Href = it.Target
		}
	}
	return links, nil
}

// ArrangeMenu replaces a menu's items, checked first: each has a label and
// leads to a section or page that exists, or to an http(s) address or a
// path on the site. Errors: a Refusal, an *article.FieldError naming the
// item ("item-3"), store.ErrNotFound for a menu the site does not have.
func (s *Service) ArrangeMenu(ctx context.Context, actor Actor, name string, items []store.MenuItem) error {
	if err := mayArrange(actor); err != nil {
		return err
	}
	if err := checkMenuName(name); err != nil {
		return err
	}
	if len(items) > MaxMenuItems {
		return &article.FieldError{Field: "items", Msg: fmt.Sprintf("the menu has %d items, more than %d", len(items), MaxMenuItems)}
	}
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		field := fmt.Sprintf("item-%d", i+1)
		invalid := func(format string, args ...any) error {
			return &article.FieldError{Field: field, Msg: fmt.Sprintf("item %d: ", i+1) + fmt.Sprintf(format, args...)}
		}
		it.Label, it.Target = strings.TrimSpace(it.Label), strings.TrimSpace(it.Target)
		switch n := utf8.RuneCountInString(it.Label); {
		case n == 0:
			return invalid("the label is empty")
		case n > MaxMenuLabelLen:
			return invalid("the label is %d characters, more than %d", n, MaxMenuLabelLen)
		}
		switch it.Kind {
		case store.MenuSection:
			if findSection(sections, it.Target) == nil {
				return invalid("no section %q", it.Target)
			}
		case store.MenuPage:
			if _, err := s.store.Article(ctx, it.Target); err != nil {
				return invalid("no page %q", it.Target)
			}
		case store.MenuLink:
			if err := checkMenuAddress(it.Target); err != nil {
				return invalid("%v", err)
			}
		default:
			return invalid("unknown kind %q (want %s, %s or %s)", it.Kind, store.MenuSection, store.MenuPage, store.MenuLink)
		}
	}
	if err := s.store.SaveMenu(ctx, name, items); err != nil {
		return err
	}
	labels := make([]string, len(items))
	for i, it := range items {
		labels[i] = it.Label
	}
	s.audit(ctx, actor, "changed menu", name, strings.Join(labels, ", "))
	return nil
}

// checkMenuAddress accepts an http(s) address or a path on the site.
func checkMenuAddress(target string) error {
	if strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//") {
		if _, err := url.Parse(target); err != nil {
			return fmt.Errorf("%q is not a path", target)
		}
		return nil
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is neither a path on the site (/about/) nor an http or https address", target)
	}
	return nil
}
