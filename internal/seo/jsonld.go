package seo

import (
	"strings"
	"time"
)

// MaxHeadline is the longest headline Google accepts in NewsArticle data.
const MaxHeadline = 110

// The JSON-LD objects here are maps so that html/template writes them
// itself, escaped for a <script type="application/ld+json"> element: no
// title can break out of it.

// NewsArticleData is what NewsArticle describes.
type NewsArticleData struct {
	URL           string // canonical, absolute
	Headline      string
	Description   string
	Images        []string // absolute; Google asks for 16:9, 4:3 and 1:1
	Published     time.Time
	Modified      time.Time
	AuthorName    string
	AuthorURL     string
	PublisherName string
	PublisherURL  string
	PublisherLogo string // absolute
	Section       string
	Keywords      []string
	WordCount     int
	Language      string
	// About are what the article is mainly about; Mentions what else it
	// names.
	About, Mentions []Thing
}

// Thing is a person, organisation or place a page is about or names.
type Thing struct {
	Kind string // "person", "organisation" or "place"
	Name string
	// URL is its topic page's absolute address; "" for none.
	URL string
	// Country is a place's country, as its ISO 3166-1 alpha-2 code.
	Country string
}

// schema returns t as schema.org data: a Person, an Organization or a
// Place, a place with its country as a PostalAddress's.
func (t Thing) schema() map[string]any {
	typ := "Thing"
	switch t.Kind {
	case "person":
		typ = "Person"
	case "organisation":
		typ = "Organization"
	case "place":
		typ = "Place"
	}
	m := map[string]any{"@type": typ, "name": t.Name}
	if t.URL != "" {
		m["url"] = t.URL
	}
	if t.Kind == "place" && t.Country != "" {
		m["address"] = map[string]any{"@type": "PostalAddress", "addressCountry": t.Country}
	}
	return m
}

func things(ts []Thing) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t.schema()
	}
	return out
}

// NewsArticleSchema returns schema.org NewsArticle structured data.
func NewsArticleSchema(d NewsArticleData) map[string]any {
	m := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         Truncate(d.Headline, MaxHeadline),
		"datePublished":    d.Published.Format(time.RFC3339),
		"dateModified":     d.Modified.Format(time.RFC3339),
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": d.URL},
		"url":              d.URL,
		"publisher":        Organization(d.PublisherName, d.PublisherURL, d.PublisherLogo),
		"wordCount":        d.WordCount,
	}
	if d.Modified.Before(d.Published) {
		m["dateModified"] = m["datePublished"]
	}
	if d.Description != "" {
		m["description"] = d.Description
	}
	if len(d.Images) > 0 {
		m["image"] = d.Images
	}
	if d.AuthorName != "" {
		author := map[string]any{"@type": "Person", "name": d.AuthorName}
		if d.AuthorURL != "" {
			author["url"] = d.AuthorURL
		}
		m["author"] = []any{author}
	} else {
		// Google wants an author; a newsroom's unsigned piece is the
		// publisher's.
		m["author"] = []any{map[string]any{"@type": "Organization", "name": d.PublisherName, "url": d.PublisherURL}}
	}
	if d.Section != "" {
		m["articleSection"] = d.Section
	}
	if len(d.Keywords) > 0 {
		m["keywords"] = strings.Join(d.Keywords, ", ")
	}
	if d.Language != "" {
		m["inLanguage"] = d.Language
	}
	if len(d.About) > 0 {
		m["about"] = things(d.About)
	}
	if len(d.Mentions) > 0 {
		m["mentions"] = things(d.Mentions)
	}
	return m
}

// Organization returns schema.org Organization data for the publisher.
func Organization(name, url, logo string) map[string]any {
	m := map[string]any{"@type": "Organization", "name": name, "url": url}
	if logo != "" {
		m["logo"] = map[string]any{"@type": "ImageObject", "url": logo}
	}
	return m
}

// NewsMediaOrganization returns schema.org NewsMediaOrganization data for
// a news publisher, with the addresses of the pages that state its
// publishing principles and corrections policy (left out when empty).
func NewsMediaOrganization(name, url, logo, principles, corrections string) map[string]any {
	m := Organization(name, url, logo)
	m["@type"] = "NewsMediaOrganization"
	if principles != "" {
		m["publishingPrinciples"] = principles
	}
	if corrections != "" {
		m["correctionsPolicy"] = corrections
	}
	return m
}

// WebSite returns schema.org WebSite data for the home page. With a
// search address (searchURL, the query left off, such as
// "https://example.com/search/?q="), it says how to search the site
// (a SearchAction), so that search engines can offer a search box.
func WebSite(name, url, description, language, searchURL string) map[string]any {
	m := map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": name, "url": url}
	if searchURL != "" {
		m["potentialAction"] = map[string]any{
			"@type":       "SearchAction",
			"target":      map[string]any{"@type": "EntryPoint", "urlTemplate": searchURL + "{search_term_string}"},
			"query-input": "required name=search_term_string",
		}
	}
	if description != "" {
		m["description"] = description
	}
	if language != "" {
		m["inLanguage"] = language
	}
	return m
}

// CollectionPage returns schema.org CollectionPage data for a page that
// lists articles, such as a section's front page, as part of the site.
func CollectionPage(name, url, description, language, siteName, siteURL string) map[string]any {
	m := map[string]any{"@context": "https://schema.org", "@type": "CollectionPage", "name": name, "url": url,
		"isPartOf": map[string]any{"@type": "WebSite", "name": siteName, "url": siteURL}}
	if description != "" {
		m["description"] = description
	}
	if language != "" {
		m["inLanguage"] = language
	}
	return m
}

// TopicPage returns schema.org CollectionPage data for the page that
// lists the articles about one person, organisation or place.
func TopicPage(name, url, description, language, siteName, siteURL string, about Thing) map[string]any {
	m := CollectionPage(name, url, description, language, siteName, siteURL)
	m["about"] = about.schema()
	return m
}

// PageType is the schema.org type of a page of the site by its kind
// ("about", "contact", or another page).
func PageType(kind string) string {
	switch kind {
	case "about":
		return "AboutPage"
	case "contact":
		return "ContactPage"
	}
	return "WebPage"
}

// WebPage returns schema.org data of type typ (WebPage, AboutPage,
// ContactPage) for a page of the site.
func WebPage(typ, name, url, description, language string, modified time.Time, siteName, siteURL string) map[string]any {
	m := map[string]any{"@context": "https://schema.org", "@type": typ, "name": name, "url": url,
		"isPartOf": map[string]any{"@type": "WebSite", "name": siteName, "url": siteURL}}
	if description != "" {
		m["description"] = description
	}
	if language != "" {
		m["inLanguage"] = language
	}
	if !modified.IsZero() {
		m["dateModified"] = modified.Format(time.RFC3339)
	}
	return m
}

// Crumb is one step of a breadcrumb trail.
type Crumb struct{ Name, URL string }

// BreadcrumbList returns schema.org BreadcrumbList data for a trail from
// the home page.
func BreadcrumbList(crumbs ...Crumb) map[string]any {
	items := make([]any, 0, len(crumbs))
	for i, c := range crumbs {
		items = append(items, map[string]any{"@type": "ListItem", "position": i + 1, "name": c.Name, "item": c.URL})
	}
	return map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

// WithContext adds the schema.org context to an object that stands alone.
func WithContext(m map[string]any) map[string]any {
	m["@context"] = "https://schema.org"
	return m
}
