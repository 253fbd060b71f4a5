package exporter

import (
	"bufio"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// The WXR 1.2 namespaces, as WordPress declares them.
const wxrHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!-- A WordPress eXtended RSS (WXR 1.2) export of a Dateline site. Import it in WordPress under Tools > Import > WordPress, or with 'dateline import'. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
`

// wpNoDate is WordPress's date for "none", as a draft's GMT date.
const wpNoDate = "0000-00-00 00:00:00"

// WXR writes the site in s to w as a WordPress export (WXR 1.2): the
// site's authors, sections (as categories) and tags, then its library
// images as attachments, then every article and page, whatever its
// status, with its comments. WordPress's importer and Dateline's
// (importer/wordpress) read it.
//
// What WXR has no place for is left out; the JSON export keeps it: menus,
// update notes, requested links, redirects other than each article's
// first old address (which goes in its guid; WordPress's /?p=ID is its
// post ID), and the kind of a page (About, Contact). Bodies are rendered
// to HTML, as WordPress stores them; images show their files on this
// site, at absolute addresses, so that the importing site can fetch them.
func WXR(ctx context.Context, w io.Writer, s store.Store, opts Options) (Summary, error) {
	var sum Summary
	base, err := opts.check()
	if err != nil {
		return sum, err
	}
	ix, err := buildIndex(ctx, s)
	if err != nil {
		return sum, fmt.Errorf("export wxr: %w", err)
	}
	x := &wxr{out: bufio.NewWriterSize(w, 64<<10), s: s, opts: opts, base: base, ix: ix, loc: time.UTC, sum: &sum}
	if err := x.write(ctx); err != nil {
		return sum, fmt.Errorf("export wxr: %w", err)
	}
	return sum, nil
}

// wxr is one WXR export.
type wxr struct {
	out  *bufio.Writer
	err  error // the first write error; later writes do nothing
	s    store.Store
	opts Options
	base string
	ix   *index
	// loc is the site's time zone, for WordPress's local dates.
	loc *time.Location
	// old are the redirects to each article's address.
	old map[string][]string
	// images are the library items written as attachments.
	images map[int64]bool
	sum    *Summary
}

func (x *wxr) write(ctx context.Context) error {
	settings, err := x.s.SiteSettings(ctx)
	if err != nil {
		return err
	}
	if settings.TimeZone != "" {
		if loc, err := time.LoadLocation(settings.TimeZone); err == nil {
			x.loc = loc
		}
	}
	redirects, err := x.s.Redirects(ctx)
	if err != nil {
		return err
	}
	x.old = oldAddresses(redirects)
	x.sum.Redirects = len(redirects)

	x.raw(wxrHeader)
	x.el("title", or(settings.Title, x.opts.Title))
	x.el("link", x.base)
	x.el("description", or(settings.Description, x.opts.Description))
	x.el("pubDate", x.opts.Now().UTC().Format(time.RFC1123Z))
	x.el("language", or(settings.Language, x.opts.Language))
	x.el("wp:wxr_version", "1.2")
	x.el("wp:base_site_url", x.base)
	x.el("wp:base_blog_url", x.base)
	x.raw("\n")

	authors, err := x.s.Authors(ctx)
	if err != nil {
		return err
	}
	for _, au := range authors {
		x.raw("\t<wp:author>")
		x.el("wp:author_id", strconv.FormatInt(au.ID, 10))
		x.cdata("wp:author_login", au.Slug)
		x.cdata("wp:author_email", "") // Dateline's bylines have no email
		x.cdata("wp:author_display_name", au.Name)
		x.raw("</wp:author>\n")
	}
	x.sum.Authors = len(authors)

	sections, err := x.s.Sections(ctx)
	if err != nil {
		return err
	}
	var termID int64
	for _, sec := range sections {
		x.raw("\t<wp:category>")
		x.el("wp:term_id", strconv.FormatInt(sec.ID, 10))
		x.cdata("wp:category_nicename", sec.Slug)
		x.cdata("wp:category_parent", "")
		x.cdata("wp:cat_name", sec.Name)
		x.cdata("wp:category_description", sec.Description)
		x.raw("</wp:category>\n")
		termID = max(termID, sec.ID)
	}
	x.sum.Sections = len(sections)
	// Term IDs are one series in WordPress: tags come after sections.
	for _, t := range x.ix.tags {
		termID++
		x.raw("\t<wp:tag>")
		x.el("wp:term_id", strconv.FormatInt(termID, 10))
		x.cdata("wp:tag_slug", t.Slug)
		x.cdata("wp:tag_name", t.Name)
		x.raw("</wp:tag>\n")
	}
	x.sum.Tags = len(x.ix.tags)
	x.raw("\t<generator>Dateline</generator>\n")

	if err := x.attachments(ctx); err != nil {
		return err
	}
	done := 0
	err = x.s.EachArticle(ctx, store.ArticleQuery{}, func(a *article.Article) error {
		if err := x.item(ctx, a); err != nil {
			return err
		}
		done++
		if x.opts.Progress != nil {
			x.opts.Progress(done, max(done, x.ix.total))
		}
		return x.err
	})
	if err != nil {
		return err
	}
	x.raw("</channel>\n</rss>\n")
	if x.err != nil {
		return x.err
	}
	return x.out.Flush()
}

// attachments writes the library's ready images, a page at a time.
func (x *wxr) attachments(ctx context.Context) error {
	x.images = map[int64]bool{}
	for offset := 0; ; offset += pageSize {
		items, err := x.s.MediaItems(ctx, store.MediaQuery{State: media.Ready, Limit: pageSize, Offset: offset})
		if err != nil {
			return err
		}
		for _, it := range items {
			x.attachment(it)
		}
		if len(items) < pageSize {
			return x.err
		}
	}
}

func (x *wxr) attachment(it *media.Item) {
	src := mediaURL(x.base, it)
	if src == "" || x.images[it.ID] {
		return
	}
	x.images[it.ID] = true
	x.sum.Media++
	name := strings.TrimSuffix(it.Filename, path.Ext(it.Filename))
	x.raw("\n\t<item>")
	x.el("title", or(name, "image-"+strconv.FormatInt(it.ID, 10)))
	x.el("link", src)
	x.el("pubDate", it.CreatedAt.UTC().Format(time.RFC1123Z))
	x.raw(`<guid isPermaLink="false">`)
	x.text(src)
	x.raw("</guid>")
	x.el("description", "")
	x.cdata("content:encoded", credit(it))
	x.cdata("excerpt:encoded", it.Caption)
	x.el("wp:post_id", strconv.FormatInt(x.ix.mediaBase+it.ID, 10))
	x.cdata("wp:post_date", x.local(it.CreatedAt))
	x.cdata("wp:post_date_gmt", gmt(it.CreatedAt))
	x.cdata("wp:comment_status", "closed")
	x.cdata("wp:ping_status", "closed")
	x.cdata("wp:post_name", article.Slugify(name))
	x.cdata("wp:status", "inherit")
	x.el("wp:post_parent", "0")
	x.el("wp:menu_order", "0")
	x.cdata("wp:post_type", "attachment")
	x.cdata("wp:post_password", "")
	x.el("wp:is_sticky", "0")
	x.cdata("wp:attachment_url", src)
	if it.Alt != "" {
		x.meta("_wp_attachment_image_alt", it.Alt)
	}
	x.raw("</item>\n")
}

// credit is the attachment's description: WordPress has no field for the
// photographer.
func credit(it *media.Item) string {
	if it.Credit == "" {
		return ""
	}
	return "Photo: " + html.EscapeString(it.Credit)
}

// item writes an article or page with its comments.
func (x *wxr) item(ctx context.Context, a *article.Article) error {
	now := x.opts.Now()
	body, err := x.body(ctx, a)
	if err != nil {
		return fmt.Errorf("article %q: %w", a.Slug, err)
	}
	comments, err := x.s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	if err != nil {
		return fmt.Errorf("comments of %q: %w", a.Slug, err)
	}
	postID := x.ix.postID(a)
	postType, plain := "post", "/?p="
	if a.Kind.IsPage() {
		postType, plain = "page", "/?page_id="
		x.sum.Pages++
	} else {
		x.sum.Articles++
	}
	plain += strconv.FormatInt(postID, 10)
	own := urls.Article(a.Slug)
	guid, oldSlugs := x.guid(own, plain, a.Slug)

	status := "draft"
	switch {
	case a.Status == article.Draft:
	case a.IsPublic(now):
		status = "publish"
	default:
		status = "future"
	}
	x.raw("\n\t<item>")
	x.el("title", a.Title)
	x.el("link", x.base+own)
	if !a.PublishedAt.IsZero() {
		x.el("pubDate", a.PublishedAt.UTC().Format(time.RFC1123Z))
	}
	if a.Author != nil {
		x.cdata("dc:creator", a.Author.Slug)
	}
	x.raw(`<guid isPermaLink="false">`)
	x.text(guid)
	x.raw("</guid>")
	x.el("description", a.Description)
	x.cdata("content:encoded", body)
	x.cdata("excerpt:encoded", a.Description)
	x.el("wp:post_id", strconv.FormatInt(postID, 10))
	date := a.PublishedAt
	if date.IsZero() {
		date = a.CreatedAt
	}
	x.cdata("wp:post_date", x.local(date))
	if a.PublishedAt.IsZero() {
		// A draft never given a date has none, as in WordPress.
		x.cdata("wp:post_date_gmt", wpNoDate)
	} else {
		x.cdata("wp:post_date_gmt", gmt(a.PublishedAt))
	}
	x.cdata("wp:post_modified", x.local(a.UpdatedAt))
	x.cdata("wp:post_modified_gmt", gmt(a.UpdatedAt))
	x.cdata("wp:comment_status", map[bool]string{false: "open", true: "closed"}[a.CommentsClosed])
	x.cdata("wp:ping_status", "closed") // Dateline takes no pingbacks
	x.cdata("wp:post_name", a.Slug)
	x.cdata("wp:status", status)
	x.el("wp:post_parent", "0")
	x.el("wp:menu_order", "0")
	x.cdata("wp:post_type", postType)
	x.cdata("wp:post_password", "")
	sticky := "0"
	if x.ix.pinned[a.ID] && !a.Kind.IsPage() {
		sticky = "1"
	}
	x.el("wp:is_sticky", sticky)
	if a.Section != nil && !a.Kind.IsPage() {
		x.category("category", a.Section.Slug, a.Section.Name)
	}
	for _, t := range a.Tags {
		x.category("post_tag", t.Slug, t.Name)
	}
	if x.images[a.FeaturedMediaID] {
		x.meta("_thumbnail_id", strconv.FormatInt(x.ix.mediaBase+a.FeaturedMediaID, 10))
	}
	if a.Description != "" {
		x.meta("_yoast_wpseo_metadesc", a.Description)
	}
	if a.SEOTitle != "" {
		x.meta("_yoast_wpseo_title", a.SEOTitle)
	}
	if a.FocusKeyphrase != "" {
		x.meta("_yoast_wpseo_focuskw", a.FocusKeyphrase)
	}
	for _, slug := range oldSlugs {
		// WordPress sends an old slug to the post's address itself.
		x.meta("_wp_old_slug", slug)
	}
	x.comments(comments)
	x.raw("\n\t</item>\n")
	return x.err
}

// guid is what an article's guid says: its first old address on this
// site (a permalink it had before, on WordPress or here), since importers
// take the guid as an old address to redirect; else WordPress's own
// /?p=ID. oldSlugs are the last segments of the old addresses, for
// WordPress's redirects of old slugs.
func (x *wxr) guid(own, plain, slug string) (guid string, oldSlugs []string) {
	var query string
	for _, from := range x.old[own] {
		if from == plain || from == own {
			continue
		}
		if store.WordPressQueryAddress.MatchString(from) {
			query = cmp.Or(query, from)
			continue
		}
		if guid == "" {
			guid = x.base + from
		}
		last := path.Base(strings.TrimSuffix(from, "/"))
		if last != slug && !x.ix.slugs[last] && article.ValidateSlug(last) == nil {
			oldSlugs = append(oldSlugs, last)
		}
	}
	switch {
	case guid != "":
	case query != "":
		guid = x.base + query
	default:
		guid = x.base + plain
	}
	return guid, oldSlugs
}

// body renders an article's Markdown as the site shows it, with its
// library images at absolute addresses.
func (x *wxr) body(ctx context.Context, a *article.Article) (string, error) {
	images, err := newsroom.Images(ctx, x.s, a)
	if err != nil {
		return "", err
	}
	doc := x.opts.Renderer.Parse([]byte(a.Body))
	out, err := x.opts.Renderer.HTMLWith(doc, images.Of(a), false)
	if err != nil {
		return "", err
	}
	return seo.AbsoluteURLs(string(out), x.base), nil
}

// approved is WordPress's comment_approved for each of Dateline's states.
var approved = map[comment.State]string{
	comment.Approved: "1",
	comment.Pending:  "0",
	comment.Spam:     "spam",
	comment.Trash:    "trash",
}

func (x *wxr) comments(cs []*comment.Comment) {
	ids := make(map[int64]bool, len(cs))
	for _, c := range cs {
		ids[c.ID] = true
	}
	for _, c := range cs {
		x.sum.Comments++
		parent := c.ParentID
		if !ids[parent] {
			parent = 0
		}
		x.raw("\n\t\t<wp:comment>")
		x.el("wp:comment_id", strconv.FormatInt(c.ID, 10))
		x.cdata("wp:comment_author", c.Author)
		x.cdata("wp:comment_author_email", c.Email)
		x.el("wp:comment_author_url", c.URL)
		x.el("wp:comment_author_IP", "")
		x.cdata("wp:comment_date", x.local(c.CreatedAt))
		x.cdata("wp:comment_date_gmt", gmt(c.CreatedAt))
		// Dateline keeps comments as plain text; WordPress as HTML.
		x.cdata("wp:comment_content", html.EscapeString(c.Body))
		x.cdata("wp:comment_approved", approved[c.State])
		x.cdata("wp:comment_type", "")
		x.el("wp:comment_parent", strconv.FormatInt(parent, 10))
		x.el("wp:comment_user_id", "0")
		x.raw("</wp:comment>")
	}
}

func (x *wxr) category(domain, slug, name string) {
	x.raw(`<category domain="` + domain + `" nicename="`)
	x.text(slug)
	x.raw(`">`)
	x.raw(cdata(name))
	x.raw("</category>")
}

func (x *wxr) meta(key, value string) {
	x.raw("<wp:postmeta>")
	x.cdata("wp:meta_key", key)
	x.cdata("wp:meta_value", value)
	x.raw("</wp:postmeta>")
}

// local is a time as WordPress's local dates give it: in the site's zone.
func (x *wxr) local(t time.Time) string {
	if t.IsZero() {
		return wpNoDate
	}
	return t.In(x.loc).Format(time.DateTime)
}

func gmt(t time.Time) string {
	if t.IsZero() {
		return wpNoDate
	}
	return t.UTC().Format(time.DateTime)
}

func (x *wxr) raw(s string) {
	if x.err == nil {
		_, x.err = x.out.WriteString(s)
	}
}

// text writes s escaped as XML character data.
func (x *wxr) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.out, []byte(xmlText(s)))
	}
}

// el writes an element holding text.
func (x *wxr) el(name, s string) {
	x.raw("<" + name + ">")
	x.text(s)
	x.raw("</" + name + ">")
}

// cdata writes an element holding s in a CDATA section, as WordPress
// writes its fields.
func (x *wxr) cdata(name, s string) {
	x.raw("<" + name + ">" + cdata(s) + "</" + name + ">")
}

// cdata is s as CDATA sections: a "]]>" in s would end one, so it is cut
// between two.
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(xmlText(s), "]]>", "]]]]><![CDATA[>") + "]]>"
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
