package cli

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

func authorCommand() *command {
	return &command{
		name:    "author",
		summary: "list the authors and edit their profiles (name, bio, role, photo and links)",
		subs:    []*command{authorListCommand(), authorEditCommand()},
	}
}

// findAuthor loads an author by slug, with a message naming the authors
// there are when it does not exist.
func findAuthor(e *env, s store.Store, slug string) (*article.Author, error) {
	au, err := s.Author(e.ctx, slug)
	if !errors.Is(err, store.ErrNotFound) {
		return au, err
	}
	return nil, noAuthor(e, s, slug)
}

// noAuthor says there is no author slug, and which there are.
func noAuthor(e *env, s store.Store, slug string) error {
	all, err := s.Authors(e.ctx)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return fmt.Errorf("no author %q: the site has no authors yet (an article's byline makes one)", slug)
	}
	slugs := make([]string, len(all))
	for i, au := range all {
		slugs[i] = au.Slug
	}
	return fmt.Errorf("no author %q; the authors are %s", slug, strings.Join(slugs, ", "))
}

// authorProfileJSON is an author as 'author list --json' prints it.
type authorProfileJSON struct {
	Slug      string         `json:"slug"`
	Name      string         `json:"name"`
	Bio       string         `json:"bio"`
	RoleTitle string         `json:"role_title"`
	Photo     int64          `json:"photo,omitempty"` // its library ID
	Links     []article.Link `json:"links"`
	Path      string         `json:"path"` // of the author page
}

func profileOf(au *article.Author) article.Profile {
	if au.Profile == nil {
		return article.Profile{}
	}
	return *au.Profile
}

func authorListCommand() *command {
	var asJSON bool
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list the authors by name, with their profiles",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				all, err := newsroomOf(e, s).Authors(e.ctx)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]authorProfileJSON, 0, len(all))
					for _, au := range all {
						p := profileOf(au)
						links := p.Links
						if links == nil {
							links = []article.Link{}
						}
						out = append(out, authorProfileJSON{Slug: au.Slug, Name: au.Name, Bio: au.Bio, RoleTitle: p.RoleTitle,
							Photo: p.PhotoMediaID, Links: links, Path: urls.Author(au.Slug)})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SLUG\tNAME\tROLE\tPHOTO\tLINKS")
				for _, au := range all {
					p := profileOf(au)
					photo := "-"
					if p.PhotoMediaID != 0 {
						photo = strconv.FormatInt(p.PhotoMediaID, 10)
					}
					var links []string
					for _, l := range p.Links {
						links = append(links, l.Label)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", au.Slug, au.Name, dash(p.RoleTitle), photo, dash(strings.Join(links, ", ")))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(all) == 0 {
					fmt.Fprintln(e.stderr, "no authors yet; an article's byline makes one (import articles with an author)")
				}
				return nil
			})
		},
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// linksFlag collects repeated --link LABEL=URL flags.
type linksFlag []article.Link

func (l *linksFlag) String() string { return "" }

func (l *linksFlag) Set(v string) error {
	label, url, ok := strings.Cut(v, "=")
	label, url = strings.TrimSpace(label), strings.TrimSpace(url)
	if !ok || label == "" || url == "" {
		return fmt.Errorf("%q is not LABEL=URL, such as Mastodon=https://example.social/@marta", v)
	}
	*l = append(*l, article.Link{Label: label, URL: url})
	return nil
}

// authorFlags are the flags of 'author edit', by the service's field
// names.
var authorFlags = map[string]string{"name": "--name", "bio": "--bio", "role_title": "--role-title", "photo": "--photo", "links": "--link"}

func authorEditCommand() *command {
	var name, bio, roleTitle, photo string
	var links linksFlag
	var noLinks bool
	return &command{
		name:    "edit",
		args:    "SLUG",
		summary: "change an author's name, bio, role title, photo or links, as their author page shows them; flags not given keep their value",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.StringVar(&name, "name", "", "the author's name as bylines show it (their slug stays)")
			fs.StringVar(&bio, "bio", "", "a few sentences on the author (\"\" to remove it)")
			fs.StringVar(&roleTitle, "role-title", "", "the author's role, such as \"City hall reporter\" (\"\" to remove it)")
			fs.StringVar(&photo, "photo", "", "the library ID of the author's photo (see 'dateline media list'), or none")
			fs.Var(&links, "link", "a link of the profile as LABEL=URL (an http, https or mailto address); repeat it for several, which replace the links there are")
			fs.BoolVar(&noLinks, "no-links", false, "remove the profile's links")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one author by their slug (see 'dateline author list')")
			}
			given := flagsGiven(fs)
			if !given["name"] && !given["bio"] && !given["role-title"] && !given["photo"] && !given["link"] && !noLinks {
				return usage(e, fs, "give what to change: --name, --bio, --role-title, --photo, --link or --no-links")
			}
			if len(links) > 0 && noLinks {
				return usage(e, fs, "--link and --no-links contradict each other; give one")
			}
			if given["name"] && strings.TrimSpace(name) == "" {
				return usage(e, fs, "--name is empty; an author needs a name")
			}
			var photoID int64
			if given["photo"] && photo != "none" {
				id, err := strconv.ParseInt(photo, 10, 64)
				if err != nil || id < 1 {
					return usage(e, fs, "--photo takes an image's library ID (see 'dateline media list') or none, not %q", photo)
				}
				photoID = id
			}
			slug := fs.Arg(0)
			return withStore(e, fs, func(s store.Store) error {
				au, err := findAuthor(e, s, slug)
				if err != nil {
					return err
				}
				change := article.Author{Name: au.Name, Bio: au.Bio}
				p := profileOf(au)
				p.Links = slices.Clone(p.Links)
				if given["name"] {
					change.Name = name
				}
				if given["bio"] {
					change.Bio = bio
				}
				if given["role-title"] {
					p.RoleTitle = roleTitle
				}
				if given["photo"] {
					p.PhotoMediaID = photoID
				}
				switch {
				case noLinks:
					p.Links = nil
				case len(links) > 0:
					p.Links = links
				}
				change.Profile = &p
				old := profileOf(au)
				if strings.TrimSpace(change.Name) == au.Name && strings.TrimSpace(change.Bio) == au.Bio && strings.TrimSpace(p.RoleTitle) == old.RoleTitle &&
					p.PhotoMediaID == old.PhotoMediaID && slices.Equal(p.Links, old.Links) {
					fmt.Fprintf(e.stdout, "author %s already has that profile; nothing changed\n", au.Slug)
					return nil
				}
				next, err := newsroomOf(e, s).EditAuthor(e.ctx, cliAs, slug, change)
				var field *article.FieldError
				if errors.As(err, &field) {
					if f, ok := authorFlags[field.Field]; ok {
						return fmt.Errorf("%s: %s", f, field.Msg)
					}
					return errors.New(field.Msg)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "author %s: %s, page %s\n", next.Slug, next.Name, urls.Author(next.Slug))
				return nil
			})
		},
	}
}

func articleSetAuthorCommand() *command {
	return &command{
		name:    "set-author",
		args:    "SLUG AUTHOR-SLUG",
		summary: "credit an article to one of the site's authors (see 'dateline author list'), as a new version",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and the author's slug (see 'dateline author list')")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				au, err := findAuthor(e, s, fs.Arg(1))
				if err != nil {
					return err
				}
				if a.Author != nil && a.Author.Slug == au.Slug {
					fmt.Fprintf(e.stdout, "%s is by %s already; nothing changed\n", a.Slug, au.Name)
					return nil
				}
				next := *a
				next.Author = &article.Author{Slug: au.Slug}
				if err := newsroomOf(e, s).Save(e.ctx, cliAs, a, &next, "author"); err != nil {
					return fieldError(err)
				}
				fmt.Fprintf(e.stdout, "%s: by %s (%s)\n", a.Slug, next.Author.Name, next.Author.Slug)
				return nil
			})
		},
	}
}
