// Package wordpress reads WordPress exports (WordPress eXtended RSS, WXR
// 1.0 to 1.2, plain or gzipped) into the parts of package site. It
// streams: the export is read element by element and one item at a time
// is held in memory, so an export of gigabytes costs what its largest
// post costs.
//
// What the export says wrong is reported as a site.Problem and reading
// goes on: an author items name but the export does not declare, a reply
// to a comment that is not there, pingbacks, menus and other entries that
// are not posts. What stops the reading is an export that cannot be read
// on: XML cut short (the items before the cut have been visited), or a
// document type that declares entities (an "XML bomb" would expand them;
// WordPress never writes one).
package wordpress

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/importer/site"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// Namespaces of the export's elements. WordPress has written the wp
// namespace as http and https, with versions 1.0, 1.1 and 1.2.
const (
	contentNS = "http://purl.org/rss/1.0/modules/content/"
	dcNS      = "http://purl.org/dc/elements/1.1/"
)

func isWP(ns string) bool { return strings.Contains(ns, "wordpress.org/export/") && !isExcerpt(ns) }
func isExcerpt(ns string) bool {
	return strings.Contains(ns, "wordpress.org/export/") && strings.Contains(ns, "/excerpt/")
}

var gzipMagic = []byte{0x1f, 0x8b}

// Detect reports whether head, the start of a file (plain or gzipped), is
// a WordPress export; if not, looksLike says what it looks like instead,
// for a message such as "XML but not a WordPress export (an RSS feed?)".
func Detect(head []byte) (ok bool, looksLike string) {
	if bytes.HasPrefix(head, gzipMagic) {
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return false, "a gzip archive"
		}
		plain, _ := io.ReadAll(io.LimitReader(zr, 64<<10))
		head = plain
	}
	c := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	root := rootElement(c)
	switch {
	case root == "" && bytes.HasPrefix(c, []byte("<")):
		return false, "XML but not a WordPress export"
	case root == "":
		return false, "not XML"
	case root == "rss" && wpNamespace.Match(c):
		return true, "a WordPress export"
	case root == "rss":
		return false, "XML but not a WordPress export (an RSS feed?)"
	case root == "feed":
		return false, "XML but not a WordPress export (an Atom feed?)"
	}
	return false, fmt.Sprintf("XML but not a WordPress export (its root element is <%s>)", root)
}

var (
	// prolog matches what may come before the root element.
	prolog      = regexp.MustCompile(`^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!(?i:doctype)[^>]*>)*`)
	rootName    = regexp.MustCompile(`^<([A-Za-z][\w.:-]*)`)
	wpNamespace = regexp.MustCompile(`xmlns:wp="https?://wordpress\.org/export/1\.[0-9]/"`)
)

func rootElement(c []byte) string {
	m := rootName.FindSubmatch(c[len(prolog.Find(c)):])
	if m == nil {
		return ""
	}
	return strings.ToLower(string(m[1]))
}

// Read streams the WordPress export r to v: the site first, then its
// authors, categories and tags, then its posts, pages and attachments in
// the export's order, and last the problems that concern the whole export
// (counts of what was skipped). The error is for an export that could not
// be read on, or one v returned; it names where the reading stopped.
func Read(ctx context.Context, r io.Reader, v site.Visitor) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var src io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("a gzip archive that cannot be opened: %w", err)
		}
		defer zr.Close()
		src = zr
	}
	rd := &reader{v: v, declared: map[string]bool{}, undeclared: map[string]bool{}, skippedTypes: map[string]int{}}
	src, err := rd.encodingGuard(src)
	if err != nil {
		return err
	}
	dec := xml.NewDecoder(src)
	dec.CharsetReader = charset.NewReaderLabel
	rd.dec = dec
	return rd.read(ctx)
}

// reader is one Read.
type reader struct {
	dec *xml.Decoder
	v   site.Visitor

	site     site.Site
	siteSent bool
	// declared are the authors' logins the export declares, undeclared
	// those items name that it does not (each reported once).
	declared, undeclared map[string]bool
	items                int
	lastItem             string
	inItem               bool // the reading stopped inside an item
	skippedTypes         map[string]int
	pings                int
	otherTerms           int
	// latin1 counts the bytes that were not UTF-8 in an export that
	// says it is, read as Windows-1252.
	latin1 *int
	// controls counts the control characters XML forbids, read as
	// spaces.
	controls *int
}

func (rd *reader) read(ctx context.Context) error {
	inChannel, sawRSS := false, false
	for {
		tok, err := rd.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rd.cut(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if d := strings.ToUpper(string(t)); strings.Contains(d, "<!ENTITY") || strings.Contains(d, "SYSTEM") {
				return errors.New("the export's document type declares entities, as an XML bomb or an external-entity attack does; WordPress never writes one, so it is refused")
			}
		case xml.StartElement:
			switch {
			case !sawRSS:
				if t.Name.Local != "rss" {
					return fmt.Errorf("XML but not a WordPress export (its root element is <%s>)", t.Name.Local)
				}
				sawRSS = true
			case t.Name.Local == "channel" && !inChannel:
				inChannel = true
			case inChannel:
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := rd.element(t); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if t.Name.Local == "channel" {
				inChannel = false
			}
		}
	}
	if !sawRSS {
		return errors.New("the file holds no XML element: not a WordPress export")
	}
	if err := rd.sendSite(); err != nil {
		return err
	}
	return rd.finish()
}

// cut explains an error of the XML decoder: most often an export cut
// short, by a download or a copy that stopped.
func (rd *reader) cut(err error) error {
	line, _ := rd.dec.InputPos()
	where := "before the first item"
	if rd.inItem {
		where = fmt.Sprintf("inside item %d", rd.items+1)
		if rd.items > 0 {
			where += ","
		}
	}
	if rd.items > 0 {
		where = strings.TrimPrefix(where+" ", "before the first item ") + fmt.Sprintf("after item %d (%s)", rd.items, rd.lastItem)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("the export is cut short at line %d, %s: the items before were read; export the site again", line, where)
	}
	return fmt.Errorf("the export is not well-formed XML at line %d, %s: %w", line, where, err)
}

// node is an element of the export with its text and children, for
// decoding one author, term or item at a time.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Kids    []node     `xml:",any"`
}

// child returns the text of the first child named local in a namespace
// that match says is right.
func (n *node) child(match func(ns string) bool, local string) string {
	for i := range n.Kids {
		if k := &n.Kids[i]; k.XMLName.Local == local && match(k.XMLName.Space) {
			return strings.TrimSpace(k.Text)
		}
	}
	return ""
}

func (n *node) wp(local string) string { return n.child(isWP, local) }

// raw is like child, without trimming: a post's content keeps its
// spacing.
func (n *node) raw(match func(ns string) bool, local string) string {
	for i := range n.Kids {
		if k := &n.Kids[i]; k.XMLName.Local == local && match(k.XMLName.Space) {
			return k.Text
		}
	}
	return ""
}

func (n *node) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func noNS(ns string) bool  { return ns == "" }
func isDC(ns string) bool  { return ns == dcNS }
func isCtt(ns string) bool { return ns == contentNS }

// element handles one child of the channel.
func (rd *reader) element(start xml.StartElement) error {
	name := start.Name
	if !isWP(name.Space) && name.Local != "item" {
		// The channel's own fields: <title>, <link>, <generator>...
		var n node
		if err := rd.dec.DecodeElement(&n, &start); err != nil {
			return rd.cut(err)
		}
		text := strings.TrimSpace(n.Text)
		switch name.Local {
		case "title":
			rd.site.Title = text
		case "link":
			if rd.site.URL == "" {
				rd.site.URL = text
			}
		case "description":
			rd.site.Description = text
		case "language":
			rd.site.Language = text
		case "generator":
			rd.site.Generator = generatorName(text)
		}
		return nil
	}
	var n node
	if err := rd.dec.DecodeElement(&n, &start); err != nil {
		rd.inItem = name.Local == "item"
		return rd.cut(err)
	}
	switch name.Local {
	case "base_blog_url":
		if u := strings.TrimSpace(n.Text); u != "" {
			rd.site.URL = strings.TrimSuffix(u, "/")
		}
		return nil
	case "wxr_version", "base_site_url":
		return nil
	}
	if err := rd.sendSite(); err != nil {
		return err
	}
	switch name.Local {
	case "author":
		return rd.author(&n)
	case "category":
		return send(rd.v.Term, site.Term{Kind: site.Category, Key: n.wp("category_nicename"), Name: n.wp("cat_name"),
			Slug: n.wp("category_nicename"), Parent: n.wp("category_parent"), Description: n.wp("category_description")})
	case "tag":
		return send(rd.v.Term, site.Term{Kind: site.Tag, Key: n.wp("tag_slug"), Name: n.wp("tag_name"),
			Slug: n.wp("tag_slug"), Description: n.wp("tag_description")})
	case "term":
		rd.otherTerms++
		return nil
	case "item":
		return rd.item(&n)
	}
	return nil
}

// generatorName turns WordPress's generator URL,
// "https://wordpress.org/?v=6.4.2", into "WordPress 6.4.2".
func generatorName(g string) string {
	if _, v, ok := strings.Cut(g, "wordpress.org/?v="); ok {
		return "WordPress " + v
	}
	return g
}

func (rd *reader) sendSite() error {
	if rd.siteSent {
		return nil
	}
	rd.siteSent = true
	return send(rd.v.Site, rd.site)
}

// send calls fn with x when the visitor set it.
func send[T any](fn func(T) error, x T) error {
	if fn == nil {
		return nil
	}
	return fn(x)
}

func (rd *reader) problem(where, format string, args ...any) error {
	return send(rd.v.Problem, site.Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

func (rd *reader) author(n *node) error {
	a := site.Author{Key: n.wp("author_login"), Email: n.wp("author_email"), Name: n.wp("author_display_name"), Slug: n.wp("author_login")}
	if a.Name == "" {
		a.Name = strings.TrimSpace(n.wp("author_first_name") + " " + n.wp("author_last_name"))
	}
	if a.Name == "" {
		a.Name = a.Key
	}
	rd.declared[a.Key] = true
	return send(rd.v.Author, a)
}

// wpTime parses one of WordPress's dates, "2026-03-02 08:30:00"; its
// zero date, "0000-00-00 00:00:00", is no date.
func wpTime(s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, strings.TrimSpace(s), time.UTC)
	if err != nil || t.Year() < 1 {
		return time.Time{}
	}
	return t
}

// item handles an <item>: a post, a page, an attachment, or an entry of
// another type (counted and reported at the end).
func (rd *reader) item(n *node) error {
	rd.items++
	typ := n.wp("post_type")
	id := n.wp("post_id")
	title := n.child(noNS, "title")
	rd.lastItem = fmt.Sprintf("%s %s %q", typ, id, title)
	switch typ {
	case "post", "page":
	case "attachment":
		return send(rd.v.Attachment, site.Attachment{
			SourceID: id, URL: n.wp("attachment_url"), Title: title,
			Caption: n.child(isExcerpt, "encoded"), Alt: meta(n, "_wp_attachment_image_alt"), Parent: zeroless(n.wp("post_parent")),
		})
	default:
		if typ == "" {
			typ = "untyped"
		}
		rd.skippedTypes[typ]++
		return nil
	}
	it := site.Item{
		Kind:            site.Post,
		SourceID:        id,
		Title:           title,
		Slug:            n.wp("post_name"),
		Status:          site.Status(n.wp("status")),
		Excerpt:         n.raw(isExcerpt, "encoded"),
		Content:         n.raw(isCtt, "encoded"),
		Format:          site.HTML,
		Sticky:          n.wp("is_sticky") == "1",
		CommentsClosed:  n.wp("comment_status") == "closed",
		Restricted:      restricted(n.wp("post_password")),
		FeaturedImage:   meta(n, "_thumbnail_id"),
		MetaTitle:       firstOf(meta(n, "_yoast_wpseo_title"), meta(n, "rank_math_title")),
		MetaDescription: firstOf(meta(n, "_yoast_wpseo_metadesc"), meta(n, "rank_math_description")),
		FocusKeyphrase:  firstOf(meta(n, "_yoast_wpseo_focuskw"), firstKeyword(meta(n, "rank_math_focus_keyword"))),
		Modified:        wpTime(n.wp("post_modified_gmt")),
	}
	if typ == "page" {
		it.Kind = site.Page
	}
	switch it.Status {
	case site.Publish, site.Future, site.Draft, site.Pending, site.Private, site.Trash:
	case "auto-draft":
		rd.skippedTypes["auto-draft"]++
		return nil
	default:
		if err := rd.problem(rd.lastItem, "unknown status %q: imported as a draft", it.Status); err != nil {
			return err
		}
		it.Status = site.Draft
	}
	it.Date = itemDate(n, it.Status)
	if creator := n.child(isDC, "creator"); creator != "" {
		it.Authors = []string{creator}
		if !rd.declared[creator] && !rd.undeclared[creator] {
			rd.undeclared[creator] = true
			if err := rd.problem(rd.lastItem, "author %q is named by items but not declared in the export: credited by that name", creator); err != nil {
				return err
			}
		}
	}
	// WordPress answers /?p=ID (/?page_id=ID for a page) for every item,
	// whatever its permalinks; guids often keep an older domain.
	plain := "/?p=" + id
	if typ == "page" {
		plain = "/?page_id=" + id
	}
	seenURL := map[string]bool{}
	for _, u := range []string{n.child(noNS, "link"), n.child(noNS, "guid"), plain} {
		if u != "" && !seenURL[u] {
			seenURL[u] = true
			it.OldURLs = append(it.OldURLs, u)
		}
	}
	for i := range n.Kids {
		k := &n.Kids[i]
		if k.XMLName.Local != "category" || k.XMLName.Space != "" {
			continue
		}
		key := k.attr("nicename")
		if key == "" {
			key = strings.TrimSpace(k.Text)
		}
		switch k.attr("domain") {
		case "category":
			it.Categories = append(it.Categories, key)
		case "post_tag":
			it.Tags = append(it.Tags, key)
		}
	}
	comments, err := rd.comments(n)
	if err != nil {
		return err
	}
	it.Comments = comments
	return send(rd.v.Item, it)
}

// itemDate is when an item was or will be published: WordPress's GMT
// date, else its local date (the export does not say the zone) or the
// RSS pubDate; a draft that was never given a date has none.
func itemDate(n *node, status site.Status) time.Time {
	if t := wpTime(n.wp("post_date_gmt")); !t.IsZero() {
		return t
	}
	if status == site.Draft || status == site.Pending {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC1123Z, n.child(noNS, "pubDate")); err == nil {
		return t.UTC()
	}
	return wpTime(n.wp("post_date"))
}

// comments reads an item's comments; pingbacks and trackbacks are other
// sites' notices, not readers' comments, and are counted instead.
func (rd *reader) comments(n *node) ([]site.Comment, error) {
	var out []site.Comment
	for i := range n.Kids {
		k := &n.Kids[i]
		if k.XMLName.Local != "comment" || !isWP(k.XMLName.Space) {
			continue
		}
		switch k.wp("comment_type") {
		case "pingback", "trackback":
			rd.pings++
			continue
		}
		c := site.Comment{
			SourceID: k.wp("comment_id"),
			ParentID: zeroless(k.wp("comment_parent")),
			Author:   k.wp("comment_author"),
			Email:    k.wp("comment_author_email"),
			URL:      k.wp("comment_author_url"),
			Body:     k.raw(isWP, "comment_content"),
			Date:     wpTime(k.wp("comment_date_gmt")),
		}
		if c.Date.IsZero() {
			c.Date = wpTime(k.wp("comment_date"))
		}
		switch a := k.wp("comment_approved"); a {
		case "1", "approve":
			c.State = site.Approved
		case "0", "hold":
			c.State = site.Held
		case "spam":
			c.State = site.Spam
		case "trash", "post-trashed":
			c.State = site.Trashed
		default:
			c.State = site.Held
			if err := rd.problem(rd.lastItem, "comment %s has the unknown state %q: imported as awaiting moderation", c.SourceID, a); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	ids := map[string]bool{}
	for _, c := range out {
		ids[c.SourceID] = true
	}
	for i := range out {
		if p := out[i].ParentID; p != "" && !ids[p] {
			if err := rd.problem(rd.lastItem, "comment %s replies to comment %s, which is not in the export: kept as a comment on the post", out[i].SourceID, p); err != nil {
				return nil, err
			}
			out[i].ParentID = ""
		}
	}
	return out, nil
}

// finish reports what the export holds that is not imported.
func (rd *reader) finish() error {
	types := make([]string, 0, len(rd.skippedTypes))
	for t := range rd.skippedTypes {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		why := "not a post, page or image"
		switch t {
		case "nav_menu_item":
			why = "menus are not imported; make them again under Menus"
		case "revision":
			why = "old versions of posts are not imported"
		case "auto-draft":
			why = "WordPress's empty drafts"
		}
		if err := rd.problem("the export", "%d %s entries skipped: %s", rd.skippedTypes[t], t, why); err != nil {
			return err
		}
	}
	if rd.pings > 0 {
		if err := rd.problem("the export", "%d pingbacks and trackbacks skipped: they are other sites' notices, not readers' comments", rd.pings); err != nil {
			return err
		}
	}
	if rd.otherTerms > 0 {
		if err := rd.problem("the export", "%d terms of other taxonomies (such as menus) skipped", rd.otherTerms); err != nil {
			return err
		}
	}
	if rd.controls != nil && *rd.controls > 0 {
		if err := rd.problem("the export", "%d control characters that XML does not allow were read as spaces", *rd.controls); err != nil {
			return err
		}
	}
	if rd.latin1 != nil && *rd.latin1 > 0 {
		if err := rd.problem("the export", "%d bytes were not UTF-8 although the export says it is: they were read as Windows-1252 (Latin-1); check accented letters", *rd.latin1); err != nil {
			return err
		}
	}
	return nil
}

// meta returns the value of an item's postmeta key.
func meta(n *node, key string) string {
	for i := range n.Kids {
		k := &n.Kids[i]
		if k.XMLName.Local == "postmeta" && k.wp("meta_key") == key {
			return k.wp("meta_value")
		}
	}
	return ""
}

func zeroless(id string) string {
	if id == "0" {
		return ""
	}
	return id
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// firstKeyword is the first of Rank Math's comma-separated keywords.
func firstKeyword(s string) string {
	first, _, _ := strings.Cut(s, ",")
	return strings.TrimSpace(first)
}

// encodingGuard looks at the export's XML declaration. An export that
// names an encoding other than UTF-8 is decoded by the XML decoder's
// CharsetReader. One that says UTF-8 (or nothing) but holds bytes that are
// not, as exports of old Latin-1 databases do, has each such byte read as
// Windows-1252, counted and reported, rather than failing half-way.
func (rd *reader) encodingGuard(src io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(src, 64<<10)
	head, _ := br.Peek(1024)
	if m := declaredEncoding.FindSubmatch(head); m != nil {
		if enc := strings.ToLower(string(m[1])); enc != "utf-8" && enc != "utf8" {
			return br, nil
		}
	}
	rd.latin1, rd.controls = new(int), new(int)
	return &latin1Fixer{r: br, fixed: rd.latin1, controls: rd.controls}, nil
}

var declaredEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']`)

// latin1Fixer passes valid UTF-8 through and turns each byte that is not
// into the Windows-1252 character it stands for.
type latin1Fixer struct {
	r        io.Reader
	fixed    *int
	controls *int
	carry    []byte // the start of a character cut at the end of a read
	out      []byte
	err      error
}

func (f *latin1Fixer) Read(p []byte) (int, error) {
	for len(f.out) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		buf := make([]byte, len(f.carry)+32<<10)
		copy(buf, f.carry)
		n, err := f.r.Read(buf[len(f.carry):])
		buf, f.err, f.carry = buf[:len(f.carry)+n], err, nil
		if err == nil {
			if cut := incompleteTail(buf); cut > 0 {
				f.carry = append([]byte(nil), buf[len(buf)-cut:]...)
				buf = buf[:len(buf)-cut]
			}
		}
		f.out = f.fix(buf)
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	return n, nil
}

// hasForbiddenControl reports whether b holds a control character that
// XML 1.0 does not allow.
func hasForbiddenControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// incompleteTail is how many bytes at the end of b start a UTF-8
// character that the next read may complete.
func incompleteTail(b []byte) int {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 {
			if !utf8.FullRune(b[len(b)-i:]) {
				return i
			}
			return 0
		}
	}
	return 0
}

func (f *latin1Fixer) fix(b []byte) []byte {
	if utf8.Valid(b) && !hasForbiddenControl(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			// XML forbids these; WordPress stores what was pasted.
			*f.controls++
			out = append(out, ' ')
			b = b[1:]
			continue
		}
		if r == utf8.RuneError && size <= 1 {
			*f.fixed++
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(b[0]))
			b = b[1:]
			continue
		}
		out = append(out, b[:size]...)
		b = b[size:]
	}
	return out
}

// restricted says why an item with this password was kept from readers.
func restricted(password string) string {
	if password == "" {
		return ""
	}
	return "password-protected"
}
