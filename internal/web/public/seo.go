package public

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// This file fills in what search engines and social sites read in a
// page's head: the canonical address, OpenGraph and Twitter tags, feed
// autodiscovery and JSON-LD.

// feedLinks are the feeds offered on a page: the site's (which Base
// already has), and those of the tag or author the page lists.
func (h *Handlers) feedLinks(r *http.Request, b *web.Base, kind, slug, name string) {
	for _, l := range seo.FeedLinks(kind, slug, h.site.Current().Title+": "+name) {
		b.Feeds = append(b.Feeds, web.FeedLink{Type: l.Type, Title: l.Title, Href: h.site.AbsURL(r, l.Href)})
	}
}

// logoURL is the publisher's logo for structured data.
func (h *Handlers) logoURL(r *http.Request) string {
	if h.site.Current().Logo != "" {
		return h.site.Current().Logo
	}
	u, _ := h.site.Assets.URL("logo.png")
	return h.site.AbsURL(r, u)
}

// shareImage is the picture for social cards of pages that have none.
func (h *Handlers) shareImage(r *http.Request) string {
	u, _ := h.site.Assets.URL("share.png")
	return h.site.AbsURL(r, u)
}

// absolute makes a link from an article body absolute.
func (h *Handlers) absolute(r *http.Request, link string) string {
	if strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://") {
		return link
	}
	if strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		return h.site.AbsURL(r, link)
	}
	return ""
}

// describeArticle fills in an article page's head. photo is the library
// image of its social cards and structured data, nil for none: then the
// body's first image, or the site's share card.
func (h *Handlers) describeArticle(r *http.Request, p *ArticlePage, body *renderedBody, photo *media.Item) {
	a := &p.Article
	if a.Description == "" && body.summary != "" {
		p.Description = body.summary
	}
	p.Canonical = h.site.AbsURL(r, urls.Article(a.Slug))
	image, imageAlt := h.absolute(r, body.image), body.imageAlt
	var imageMeta []web.MetaTag
	var images []string
	if photo != nil {
		image, imageAlt, imageMeta, images = h.photoMeta(r, photo)
	}
	if image == "" {
		image, imageAlt = h.shareImage(r), h.site.Current().Title
	}
	if images == nil {
		images = []string{image}
	}
	home := h.site.AbsURL(r, urls.Home)
	if a.Kind.IsPage() {
		h.describePage(r, p, image, imageAlt, imageMeta)
		return
	}
	var authorName, authorURL, section string
	var keywords []string
	if a.Author != nil {
		authorName, authorURL = a.Author.Name, h.site.AbsURL(r, urls.Author(a.Author.Slug))
	}
	for _, t := range a.Tags {
		keywords = append(keywords, t.Name)
	}
	switch {
	case a.Section != nil:
		section = a.Section.Name
	case len(a.Tags) > 0:
		section = a.Tags[0].Name
	}
	p.Meta = []web.MetaTag{
		{Property: "og:type", Content: "article"},
		{Property: "og:title", Content: a.SearchTitle()},
		{Property: "og:description", Content: p.Description},
		{Property: "og:url", Content: p.Canonical},
		{Property: "og:site_name", Content: h.site.Current().Title},
		{Property: "og:locale", Content: strings.ReplaceAll(h.site.Current().Language, "-", "_")},
		{Property: "og:image", Content: image},
		{Property: "og:image:alt", Content: imageAlt},
	}
	p.Meta = append(p.Meta, imageMeta...)
	p.Meta = append(p.Meta, []web.MetaTag{
		{Property: "article:published_time", Content: a.PublishedAt.Format(time.RFC3339)},
		{Property: "article:modified_time", Content: a.UpdatedAt.Format(time.RFC3339)},
	}...)
	if authorURL != "" {
		p.Meta = append(p.Meta, web.MetaTag{Property: "article:author", Content: authorURL})
	}
	if section != "" {
		p.Meta = append(p.Meta, web.MetaTag{Property: "article:section", Content: section})
	}
	for _, k := range keywords {
		p.Meta = append(p.Meta, web.MetaTag{Property: "article:tag", Content: k})
	}
	p.Meta = append(p.Meta, twitterCard(a.SearchTitle(), p.Description, image, imageAlt)...)
	// Home › Section › Article; an article in no section (a site without
	// sections) goes through its first tag.
	crumbs := []seo.Crumb{{Name: h.site.Current().Title, URL: home}}
	switch {
	case a.Section != nil:
		crumbs = append(crumbs, seo.Crumb{Name: a.Section.Name, URL: h.site.AbsURL(r, urls.Section(a.Section.Slug))})
	case len(a.Tags) > 0:
		crumbs = append(crumbs, seo.Crumb{Name: a.Tags[0].Name, URL: h.site.AbsURL(r, urls.Tag(a.Tags[0].Slug))})
	}
	crumbs = append(crumbs, seo.Crumb{Name: a.Title, URL: p.Canonical})
	p.StructuredData = []any{
		seo.NewsArticleSchema(seo.NewsArticleData{
			URL: p.Canonical, Headline: a.Title, Description: p.Description, Images: images,
			Published: a.PublishedAt, Modified: a.UpdatedAt, AuthorName: authorName, AuthorURL: authorURL,
			PublisherName: h.site.Current().Title, PublisherURL: home, PublisherLogo: h.logoURL(r),
			Section: section, Keywords: keywords, WordCount: a.WordCount, Language: h.site.Current().Language,
			About: p.about, Mentions: p.mentions,
		}),
		seo.BreadcrumbList(crumbs...),
	}
}

// publisher is the site as a NewsMediaOrganization, with its policy
// pages.
func (h *Handlers) publisher(r *http.Request) map[string]any {
	info := h.site.Current()
	abs := func(path string) string {
		if path == "" {
			return ""
		}
		return h.site.AbsURL(r, path)
	}
	return seo.NewsMediaOrganization(info.Title, h.site.AbsURL(r, urls.Home), h.logoURL(r), abs(info.PublishingPrinciples), abs(info.CorrectionsPolicy))
}

// describePage fills in the head of a page of the site (About, Contact,
// a policy): a WebPage, or the AboutPage or ContactPage it is, part of
// the site, with its breadcrumbs.
func (h *Handlers) describePage(r *http.Request, p *ArticlePage, image, imageAlt string, imageMeta []web.MetaTag) {
	a := &p.Article
	home := h.site.AbsURL(r, urls.Home)
	info := h.site.Current()
	p.Meta = append([]web.MetaTag{
		{Property: "og:type", Content: "website"},
		{Property: "og:title", Content: a.SearchTitle()},
		{Property: "og:description", Content: p.Description},
		{Property: "og:url", Content: p.Canonical},
		{Property: "og:site_name", Content: info.Title},
		{Property: "og:image", Content: image},
		{Property: "og:image:alt", Content: imageAlt},
	}, imageMeta...)
	p.Meta = append(p.Meta, twitterCard(a.SearchTitle(), p.Description, image, imageAlt)...)
	p.StructuredData = []any{
		seo.WebPage(seo.PageType(string(a.Kind)), a.Title, p.Canonical, p.Description, info.Language, a.UpdatedAt, info.Title, home),
		seo.BreadcrumbList(seo.Crumb{Name: info.Title, URL: home}, seo.Crumb{Name: a.Title, URL: p.Canonical}),
	}
}

func twitterCard(title, description, image, alt string) []web.MetaTag {
	return []web.MetaTag{
		{Name: "twitter:card", Content: "summary_large_image"},
		{Name: "twitter:title", Content: title},
		{Name: "twitter:description", Content: description},
		{Name: "twitter:image", Content: image},
		{Name: "twitter:image:alt", Content: alt},
	}
}

// describeList fills in the head of a listing: the home page (kind
// urls.HomeListing), a section's front page, or a tag's or an author's
// archive. Pages past the first are not indexed: search
// engines should send readers to the first.
func (h *Handlers) describeList(r *http.Request, b *web.Base, kind, slug, name string, page int) {
	home := h.site.AbsURL(r, urls.Home)
	b.Canonical = h.site.AbsURL(r, r.URL.Path)
	b.NoIndex = page > 1
	if kind != urls.HomeListing {
		h.feedLinks(r, b, kind, slug, name)
	}
	title := h.site.Current().Title
	if name != "" {
		title = name + " – " + h.site.Current().Title
	}
	b.Meta = append([]web.MetaTag{
		{Property: "og:type", Content: "website"},
		{Property: "og:title", Content: title},
		{Property: "og:description", Content: b.Description},
		{Property: "og:url", Content: b.Canonical},
		{Property: "og:site_name", Content: h.site.Current().Title},
		{Property: "og:image", Content: h.shareImage(r)},
		{Property: "og:image:alt", Content: h.site.Current().Title},
	}, twitterCard(title, b.Description, h.shareImage(r), h.site.Current().Title)...)
	if kind == urls.HomeListing {
		b.StructuredData = []any{
			seo.WebSite(h.site.Current().Title, home, h.site.Current().Description, h.site.Current().Language, h.site.SearchPageURL(r)+"?q="),
			seo.WithContext(h.publisher(r)),
		}
		return
	}
	b.StructuredData = []any{seo.BreadcrumbList(
		seo.Crumb{Name: h.site.Current().Title, URL: home},
		seo.Crumb{Name: name, URL: h.site.AbsURL(r, urls.Listing(kind, slug))},
	)}
	if kind == urls.SectionListing {
		b.StructuredData = append(b.StructuredData, seo.CollectionPage(title, b.Canonical, b.Description,
			h.site.Current().Language, h.site.Current().Title, home))
	}
}

// photoMeta describes a library image for social cards: its share crop
// (1200×630, in the original's format: not every site reads WebP) with
// its size and type, and for structured data the 16:9, 4:3 and 1:1 crops
// Google's Article guidelines ask for.
func (h *Handlers) photoMeta(r *http.Request, it *media.Item) (image, alt string, meta []web.MetaTag, images []string) {
	var share media.Variant
	for _, v := range it.Variants {
		if v.Format == media.WebP {
			continue
		}
		switch v.Name {
		case "share":
			share = v
		case "16x9", "4x3", "1x1":
			images = append(images, h.site.AbsURL(r, urls.Media(it.Hash, v.File())))
		}
	}
	if share.Name == "" {
		return "", "", nil, images
	}
	image = h.site.AbsURL(r, urls.Media(it.Hash, share.File()))
	alt = it.Alt
	if alt == "" {
		alt = it.Caption
	}
	meta = []web.MetaTag{
		{Property: "og:image:width", Content: strconv.Itoa(share.Width)},
		{Property: "og:image:height", Content: strconv.Itoa(share.Height)},
		{Property: "og:image:type", Content: share.Format.MIME()},
	}
	return image, alt, meta, images
}
