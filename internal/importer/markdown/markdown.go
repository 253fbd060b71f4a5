// Package markdown imports Markdown files with optional YAML front matter,
// reading the field names that Hugo and Jekyll sites already use:
//
//   - title; when missing, a leading "# Heading" of the body is the title
//   - date (or publishDate, which wins when both are given): the
//     publication time, as RFC 3339, "2006-01-02 15:04:05 -0700" (Jekyll),
//     "2006-01-02 15:04:05" or "2006-01-02"; times without a zone are UTC
//   - lastmod, updated or last_modified_at: the last update
//   - description, else summary, else excerpt: the meta description
//   - section: the article's section, by name (created on import when
//     the site lacks it); without one, the first of categories is the
//     section
//   - tags, and the categories that are not the section (a list, or one
//     comma-separated string): tags
//   - slug; draft: true, or Jekyll's published: false, makes a draft
//   - author: a name, a {name, bio} mapping, or a list whose first entry
//     counts (also under Hugo's "authors")
//   - related: titles of other articles to link to (requested links)
//   - focus_keyphrase (or keyphrase): the search phrase for the SEO
//     analysis; seo_title (or meta_title): the title search results show
//     instead of the headline
//   - aliases and url (Hugo), redirect_from and permalink (Jekyll): the
//     article's old addresses, which redirect to it (OldAddresses)
//   - kind: article (the default), or page, about or contact for a page
//     of the site, which stands outside the listings, feeds and sections;
//     without a kind, Jekyll's "layout: page" and Hugo's "type: page"
//     make a page too
//
// Other fields are ignored, so a site's own front matter does no harm. A
// leading "# Heading" equal to the title is removed from the body, since
// the page shows the title as its headline.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/datelinehq/dateline/internal/article"
	"go.yaml.in/yaml/v3"
)

// Parse reads a Markdown file's content into an article. Errors name the
// problem in words meant for the person who wrote the file.
func Parse(content []byte) (*article.Article, error) {
	content = bytes.TrimPrefix(content, []byte("\ufeff"))
	content = bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n"))
	if len(bytes.TrimSpace(content)) == 0 {
		return nil, errors.New("file is empty")
	}
	fm, body, err := splitFrontMatter(content)
	if err != nil {
		return nil, err
	}
	var m meta
	if fm != nil {
		if err := yaml.Unmarshal(fm, &m); err != nil {
			return nil, fmt.Errorf("front matter: %s", fileLines(err))
		}
	}
	a := &article.Article{
		Title:          strings.TrimSpace(m.Title),
		Slug:           strings.TrimSpace(m.Slug),
		Description:    firstNonEmpty(m.Description, m.Summary, m.Excerpt),
		RequestedLinks: trimAll(m.Related),
		FocusKeyphrase: firstNonEmpty(m.FocusKeyphrase, m.Keyphrase),
		SEOTitle:       strings.TrimSpace(firstNonEmpty(m.SEOTitle, m.MetaTitle)),
		Status:         article.Published,
	}
	body = strings.TrimSpace(body)
	if heading, rest, ok := leadingH1(body); ok && (a.Title == "" || heading == a.Title) {
		a.Title, body = heading, strings.TrimSpace(rest)
	}
	if a.Title == "" {
		return nil, errors.New("no title: add a title field to the front matter or start the text with a \"# Heading\"")
	}
	if body == "" {
		return nil, errors.New("file has a title but no body text")
	}
	a.Body = body + "\n"
	if a.Slug != "" {
		if err := article.ValidateSlug(a.Slug); err != nil {
			return nil, fmt.Errorf("front matter: %w", err)
		}
	}
	a.PublishedAt = m.Date.Time
	if !m.PublishDate.IsZero() {
		a.PublishedAt = m.PublishDate.Time
	}
	a.UpdatedAt = firstTime(m.Lastmod.Time, m.Updated.Time, m.LastModifiedAt.Time)
	if a.Kind, err = kindOf(m); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	if m.Draft || (m.Published != nil && !*m.Published) {
		a.Status = article.Draft
	}
	categories := trimAll(m.Categories)
	section := strings.TrimSpace(m.Section)
	if section == "" && len(categories) > 0 {
		// Hugo and Jekyll sites file a post under its categories; the
		// first is the nearest thing to a newspaper's section.
		section, categories = categories[0], categories[1:]
	}
	if section != "" {
		a.Section = &article.Section{Name: section}
	}
	for _, t := range append(m.Tags, categories...) {
		a.Tags = append(a.Tags, article.Tag{Name: t})
	}
	author := m.Author
	if author.Name == "" && len(m.Authors) > 0 {
		author = m.Authors[0]
	}
	if author.Name != "" {
		a.Author = &article.Author{Name: author.Name, Bio: author.Bio}
	}
	return a, nil
}

// kindOf is the kind the front matter gives: its kind field, else a page
// for Jekyll's layout or Hugo's type "page", else none ("", a story).
func kindOf(m meta) (article.Kind, error) {
	if strings.TrimSpace(m.Kind) != "" {
		return article.ParseKind(m.Kind)
	}
	if strings.EqualFold(strings.TrimSpace(m.Layout), "page") || strings.EqualFold(strings.TrimSpace(m.Type), "page") {
		return article.Page, nil
	}
	return "", nil
}

// meta is the front matter Dateline reads.
type meta struct {
	Title          string     `yaml:"title"`
	Slug           string     `yaml:"slug"`
	Description    string     `yaml:"description"`
	Summary        string     `yaml:"summary"`
	Excerpt        string     `yaml:"excerpt"`
	Date           date       `yaml:"date"`
	PublishDate    date       `yaml:"publishDate"`
	Lastmod        date       `yaml:"lastmod"`
	Updated        date       `yaml:"updated"`
	LastModifiedAt date       `yaml:"last_modified_at"`
	Draft          bool       `yaml:"draft"`
	Published      *bool      `yaml:"published"`
	Tags           stringList `yaml:"tags"`
	Categories     stringList `yaml:"categories"`
	Section        string     `yaml:"section"`
	Kind           string     `yaml:"kind"`
	Layout         string     `yaml:"layout"` // Jekyll's
	Type           string     `yaml:"type"`   // Hugo's
	Author         person     `yaml:"author"`
	Authors        []person   `yaml:"authors"`
	Related        stringList `yaml:"related"`
	Keyphrase      string     `yaml:"keyphrase"`
	FocusKeyphrase string     `yaml:"focus_keyphrase"`
	SEOTitle       string     `yaml:"seo_title"`
	MetaTitle      string     `yaml:"meta_title"`
	Image          string     `yaml:"image"`
	FeaturedImage  string     `yaml:"featured_image"`
	ImageAlt       string     `yaml:"image_alt"`
	ImageCaption   string     `yaml:"image_caption"`
	ImageCredit    string     `yaml:"image_credit"`
	Images         stringList `yaml:"images"`        // Hugo's, for sharing: the first is the featured image
	Cover          cover      `yaml:"cover"`         // Hugo themes' (PaperMod): image, alt, caption
	Aliases        stringList `yaml:"aliases"`       // Hugo's
	URL            string     `yaml:"url"`           // Hugo's
	RedirectFrom   stringList `yaml:"redirect_from"` // Jekyll's
	Permalink      string     `yaml:"permalink"`     // Jekyll's
}

// Images are the image files a Markdown file names by a path relative
// to itself or to its site's root: its featured image (front matter
// image, featured_image, cover.image or the first of images, with
// image_alt, image_caption and image_credit) and those its body shows
// (![alt](photos/x.jpg)). Images on the web are left as they are.
type Images struct {
	Featured *ImageRef
	Body     []ImageRef // each path once, in order
}

// ImageRef is an image file a Markdown file names.
type ImageRef struct {
	Path                 string // relative, with slashes
	Alt, Caption, Credit string
	// Rooted paths ("/images/x.jpg") name a file of the site the
	// Markdown file belongs to (Hugo's static/), not one beside it.
	Rooted bool
}

// rootedPath reports whether an image's address is absolute on its site.
func rootedPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, ":")
}

// bodyImage is a Markdown image: its alt text and its destination.
var bodyImage = regexp.MustCompile(`!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)

// localPath reports whether an image's address is a file beside the
// Markdown file, or in a folder below it.
func localPath(p string) bool {
	if strings.Contains(p, ":") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "#") {
		return false
	}
	return filepath.IsLocal(filepath.FromSlash(p))
}

// ImagesOf lists the image files a parsed file names; see Images.
func ImagesOf(content []byte, a *article.Article) (*Images, error) {
	fm, _, err := splitFrontMatter(bytes.ReplaceAll(bytes.TrimPrefix(content, []byte("\ufeff")), []byte("\r\n"), []byte("\n")))
	if err != nil {
		return nil, err
	}
	var m meta
	if fm != nil {
		if err := yaml.Unmarshal(fm, &m); err != nil {
			return nil, fmt.Errorf("front matter: %s", fileLines(err))
		}
	}
	imgs := &Images{}
	first := ""
	if len(m.Images) > 0 {
		first = m.Images[0]
	}
	if p := strings.TrimSpace(firstNonEmpty(m.FeaturedImage, m.Image, m.Cover.Image, first)); p != "" && (localPath(p) || rootedPath(p)) {
		imgs.Featured = &ImageRef{Path: p, Alt: firstNonEmpty(m.ImageAlt, m.Cover.Alt), Caption: firstNonEmpty(m.ImageCaption, m.Cover.Caption), Credit: m.ImageCredit, Rooted: rootedPath(p)}
	}
	seen := map[string]bool{}
	for _, match := range bodyImage.FindAllStringSubmatch(a.Body, -1) {
		if p := match[2]; (localPath(p) || rootedPath(p)) && !seen[p] {
			seen[p] = true
			imgs.Body = append(imgs.Body, ImageRef{Path: p, Alt: match[1], Rooted: rootedPath(p)})
		}
	}
	return imgs, nil
}

// OldAddresses reads the addresses a file says its article had on the
// old site: own is the page's address when the file sets it (Hugo's url,
// Jekyll's permalink), aliases the others that redirected there (Hugo's
// aliases, Jekyll's redirect_from), site-absolute, each once.
func OldAddresses(content []byte) (own string, aliases []string, err error) {
	fm, _, err := splitFrontMatter(bytes.ReplaceAll(bytes.TrimPrefix(content, []byte("\ufeff")), []byte("\r\n"), []byte("\n")))
	if err != nil || fm == nil {
		return "", nil, err
	}
	var m meta
	if err := yaml.Unmarshal(fm, &m); err != nil {
		return "", nil, fmt.Errorf("front matter: %s", fileLines(err))
	}
	absolute := func(p string) string {
		if p = strings.TrimSpace(p); p != "" && !strings.HasPrefix(p, "/") && !strings.Contains(p, "://") {
			p = "/" + p // Hugo's aliases may be written relative to the site
		}
		return p
	}
	own = absolute(firstNonEmpty(m.URL, m.Permalink))
	seen := map[string]bool{own: true, "": true}
	for _, p := range append(m.Aliases, m.RedirectFrom...) {
		if p = absolute(p); !seen[p] {
			seen[p] = true
			aliases = append(aliases, p)
		}
	}
	return own, aliases, nil
}

// UseImages names the library images (by path, their IDs) in the
// article's body instead of the files: ![alt](photos/x.jpg) becomes
// ![alt](media:12).
func UseImages(a *article.Article, ids map[string]int64) {
	a.Body = bodyImage.ReplaceAllStringFunc(a.Body, func(m string) string {
		sub := bodyImage.FindStringSubmatch(m)
		if id, ok := ids[sub[2]]; ok {
			return "![" + sub[1] + "](media:" + strconv.FormatInt(id, 10) + ")"
		}
		return m
	})
}

// cover is a theme's cover image: a mapping with image, alt and caption,
// or the image alone.
type cover struct{ Image, Alt, Caption string }

func (c *cover) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		c.Image = strings.TrimSpace(n.Value)
	case yaml.MappingNode:
		var m struct {
			Image   string `yaml:"image"`
			Alt     string `yaml:"alt"`
			Caption string `yaml:"caption"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		*c = cover{strings.TrimSpace(m.Image), strings.TrimSpace(m.Alt), strings.TrimSpace(m.Caption)}
	}
	return nil // anything else is a theme's own business
}

// Categories are the front matter's categories as written, for
// addresses built from them (Jekyll's :categories).
func Categories(content []byte) []string {
	fm, _, err := splitFrontMatter(bytes.ReplaceAll(bytes.TrimPrefix(content, []byte("\ufeff")), []byte("\r\n"), []byte("\n")))
	if err != nil || fm == nil {
		return nil
	}
	var m struct {
		Categories stringList `yaml:"categories"`
		Category   string     `yaml:"category"`
	}
	if yaml.Unmarshal(fm, &m) != nil {
		return nil
	}
	if len(m.Categories) == 0 && m.Category != "" {
		return []string{m.Category}
	}
	return trimAll(m.Categories)
}

// stringList accepts a YAML list of strings or one comma-separated string.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		for _, s := range strings.Split(n.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				*l = append(*l, s)
			}
		}
		return nil
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: want a list of words, found a nested %s", item.Line, kindName(item.Kind))
			}
			*l = append(*l, item.Value)
		}
		return nil
	}
	return fmt.Errorf("line %d: want a list or a comma-separated string, found a %s", n.Line, kindName(n.Kind))
}

// person accepts a name, a {name, bio} mapping, or a list of either (the
// first counts).
type person struct {
	Name string
	Bio  string
}

func (p *person) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		p.Name = strings.TrimSpace(n.Value)
		return nil
	case yaml.MappingNode:
		var m struct {
			Name        string `yaml:"name"`
			Bio         string `yaml:"bio"`
			Description string `yaml:"description"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		p.Name, p.Bio = strings.TrimSpace(m.Name), strings.TrimSpace(firstNonEmpty(m.Bio, m.Description))
		return nil
	case yaml.SequenceNode:
		if len(n.Content) > 0 {
			return p.UnmarshalYAML(n.Content[0])
		}
		return nil
	}
	return fmt.Errorf("line %d: author must be a name or a mapping with a name", n.Line)
}

// date accepts the date formats static site generators write.
type date struct{ time.Time }

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

func (d *date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a date, found a %s", n.Line, kindName(n.Kind))
	}
	v := strings.TrimSpace(n.Value)
	if v == "" {
		return nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			d.Time = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("line %d: %q is not a date (want 2006-01-02, 2006-01-02 15:04:05 -0700 or RFC 3339)", n.Line, v)
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

// splitFrontMatter separates YAML front matter, fenced by "---" lines at
// the top of the file, from the body. A file without it is all body.
func splitFrontMatter(content []byte) (fm []byte, body string, err error) {
	s := string(content)
	if strings.HasPrefix(s, "+++\n") {
		return tomlFrontMatter(s[len("+++\n"):])
	}
	if !strings.HasPrefix(s, "---\n") {
		return nil, s, nil
	}
	rest := s[len("---\n"):]
	for offset := 0; offset <= len(rest); {
		line, _, _ := strings.Cut(rest[offset:], "\n")
		if trimmed := strings.TrimRight(line, " \t"); trimmed == "---" || trimmed == "..." {
			end := offset + len(line)
			if end < len(rest) {
				end++
			}
			return []byte(rest[:offset]), rest[end:], nil
		}
		if offset+len(line) >= len(rest) {
			break
		}
		offset += len(line) + 1
	}
	return nil, "", errors.New("front matter: opened with --- on line 1 but never closed with a --- line")
}

// tomlFrontMatter reads Hugo's TOML front matter, fenced by "+++"
// lines, as the YAML the rest of the package reads: the fields are the
// same, only the notation differs.
func tomlFrontMatter(rest string) (fm []byte, body string, err error) {
	end := -1
	for offset := 0; offset < len(rest); {
		line, _, _ := strings.Cut(rest[offset:], "\n")
		if strings.TrimRight(line, " \t") == "+++" {
			end = offset
			body = rest[min(offset+len(line)+1, len(rest)):]
			break
		}
		offset += len(line) + 1
	}
	if end < 0 {
		return nil, "", errors.New("front matter: opened with +++ on line 1 but never closed with a +++ line")
	}
	fields := map[string]any{}
	if _, err := toml.Decode(rest[:end], &fields); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, "", fmt.Errorf("front matter: line %d: %s", perr.Position.Line+1, perr.Message)
		}
		return nil, "", fmt.Errorf("front matter: %v", err)
	}
	fm, err = yaml.Marshal(fields)
	if err != nil {
		return nil, "", fmt.Errorf("front matter: %v", err)
	}
	return fm, body, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// fileLines rewrites the line numbers in a YAML error, which count from the
// front matter's first line, into line numbers of the file.
func fileLines(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	return yamlLine.ReplaceAllStringFunc(msg, func(m string) string {
		n, _ := strconv.Atoi(m[len("line "):])
		return "line " + strconv.Itoa(n+1)
	})
}

// leadingH1 returns the text of an ATX "# Heading" on the body's first line.
func leadingH1(body string) (heading, rest string, ok bool) {
	line, rest, _ := strings.Cut(body, "\n")
	if !strings.HasPrefix(line, "# ") {
		return "", "", false
	}
	heading = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[2:]), "#"))
	return heading, rest, heading != ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
