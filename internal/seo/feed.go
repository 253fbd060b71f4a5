package seo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/urls"
)

// MIME types of the three feed formats, as the feeds are served.
const (
	RSSType  = "application/rss+xml; charset=utf-8"
	AtomType = "application/atom+xml; charset=utf-8"
	JSONType = "application/feed+json; charset=utf-8"
)

// The kinds of feed a site has: the whole site's, a tag's and an
// author's, one for each kind of listing.
const (
	SiteFeed    = urls.HomeListing
	SectionFeed = urls.SectionListing
	TagFeed     = urls.TagListing
	AuthorFeed  = urls.AuthorListing
)

// FeedLink is a feed as a page's head announces it, in a
// <link rel="alternate" type="{{.Type}}" title="{{.Title}}" href="{{.Href}}">.
type FeedLink struct {
	Title string
	Type  string // the MIME type, without parameters
	Href  string // the feed's path on the site, starting with "/"
}

// FeedLinks lists the three feeds of a kind (SiteFeed, TagFeed or
// AuthorFeed) for autodiscovery; slug names the tag or author and name is
// what the feeds follow (the site's title, the tag's or the author's name),
// used in their titles.
func FeedLinks(kind, slug, name string) []FeedLink {
	listing := urls.Listing(kind, slug)
	return []FeedLink{
		{Title: name + " (RSS)", Type: "application/rss+xml", Href: urls.Feed(listing, urls.RSS)},
		{Title: name + " (Atom)", Type: "application/atom+xml", Href: urls.Feed(listing, urls.Atom)},
		{Title: name + " (JSON Feed)", Type: "application/feed+json", Href: urls.Feed(listing, urls.JSONFeed)},
	}
}

// Feed is a list of articles to write as RSS 2.0, Atom 1.0 or JSON Feed
// 1.1. Addresses are absolute.
type Feed struct {
	Title       string
	Description string
	Language    string // BCP 47, such as "en"; optional
	Link        string // the page the feed follows: the home, tag or author page
	Updated     time.Time
	Author      string // credited for items without an author of their own
	Items       []FeedItem
}

// FeedItem is one article in a feed.
type FeedItem struct {
	Title      string
	Link       string // the article's address, also its stable id
	Published  time.Time
	Updated    time.Time
	Author     string // empty when the article is credited to nobody
	AuthorURL  string
	Categories []string
	Summary    string    // plain text
	Content    *ItemHTML // nil for a feed of summaries
	Image      *FeedImage
}

// ItemHTML is an item's content, cleaned for XML and escaped as XML text
// once however many feeds carry it: the newest story is in some thirty
// (the site's, its section's, its tags', its author's, its topics'), each
// in three formats, and escaping its HTML again for each was a third of
// writing them.
type ItemHTML struct {
	clean   string
	escape  sync.Once
	escaped string
}

// NewItemHTML makes the content of an item from its HTML.
func NewItemHTML(html string) *ItemHTML { return &ItemHTML{clean: CleanText(html)} }

// String is the HTML, cleaned; "" for no content.
func (h *ItemHTML) String() string {
	if h == nil {
		return ""
	}
	return h.clean
}

// xmlText is the HTML as XML character data, as encoding/xml would write
// the text of an element.
func (h *ItemHTML) xmlText() string {
	h.escape.Do(func() {
		var b strings.Builder
		b.Grow(len(h.clean) + len(h.clean)/8)
		// Writing to a strings.Builder does not fail.
		_ = xml.EscapeText(&b, []byte(h.clean))
		h.escaped = b.String()
	})
	return h.escaped
}

// escapedText is an element's text already escaped, which encoding/xml
// writes as it is.
type escapedText struct {
	Text string `xml:",innerxml"`
}

// escapedContent is the element of an item's content, or nil for none.
func escapedContent(h *ItemHTML) *escapedText {
	if h.String() == "" {
		return nil
	}
	return &escapedText{Text: h.xmlText()}
}

// FeedImage is an item's picture: its featured image.
type FeedImage struct {
	URL           string // absolute
	Type          string // its media type
	Size          int64  // in bytes
	Width, Height int
	Caption       string
}

// CleanText returns s without what XML 1.0 cannot carry: control
// characters other than tab, newline and carriage return, the surrogate
// range, U+FFFE and U+FFFF, and bytes that are not UTF-8. Every string
// the feeds and sitemaps write passes through it, so that they stay
// well-formed whatever an article holds.
func CleanText(s string) string {
	clean := true
	for _, r := range s {
		if !xmlChar(r) {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r != utf8.RuneError || size > 1) && xmlChar(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// xmlChar reports whether r is a Char of XML 1.0.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	case r < 0x10000:
		return false
	}
	return r <= utf8.MaxRune
}

// singleLine cleans s and folds its runs of white space, newlines included,
// into single spaces: a title or a name is one line in every reader.
func singleLine(s string) string {
	return strings.Join(strings.Fields(CleanText(s)), " ")
}

// AbsoluteURLs rewrites the site-relative addresses in the href and src
// attributes of rendered HTML (those starting with one "/") to absolute
// ones on base, since a feed reader shows the HTML away from the site.
func AbsoluteURLs(html, base string) string {
	base = strings.TrimSuffix(base, "/")
	for _, attr := range []string{` href="/`, ` src="/`} {
		var b strings.Builder
		rest := html
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			end := i + len(attr)
			b.WriteString(rest[:end-1])
			if !strings.HasPrefix(rest[end:], "/") {
				b.WriteString(base)
			}
			b.WriteByte('/')
			rest = rest[end:]
		}
		if b.Len() > 0 {
			b.WriteString(rest)
			html = b.String()
		}
	}
	return html
}

// Date layouts of the formats.
const (
	rssDate = time.RFC1123Z
	isoDate = time.RFC3339
)

func formatDate(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layout)
}

// The RSS 2.0 document, with the content, Dublin Core and Atom
// namespaces for what RSS has no element of its own for.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	Atom      string     `xml:"xmlns:atom,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	DC        string     `xml:"xmlns:dc,attr"`
	Media     string     `xml:"xmlns:media,attr,omitempty"` // when an item has an image
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string       `xml:"title"`
	Link        string       `xml:"link"`
	GUID        rssGUID      `xml:"guid"`
	PubDate     string       `xml:"pubDate,omitempty"`
	Updated     string       `xml:"atom:updated,omitempty"`
	Creator     string       `xml:"dc:creator,omitempty"`
	Categories  []string     `xml:"category"`
	Description string       `xml:"description"`
	Content     *escapedText `xml:"content:encoded,omitempty"`
	// An image as an enclosure (RSS's own) and as Media RSS content,
	// which feed readers show as the item's picture.
	Enclosure *rssEnclosure    `xml:"enclosure,omitempty"`
	Media     *rssMediaContent `xml:"media:content,omitempty"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type rssMediaContent struct {
	URL         string `xml:"url,attr"`
	Medium      string `xml:"medium,attr"`
	Type        string `xml:"type,attr"`
	Width       int    `xml:"width,attr,omitempty"`
	Height      int    `xml:"height,attr,omitempty"`
	Description string `xml:"media:description,omitempty"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// RSS writes the feed as RSS 2.0; self is the feed's own address.
func (f *Feed) RSS(self string) ([]byte, error) {
	doc := rssDoc{
		Version:   "2.0",
		Atom:      "http://www.w3.org/2005/Atom",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		DC:        "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title:         singleLine(f.Title),
			Link:          CleanText(f.Link),
			Description:   CleanText(f.Description),
			Language:      singleLine(f.Language),
			LastBuildDate: formatDate(f.Updated, rssDate),
			Generator:     "Dateline",
			Self:          atomLink{Href: CleanText(self), Rel: "self", Type: "application/rss+xml"},
		},
	}
	for _, it := range f.Items {
		link := CleanText(it.Link)
		var enclosure *rssEnclosure
		var mediaContent *rssMediaContent
		if img := it.Image; img != nil {
			doc.Media = "http://search.yahoo.com/mrss/"
			enclosure = &rssEnclosure{URL: CleanText(img.URL), Length: img.Size, Type: img.Type}
			mediaContent = &rssMediaContent{URL: CleanText(img.URL), Medium: "image", Type: img.Type,
				Width: img.Width, Height: img.Height, Description: singleLine(img.Caption)}
		}
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Enclosure:   enclosure,
			Media:       mediaContent,
			Title:       singleLine(it.Title),
			Link:        link,
			GUID:        rssGUID{IsPermaLink: true, Value: link},
			PubDate:     formatDate(it.Published, rssDate),
			Updated:     formatDate(it.Updated, isoDate),
			Creator:     singleLine(it.Author),
			Categories:  singleLines(it.Categories),
			Description: CleanText(it.Summary),
			Content:     escapedContent(it.Content),
		})
	}
	return marshalXML(doc, f.xmlSize())
}

// singleLines applies singleLine to each of ss, dropping those left empty.
func singleLines(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = singleLine(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// The Atom 1.0 document (RFC 4287).
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author,omitempty"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// atomContent is an entry's HTML content, its text escaped already.
type atomContent struct {
	Type string `xml:"type,attr"`
	escapedText
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomContent   `xml:"content,omitempty"`
}

// Atom writes the feed as Atom 1.0; self is the feed's own address.
func (f *Feed) Atom(self string) ([]byte, error) {
	doc := atomFeed{
		Lang:     singleLine(f.Language),
		ID:       CleanText(f.Link),
		Title:    singleLine(f.Title),
		Subtitle: singleLine(f.Description),
		Updated:  formatDate(f.Updated, isoDate),
		Links: []atomLink{
			{Href: CleanText(f.Link), Rel: "alternate", Type: "text/html"},
			{Href: CleanText(self), Rel: "self", Type: "application/atom+xml"},
		},
		Gen: "Dateline",
	}
	if doc.Updated == "" {
		doc.Updated = formatDate(time.Unix(0, 0), isoDate)
	}
	// Atom wants an author for every entry: the feed's stands in for
	// entries without one.
	if name := singleLine(f.Author); name != "" {
		doc.Author = &atomPerson{Name: name}
	}
	for _, it := range f.Items {
		link := CleanText(it.Link)
		e := atomEntry{
			ID:        link,
			Title:     atomText{Type: "text", Value: singleLine(it.Title)},
			Links:     []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}},
			Published: formatDate(it.Published, isoDate),
			Updated:   formatDate(it.Updated, isoDate),
		}
		if e.Updated == "" {
			e.Updated = e.Published
		}
		if img := it.Image; img != nil {
			e.Links = append(e.Links, atomLink{Href: CleanText(img.URL), Rel: "enclosure", Type: img.Type, Length: img.Size})
		}
		if name := singleLine(it.Author); name != "" {
			e.Author = &atomPerson{Name: name, URI: CleanText(it.AuthorURL)}
		}
		for _, c := range singleLines(it.Categories) {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		if s := CleanText(it.Summary); s != "" {
			e.Summary = &atomText{Type: "text", Value: s}
		}
		if c := escapedContent(it.Content); c != nil {
			e.Content = &atomContent{Type: "html", escapedText: *c}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc, f.xmlSize())
}

// The JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/).
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   *string      `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	Image         string       `json:"image,omitempty"`
}

// JSON writes the feed as JSON Feed 1.1; self is the feed's own address.
func (f *Feed) JSON(self string) ([]byte, error) {
	doc := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       singleLine(f.Title),
		HomePageURL: CleanText(f.Link),
		FeedURL:     CleanText(self),
		Description: singleLine(f.Description),
		Language:    singleLine(f.Language),
		Items:       []jsonItem{},
	}
	if name := singleLine(f.Author); name != "" {
		doc.Authors = []jsonAuthor{{Name: name}}
	}
	for _, it := range f.Items {
		link := CleanText(it.Link)
		item := jsonItem{
			ID:            link,
			URL:           link,
			Title:         singleLine(it.Title),
			ContentHTML:   it.Content.String(),
			Summary:       CleanText(it.Summary),
			DatePublished: formatDate(it.Published, isoDate),
			DateModified:  formatDate(it.Updated, isoDate),
			Tags:          singleLines(it.Categories),
		}
		if it.Image != nil {
			item.Image = CleanText(it.Image.URL)
		}
		if item.ContentHTML == "" {
			// An item must have content_html or content_text.
			text := item.Summary
			item.ContentText = &text
		}
		if name := singleLine(it.Author); name != "" {
			item.Authors = []jsonAuthor{{Name: name, URL: CleanText(it.AuthorURL)}}
		}
		doc.Items = append(doc.Items, item)
	}
	// Not indented: indenting scanned the whole document again, every
	// item's HTML included (two thirds of the time of writing a JSON Feed
	// of full content), for readers that parse it anyway.
	var buf bytes.Buffer
	// encoding/json escapes <, > and & in strings as six bytes: a quarter
	// more than the HTML covers most of it.
	buf.Grow(f.size(func(h *ItemHTML) int { return len(h.String()) * 5 / 4 }))
	if err := json.NewEncoder(&buf).Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xmlSize is about the length of the feed as RSS or Atom.
func (f *Feed) xmlSize() int {
	return f.size(func(h *ItemHTML) int { return len(h.xmlText()) })
}

// size is about the length of the feed, with content the length of an
// item's content as written: a buffer that size is the one the feed
// needs, where growing one from empty copied a feed of full content (300
// KB of twenty stories) over and over.
func (f *Feed) size(content func(*ItemHTML) int) int {
	n := 2048
	for _, it := range f.Items {
		n += 1024 + 2*len(it.Title) + len(it.Summary) + 64*len(it.Categories)
		if it.Content.String() != "" {
			n += content(it.Content)
		}
	}
	return n + n/32
}

// marshalXML writes v as an indented XML document with its declaration,
// into a buffer of size bytes to begin with.
func marshalXML(v any, size int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(size)
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
