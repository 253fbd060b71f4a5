package exporter

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// The JSON export's format name and version; docs/export-json.md
// describes every field. A change that a reader of version 1 could
// misread gives a new version.
const (
	JSONFormat  = "dateline-export"
	JSONVersion = 1
)

// JSONSite is the "site" object: the site settings, with the server's
// configuration standing in for the fields left empty.
type JSONSite struct {
	Title                string `json:"title"`
	Description          string `json:"description"`
	Language             string `json:"language"`
	TimeZone             string `json:"time_zone"`
	LogoURL              string `json:"logo_url"`
	PublishingPrinciples string `json:"publishing_principles"`
	CorrectionsPolicy    string `json:"corrections_policy"`
}

// JSONSection is a section, in the site's order.
type JSONSection struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
	URL         string `json:"url"`
}

// JSONMenu is one of the site's menus.
type JSONMenu struct {
	Saved bool             `json:"saved"`
	Items []store.MenuItem `json:"items"`
}

// JSONAuthor is a byline with its profile.
type JSONAuthor struct {
	ID           int64          `json:"id"`
	Slug         string         `json:"slug"`
	Name         string         `json:"name"`
	Bio          string         `json:"bio"`
	RoleTitle    string         `json:"role_title"`
	PhotoMediaID int64          `json:"photo_media_id"`
	Links        []article.Link `json:"links"`
	URL          string         `json:"url"`
}

// JSONTag is a tag.
type JSONTag struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// JSONMedia is a library image's metadata and public address.
type JSONMedia struct {
	ID        int64         `json:"id"`
	Hash      string        `json:"hash"`
	Filename  string        `json:"filename"`
	Format    media.Format  `json:"format"`
	Width     int           `json:"width"`
	Height    int           `json:"height"`
	Size      int64         `json:"size"`
	Alt       string        `json:"alt"`
	Caption   string        `json:"caption"`
	Credit    string        `json:"credit"`
	State     media.State   `json:"state"`
	CreatedAt time.Time     `json:"created_at"`
	URL       string        `json:"url"`
	Variants  []JSONVariant `json:"variants"`
}

// JSONVariant is one file made from a library image.
type JSONVariant struct {
	media.Variant
	URL string `json:"url"`
}

// JSONRedirect is a permanent redirect.
type JSONRedirect struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	CreatedAt time.Time `json:"created_at"`
}

// JSONPin is a story pinned to the front page.
type JSONPin struct {
	ArticleID int64  `json:"article_id"`
	Slug      string `json:"slug"`
}

// JSONArticle is an article or page, whole, with its comments.
type JSONArticle struct {
	ID              int64            `json:"id"`
	Kind            article.Kind     `json:"kind"`
	Slug            string           `json:"slug"`
	URL             string           `json:"url"`
	Title           string           `json:"title"`
	Description     string           `json:"description"`
	BodyMarkdown    string           `json:"body_markdown"`
	Status          article.Status   `json:"status"`
	Public          bool             `json:"public"`
	PublishedAt     *time.Time       `json:"published_at"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
	Author          *JSONByline      `json:"author"`
	OwnerID         int64            `json:"owner_id"`
	Section         *string          `json:"section"`
	Tags            []JSONTag        `json:"tags"`
	RequestedLinks  []string         `json:"requested_links"`
	FocusKeyphrase  string           `json:"focus_keyphrase"`
	SEOTitle        string           `json:"seo_title"`
	Updates         []article.Update `json:"updates"`
	FeaturedMediaID int64            `json:"featured_media_id"`
	MediaIDs        []int64          `json:"media_ids"`
	WordCount       int              `json:"word_count"`
	ReadingMinutes  int              `json:"reading_minutes"`
	Views           int64            `json:"views"`
	CommentsClosed  bool             `json:"comments_closed"`
	Source          string           `json:"source"`
	Version         int              `json:"version"`
	Comments        []JSONComment    `json:"comments"`
}

// JSONByline names an article's author (see "authors" for the profile).
type JSONByline struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// JSONComment is a reader's comment, emails included: the export is an
// administrator's.
type JSONComment struct {
	ID        int64         `json:"id"`
	ParentID  int64         `json:"parent_id"`
	Author    string        `json:"author"`
	Email     string        `json:"email"`
	URL       string        `json:"url"`
	Body      string        `json:"body"`
	State     comment.State `json:"state"`
	Reason    string        `json:"reason"`
	CreatedAt time.Time     `json:"created_at"`
}

// JSON writes the whole site in s to w as Dateline's JSON export, format
// "dateline-export" version 1, documented field by field in
// docs/export-json.md. The small parts come first (settings, sections,
// menus, authors, tags, media, redirects, pins) and the articles last,
// one at a time with their comments, so the file is written as the
// articles are read. Comment emails are included: it is an
// administrator's export, to be kept as carefully as the database.
func JSON(ctx context.Context, w io.Writer, s store.Store, opts Options) (Summary, error) {
	var sum Summary
	base, err := opts.check()
	if err != nil {
		return sum, err
	}
	j := &jsonExport{out: bufio.NewWriterSize(w, 64<<10), s: s, opts: opts, base: base, sum: &sum}
	if err := j.write(ctx); err != nil {
		return sum, fmt.Errorf("export json: %w", err)
	}
	return sum, nil
}

type jsonExport struct {
	out  *bufio.Writer
	err  error
	s    store.Store
	opts Options
	base string
	sum  *Summary
}

// field writes `"name": value,` at the top level.
func (j *jsonExport) field(name string, v any) {
	if j.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		j.err = err
		return
	}
	j.raw(fmt.Sprintf("  %q: ", name))
	j.raw(string(b))
	j.raw(",\n")
}

func (j *jsonExport) raw(s string) {
	if j.err == nil {
		_, j.err = j.out.WriteString(s)
	}
}

func (j *jsonExport) write(ctx context.Context) error {
	ix, err := buildIndex(ctx, j.s)
	if err != nil {
		return err
	}
	settings, err := j.s.SiteSettings(ctx)
	if err != nil {
		return err
	}
	commentSettings, err := j.s.CommentSettings(ctx)
	if err != nil {
		return err
	}
	j.raw("{\n")
	j.field("format", JSONFormat)
	j.field("version", JSONVersion)
	j.field("exported_at", j.opts.Now().UTC())
	j.field("base_url", j.base)
	j.field("site", JSONSite{
		Title: or(settings.Title, j.opts.Title), Description: or(settings.Description, j.opts.Description),
		Language: or(settings.Language, j.opts.Language), TimeZone: settings.TimeZone, LogoURL: settings.LogoURL,
		PublishingPrinciples: settings.PublishingPrinciples, CorrectionsPolicy: settings.CorrectionsPolicy,
	})
	j.field("comment_settings", commentSettings)

	sections, err := j.s.Sections(ctx)
	if err != nil {
		return err
	}
	secs := make([]JSONSection, len(sections))
	for i, sec := range sections {
		secs[i] = JSONSection{ID: sec.ID, Slug: sec.Slug, Name: sec.Name, Description: sec.Description, Position: sec.Position, URL: j.base + urls.Section(sec.Slug)}
	}
	j.field("sections", secs)
	j.sum.Sections = len(secs)

	menus := map[string]JSONMenu{}
	for _, name := range []string{store.HeaderMenu, store.FooterMenu} {
		items, saved, err := j.s.Menu(ctx, name)
		if err != nil {
			return err
		}
		menus[name] = JSONMenu{Saved: saved, Items: nonNil(items)}
	}
	j.field("menus", menus)

	authors, err := j.s.Authors(ctx)
	if err != nil {
		return err
	}
	aus := make([]JSONAuthor, len(authors))
	for i, au := range authors {
		aus[i] = JSONAuthor{ID: au.ID, Slug: au.Slug, Name: au.Name, Bio: au.Bio, Links: []article.Link{}, URL: j.base + urls.Author(au.Slug)}
		if p := au.Profile; p != nil {
			aus[i].RoleTitle, aus[i].PhotoMediaID, aus[i].Links = p.RoleTitle, p.PhotoMediaID, nonNil(p.Links)
		}
	}
	j.field("authors", aus)
	j.sum.Authors = len(aus)

	tags := make([]JSONTag, len(ix.tags))
	for i, t := range ix.tags {
		tags[i] = JSONTag{Slug: t.Slug, Name: t.Name, URL: j.base + urls.Tag(t.Slug)}
	}
	j.field("tags", tags)
	j.sum.Tags = len(tags)

	if err := j.media(ctx); err != nil {
		return err
	}

	redirects, err := j.s.Redirects(ctx)
	if err != nil {
		return err
	}
	rs := make([]JSONRedirect, len(redirects))
	for i, r := range redirects {
		rs[i] = JSONRedirect{From: r.From, To: r.To, CreatedAt: r.CreatedAt.UTC()}
	}
	j.field("redirects", rs)
	j.sum.Redirects = len(rs)

	pins, err := j.s.Pins(ctx)
	if err != nil {
		return err
	}
	ps := make([]JSONPin, 0, len(pins))
	for _, id := range pins {
		a, err := j.s.ArticleByID(ctx, id)
		if err != nil {
			return err
		}
		ps = append(ps, JSONPin{ArticleID: id, Slug: a.Slug})
	}
	j.field("front_page_pins", ps)

	j.raw(`  "articles": [`)
	done := 0
	err = j.s.EachArticle(ctx, store.ArticleQuery{}, func(a *article.Article) error {
		ja, err := j.article(ctx, a)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(ja, "    ", "  ")
		if err != nil {
			return err
		}
		if done > 0 {
			j.raw(",")
		}
		j.raw("\n    ")
		j.raw(string(b))
		done++
		if j.opts.Progress != nil {
			j.opts.Progress(done, max(done, ix.total))
		}
		return j.err
	})
	if err != nil {
		return err
	}
	if done > 0 {
		j.raw("\n  ")
	}
	j.raw("]\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.out.Flush()
}

// media writes the library's items, a page at a time.
func (j *jsonExport) media(ctx context.Context) error {
	j.raw(`  "media": [`)
	n := 0
	for offset := 0; ; offset += pageSize {
		items, err := j.s.MediaItems(ctx, store.MediaQuery{Limit: pageSize, Offset: offset})
		if err != nil {
			return err
		}
		for _, it := range items {
			m := JSONMedia{ID: it.ID, Hash: it.Hash, Filename: it.Filename, Format: it.Format, Width: it.Width, Height: it.Height,
				Size: it.Size, Alt: it.Alt, Caption: it.Caption, Credit: it.Credit, State: it.State, CreatedAt: it.CreatedAt.UTC(),
				URL: mediaURL(j.base, it), Variants: []JSONVariant{}}
			for _, v := range it.Variants {
				m.Variants = append(m.Variants, JSONVariant{Variant: v, URL: j.base + urls.Media(it.Hash, v.File())})
			}
			b, err := json.MarshalIndent(m, "    ", "  ")
			if err != nil {
				return err
			}
			if n > 0 {
				j.raw(",")
			}
			j.raw("\n    ")
			j.raw(string(b))
			n++
		}
		if len(items) < pageSize {
			break
		}
	}
	if n > 0 {
		j.raw("\n  ")
	}
	j.raw("],\n")
	j.sum.Media = n
	return j.err
}

func (j *jsonExport) article(ctx context.Context, a *article.Article) (*JSONArticle, error) {
	cs, err := j.s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	if err != nil {
		return nil, fmt.Errorf("comments of %q: %w", a.Slug, err)
	}
	ja := &JSONArticle{
		ID: a.ID, Kind: a.Kind, Slug: a.Slug, URL: j.base + urls.Article(a.Slug), Title: a.Title, Description: a.Description,
		BodyMarkdown: a.Body, Status: a.Status, Public: a.IsPublic(j.opts.Now()),
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), OwnerID: a.OwnerID,
		Tags: []JSONTag{}, RequestedLinks: nonNil(a.RequestedLinks), FocusKeyphrase: a.FocusKeyphrase, SEOTitle: a.SEOTitle,
		Updates: nonNil(a.Updates), FeaturedMediaID: a.FeaturedMediaID, MediaIDs: nonNil(a.MediaIDs),
		WordCount: a.WordCount, ReadingMinutes: a.ReadingMinutes, Views: a.Views, CommentsClosed: a.CommentsClosed,
		Source: a.Source, Version: a.Version, Comments: make([]JSONComment, 0, len(cs)),
	}
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt.UTC()
		ja.PublishedAt = &t
	}
	if a.Author != nil {
		ja.Author = &JSONByline{ID: a.Author.ID, Slug: a.Author.Slug, Name: a.Author.Name}
	}
	if a.Section != nil {
		ja.Section = &a.Section.Slug
	}
	for _, t := range a.Tags {
		ja.Tags = append(ja.Tags, JSONTag{Slug: t.Slug, Name: t.Name, URL: j.base + urls.Tag(t.Slug)})
	}
	for _, c := range cs {
		ja.Comments = append(ja.Comments, JSONComment{ID: c.ID, ParentID: c.ParentID, Author: c.Author, Email: c.Email,
			URL: c.URL, Body: c.Body, State: c.State, Reason: c.Reason, CreatedAt: c.CreatedAt.UTC()})
	}
	if a.Kind.IsPage() {
		j.sum.Pages++
	} else {
		j.sum.Articles++
	}
	j.sum.Comments += len(cs)
	return ja, nil
}

// nonNil gives an empty list for nil, so that the JSON has [] rather than
// null: the format says every list is a list.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
