package render

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// embedSources are the only places an <iframe> in an article may load
// from: video players that need no other script on the page.
var embedSources = regexp.MustCompile(`^https://(www\.youtube-nocookie\.com/embed/|www\.youtube\.com/embed/|player\.vimeo\.com/video/|www\.openstreetmap\.org/export/embed\.html)`)

// policy is what rendered article HTML may contain: what Markdown produces
// (headings with ids, tables, footnotes, task lists, images) and raw HTML
// that cannot run script: no <script>, no event handlers, no javascript:
// URLs, frames only from embedSources.
func policy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Links in articles are the newsroom's own; nofollow is for readers'
	// links, in comments.
	p.RequireNoFollowOnLinks(false)
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[A-Za-z0-9_:.-]+$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "section", "div")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(footnotes|footnote-ref|footnote-backref|task-list-item|language-[A-Za-z0-9_+-]+)$`)).OnElements("div", "a", "li", "code", "section")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(endnotes|noteref|backlink)$`)).OnElements("div", "a", "section")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.AllowAttrs("src").Matching(embedSources).OnElements("iframe")
	p.AllowAttrs("title", "width", "height", "allowfullscreen", "loading").OnElements("iframe")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	// Library images (HTMLWith): a <picture> of variants in a <figure>.
	p.AllowElements("picture", "figure", "figcaption")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^image/webp$`)).OnElements("source")
	p.AllowAttrs("srcset", "sizes").OnElements("source", "img")
	p.AllowAttrs("fetchpriority").Matching(regexp.MustCompile(`^high$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^async$`)).OnElements("img")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^photo$`)).OnElements("figure")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^credit$`)).OnElements("span")
	return p
}

// HTML renders a document to sanitised HTML.
func (r *Renderer) HTML(d *Document) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(d.Source) * 5 / 4)
	if err := r.md.Renderer().Render(&buf, d.Source, d.Root); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return buf.Bytes(), nil
	}
	// Cleaned into a buffer of about its length: SanitizeBytes grew its
	// own from empty, a third of what rendering a body allocated.
	var clean bytes.Buffer
	clean.Grow(buf.Len() + buf.Len()/8)
	if err := r.policy.SanitizeReaderToWriter(&buf, &clean); err != nil {
		return nil, fmt.Errorf("clean the rendered markdown: %w", err)
	}
	return clean.Bytes(), nil
}
