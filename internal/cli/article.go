package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

func articleCommand() *command {
	return &command{
		name:    "article",
		summary: "list, show, delete, restore and rename articles; set their section, author, kind and featured image; add update notes",
		subs: []*command{
			articleListCommand(),
			articleShowCommand(),
			articleDeleteCommand(),
			articleRevisionsCommand(),
			articleRestoreCommand(),
			articleRenameCommand(),
			articleSetImageCommand(),
			articleSetSectionCommand(),
			articleSetAuthorCommand(),
			articleSetKindCommand(),
			articleNoteCommand(),
		},
	}
}

// withStore opens the store for the length of fn.
func withStore(e *env, fs *flag.FlagSet, fn func(store.Store) error) int {
	s, err := openStore(e)
	if err != nil {
		return fail(e, fs.Name(), err)
	}
	defer s.Close()
	if err := fn(s); err != nil {
		return fail(e, fs.Name(), describe(err))
	}
	return exitOK
}

// describe rewords store errors for people at a terminal.
func describe(err error) error {
	var nf notFoundError
	if errors.As(err, &nf) {
		return nf
	}
	var last *user.LastAdministratorError
	if errors.As(err, &last) {
		return last
	}
	return err
}

type notFoundError struct{ what string }

func (e notFoundError) Error() string { return e.what + " not found" }

// findArticle loads an article by slug, with a plain message when it does
// not exist.
func findArticle(e *env, s store.Store, slug string) (*article.Article, error) {
	a, err := s.Article(e.ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFoundError{fmt.Sprintf("article %q", slug)}
	}
	return a, err
}

func articleListCommand() *command {
	var asJSON bool
	var status string
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list articles, newest first",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.StringVar(&status, "status", "", "only articles with this status: draft, scheduled or published")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			var q store.ArticleQuery
			if status != "" {
				st, err := article.ParseStatus(status)
				if err != nil {
					return usage(e, fs, "--status: %v", err)
				}
				q.Status = st
			}
			return withStore(e, fs, func(s store.Store) error {
				as, err := s.Articles(e.ctx, q)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]articleSummaryJSON, 0, len(as))
					for _, a := range as {
						out = append(out, summaryJSON(a))
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SLUG\tSTATUS\tSECTION\tPUBLISHED\tWORDS\tTITLE")
				for _, a := range as {
					section := "-"
					if a.Section != nil {
						section = a.Section.Slug
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", a.Slug, a.Status, section, formatDate(a.PublishedAt), a.WordCount, a.Title)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(as) == 0 {
					fmt.Fprintln(e.stderr, "no articles yet; add some with 'dateline import PATH'")
				}
				return nil
			})
		},
	}
}

func articleShowCommand() *command {
	var asJSON bool
	return &command{
		name:     "show",
		readOnly: true,
		args:     "SLUG",
		summary:  "show an article with its outline and requested links",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one article by its slug")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				outline := render.New().Parse([]byte(a.Body)).Outline()
				links, err := newsroomOf(e, s).ArticleEntities(e.ctx, []int64{a.ID})
				if err != nil {
					return err
				}
				if asJSON {
					d := detailJSON(a, outline)
					d.Entities = articleEntitiesJSON(links[a.ID])
					return writeJSON(e.stdout, d)
				}
				printArticle(e.stdout, a, outline)
				printEntities(e.stdout, links[a.ID])
				return nil
			})
		},
	}
}

func articleDeleteCommand() *command {
	return &command{
		name:    "delete",
		args:    "SLUG",
		summary: "delete an article and its revisions",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one article by its slug")
			}
			slug := fs.Arg(0)
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, slug)
				if err != nil {
					return err
				}
				if err := newsroomOf(e, s).Delete(e.ctx, cliAs, a); errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("article %q", slug)}
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "deleted %s\n", slug)
				return nil
			})
		},
	}
}

func articleRevisionsCommand() *command {
	var asJSON bool
	return &command{
		name:     "revisions",
		readOnly: true,
		args:     "SLUG",
		summary:  "list the kept earlier versions of an article",
		flags:    func(fs *flag.FlagSet, _ *config.Config) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one article by its slug")
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				revs, err := s.Revisions(e.ctx, a.ID)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]revisionJSON, 0, len(revs))
					for _, r := range revs {
						out = append(out, revisionJSON{Number: r.Number, Title: r.Title, Slug: r.Slug, Status: string(r.Status), SavedAt: r.SavedAt, Note: r.Note})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "REVISION\tREPLACED AT\tREPLACED BY\tTITLE")
				for _, r := range revs {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Number, r.SavedAt.Format(time.RFC3339), r.Note, r.Title)
				}
				fmt.Fprintf(tw, "current\t%s\t\t%s\n", a.UpdatedAt.Format(time.RFC3339), a.Title)
				if err := tw.Flush(); err != nil {
					return err
				}
				if len(revs) == 0 {
					fmt.Fprintln(e.stderr, "no earlier versions: the article has not changed since it was created")
				}
				return nil
			})
		},
	}
}

func articleRestoreCommand() *command {
	return &command{
		name:    "restore",
		args:    "SLUG REVISION",
		summary: "bring back an earlier version (the current one is kept as a revision)",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and the revision number to restore")
			}
			n, err := strconv.Atoi(fs.Arg(1))
			if err != nil || n < 1 {
				return usage(e, fs, "revision %q is not a revision number (see 'dateline article revisions %s')", fs.Arg(1), fs.Arg(0))
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				a, err = newsroomOf(e, s).Restore(e.ctx, cliAs, a, n)
				if errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("revision %d of %q", n, fs.Arg(0))}
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "restored %s to revision %d; the version it replaced is kept as a revision\n", a.Slug, n)
				return nil
			})
		},
	}
}

// The JSON shapes printed by the article commands. They are the CLI's
// contract with scripts, so they are spelled out here rather than derived
// from the domain types.

type authorJSON struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	Bio  string `json:"bio,omitempty"`
}

type tagJSON struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// articleSectionJSON is an article's section; a site without sections
// has articles with none (null).
type articleSectionJSON struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

type articleSummaryJSON struct {
	Slug           string              `json:"slug"`
	Kind           string              `json:"kind"` // article, page, about or contact
	Title          string              `json:"title"`
	Description    string              `json:"description"`
	Status         string              `json:"status"`
	PublishedAt    *time.Time          `json:"published_at"`
	UpdatedAt      time.Time           `json:"updated_at"`
	Author         *authorJSON         `json:"author"`
	Section        *articleSectionJSON `json:"section"`
	Tags           []tagJSON           `json:"tags"`
	WordCount      int                 `json:"word_count"`
	ReadingMinutes int                 `json:"reading_minutes"`
}

type articleDetailJSON struct {
	articleSummaryJSON
	CreatedAt      time.Time         `json:"created_at"`
	Version        int               `json:"version"`
	Source         string            `json:"source,omitempty"`
	FocusKeyphrase string            `json:"focus_keyphrase,omitempty"`
	SEOTitle       string            `json:"seo_title,omitempty"`
	FeaturedImage  int64             `json:"featured_image,omitempty"` // its library ID
	Outline        []article.Heading `json:"outline"`
	RequestedLinks []string          `json:"requested_links"`
	Updates        []article.Update  `json:"updates"` // correction and update notes, oldest first
	BodyMarkdown   string            `json:"body_markdown"`
	// Entities are the people, organisations and places it names, most
	// salient first.
	Entities []entityJSON `json:"entities"`
}

type revisionJSON struct {
	Number  int       `json:"number"`
	Title   string    `json:"title"`
	Slug    string    `json:"slug"`
	Status  string    `json:"status"`
	SavedAt time.Time `json:"replaced_at"`
	Note    string    `json:"replaced_by"`
}

func summaryJSON(a *article.Article) articleSummaryJSON {
	out := articleSummaryJSON{
		Slug: a.Slug, Kind: string(a.Kind), Title: a.Title, Description: a.Description, Status: string(a.Status),
		UpdatedAt: a.UpdatedAt, WordCount: a.WordCount, ReadingMinutes: a.ReadingMinutes,
		Tags: make([]tagJSON, 0, len(a.Tags)),
	}
	if !a.PublishedAt.IsZero() {
		out.PublishedAt = &a.PublishedAt
	}
	if a.Author != nil {
		out.Author = &authorJSON{Name: a.Author.Name, Slug: a.Author.Slug, Bio: a.Author.Bio}
	}
	if a.Section != nil {
		out.Section = &articleSectionJSON{Name: a.Section.Name, Slug: a.Section.Slug}
	}
	for _, t := range a.Tags {
		out.Tags = append(out.Tags, tagJSON{Name: t.Name, Slug: t.Slug})
	}
	return out
}

func detailJSON(a *article.Article, outline []article.Heading) articleDetailJSON {
	if outline == nil {
		outline = []article.Heading{}
	}
	links := a.RequestedLinks
	if links == nil {
		links = []string{}
	}
	updates := a.Updates
	if updates == nil {
		updates = []article.Update{}
	}
	return articleDetailJSON{
		articleSummaryJSON: summaryJSON(a),
		CreatedAt:          a.CreatedAt,
		Version:            a.Version,
		Source:             a.Source,
		FocusKeyphrase:     a.FocusKeyphrase,
		SEOTitle:           a.SEOTitle,
		FeaturedImage:      a.FeaturedMediaID,
		Outline:            outline,
		RequestedLinks:     links,
		Updates:            updates,
		BodyMarkdown:       a.Body,
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}

func printArticle(w io.Writer, a *article.Article, outline []article.Heading) {
	fmt.Fprintf(w, "%s\n%s\n\n", a.Title, strings.Repeat("=", min(len([]rune(a.Title)), 80)))
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-13s %s\n", name+":", value)
		}
	}
	field("Slug", a.Slug)
	if a.Kind.IsPage() {
		field("Kind", string(a.Kind)+" (a page of the site)")
	}
	field("Status", string(a.Status))
	field("Published", formatDate(a.PublishedAt))
	field("Updated", formatDate(a.UpdatedAt))
	if a.Author != nil {
		field("Author", a.Author.Name)
	}
	if a.Section != nil {
		field("Section", fmt.Sprintf("%s (%s)", a.Section.Name, a.Section.Slug))
	}
	var tags []string
	for _, t := range a.Tags {
		tags = append(tags, t.Name)
	}
	field("Tags", strings.Join(tags, ", "))
	field("Length", fmt.Sprintf("%d words, %d min read", a.WordCount, a.ReadingMinutes))
	field("Description", a.Description)
	if len(outline) > 0 {
		fmt.Fprintln(w, "\nOutline:")
		for _, h := range outline {
			fmt.Fprintf(w, "%s%s  #%s\n", strings.Repeat("  ", h.Level-1), h.Text, h.ID)
		}
	}
	if len(a.Updates) > 0 {
		fmt.Fprintln(w, "\nUpdates:")
		for _, u := range a.Updates {
			fmt.Fprintf(w, "  %s  %s\n", formatDate(u.At), u.Text)
		}
	}
	if len(a.RequestedLinks) > 0 {
		fmt.Fprintln(w, "\nRequested links:")
		for i, l := range a.RequestedLinks {
			fmt.Fprintf(w, "  %d. %s\n", i+1, l)
		}
	}
	fmt.Fprintf(w, "\n%s", a.Body)
}
