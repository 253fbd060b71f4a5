// Package urls owns the public site's address scheme: every path a reader,
// a feed reader or a crawler is given (articles and their comments, tag
// and author archives and their pages, feeds, sitemaps, robots.txt, the
// static files) is built here and nowhere else, and the reader routes are
// derived from the same functions called with the mux's wildcards
// (Tag("{slug}") is the pattern of every tag archive).
//
// It is a package of its own rather than functions beside the types in
// article because the scheme spans more than articles (archives, feeds,
// sitemaps) and is the web's layout, not a rule of the newsroom; and
// because it imports nothing of Dateline, every layer that names an
// address may use it: the store (a renamed article's redirect), seo,
// linking, the web handlers and templates, and the command line.
//
// Paths start with "/" and are relative to the site's base URL; slugs are
// put in as given, so they must already be valid path segments (article
// slugs are, by article.ValidateSlug).
package urls

import (
	"fmt"
	"strconv"
	"strings"
)

// Home is the front page, the listing of every public article.
const Home = "/"

// The kinds of listing, as the feeds and archive pages name them: the
// home page lists every public article, a section's front page, a tag's
// and an author's archive theirs.
const (
	HomeListing    = ""
	SectionListing = "section"
	TagListing     = "tag"
	AuthorListing  = "author"
	TopicListing   = "topic"
)

// Article returns the address of the article with the given slug.
func Article(slug string) string { return "/" + slug + "/" }

// Comments returns the address of an article's comments section.
func Comments(slug string) string { return Article(slug) + "#comments" }

// Comment returns the address of one comment on an article's page.
func Comment(slug string, id int64) string {
	return Article(slug) + "#comment-" + strconv.FormatInt(id, 10)
}

// PostComment returns where an article's comment form posts.
func PostComment(slug string) string { return Article(slug) + "comments" }

// Section returns the address of a section's front page. Sections and
// articles share the site's first path segment, so no section has an
// article's slug.
func Section(slug string) string { return "/" + slug + "/" }

// Tag returns the address of a tag's archive.
func Tag(slug string) string { return "/" + TagListing + "/" + slug + "/" }

// Author returns the address of an author's archive.
func Author(slug string) string { return "/" + AuthorListing + "/" + slug + "/" }

// Topic returns the address of an entity's topic page.
func Topic(slug string) string { return "/" + TopicListing + "/" + slug + "/" }

// Listing returns the address of a listing of the given kind (HomeListing,
// SectionListing, TagListing or AuthorListing); slug names the section,
// tag or author. It panics on another kind, which only a programming
// error gives.
func Listing(kind, slug string) string {
	switch kind {
	case HomeListing:
		return Home
	case SectionListing:
		return Section(slug)
	case TagListing:
		return Tag(slug)
	case AuthorListing:
		return Author(slug)
	case TopicListing:
		return Topic(slug)
	}
	panic(fmt.Sprintf("urls.Listing: unknown kind %q", kind))
}

// pageSegment comes before a page number in the address of a listing's
// page.
const pageSegment = "page"

// Page returns the address of page n of a listing (the address Home, Tag
// or Author gives). The first page has one address, the listing's own.
func Page(listing string, n int) string {
	if n <= 1 {
		return listing
	}
	return listing + pageSegment + "/" + strconv.Itoa(n) + "/"
}

// PagePattern returns the pattern, for http.ServeMux, of the numbered
// pages of a listing, the number being the wildcard {n}.
func PagePattern(listing string) string { return listing + pageSegment + "/{n}/" }

// FirstPage returns the address that other software (or a hand) writes
// for the first page of a listing; the site answers it with a redirect to
// the listing, which links and sitemaps name instead. FirstPage("") is
// what such an address ends in.
func FirstPage(listing string) string { return listing + pageSegment + "/1/" }

// The formats of the feeds.
const (
	RSS      = "rss"
	Atom     = "atom"
	JSONFeed = "json"
)

// Feed returns the address of the feed of a listing (the address Home,
// Tag or Author gives) in the given format: RSS, Atom or JSONFeed.
func Feed(listing, format string) string {
	switch format {
	case Atom:
		return listing + "feed/atom/"
	case JSONFeed:
		return listing + "feed.json"
	}
	return listing + "feed/"
}

// Addresses of the sitemaps and robots.txt.
const (
	// Sitemap lists every address, or indexes the numbered sitemaps
	// when they are too many for one.
	Sitemap = "/sitemap.xml"
	// NewsSitemap lists the articles of the last two days for Google
	// News.
	NewsSitemap = "/news-sitemap.xml"
	Robots      = "/robots.txt"
)

// NumberedSitemap returns the address of sitemap n (from 1) of a sitemap
// index.
func NumberedSitemap(n int) string { return "/sitemap-" + strconv.Itoa(n) + ".xml" }

// Search is the search page; the query is its q parameter.
const Search = "/search/"

// OpenSearch is the site's OpenSearch description, which browsers read to
// offer the site's search.
const OpenSearch = "/opensearch.xml"

// Static is where the site's static files (style sheet, icons) are
// served, each under its name with a content hash.
const Static = "/static/"

// MediaRoot is where the photo library's files are served.
const MediaRoot = "/media/"

// Media returns the address of a file of a library image: its hash and
// the file's name ("w640.webp"). Files under an address never change.
func Media(hash, file string) string { return MediaRoot + hash + "/" + file }

// notArticle are the first path segments of the site's addresses that
// are not articles: the home page's numbered pages, the static files, the
// site's feeds, the archives, and the admin.
var notArticle = map[string]bool{
	"":                                 true,
	pageSegment:                        true,
	strings.Trim(Static, "/"):          true,
	strings.Trim(MediaRoot, "/"):       true,
	strings.Trim(Feed(Home, RSS), "/"): true,
	TagListing:                         true,
	AuthorListing:                      true,
	TopicListing:                       true,
	"admin":                            true,
	strings.Trim(Search, "/"):          true,
	strings.Trim(Healthz, "/"):         true,
	strings.Trim(Readyz, "/"):          true,
}

// A node's health for load balancers: Healthz answers while the process
// runs, Readyz while it can serve (its database answers, with the schema
// it knows).
const (
	Healthz = "/healthz"
	Readyz  = "/readyz"
)

// Reserved reports whether slug begins another page's address than an
// article's or a section's (the home page's numbered pages, feeds, tag
// and author archives, static files, photos, search, the admin, the health
// checks), so that no
// article or section may take it.
func Reserved(slug string) bool { return notArticle[slug] }

// ArticleSlug returns the slug of the article a site path names, when it
// has the form of an article's address: one segment between slashes (the
// final one may be missing, and repeated ones count as one, as the site
// cleans them), that begins no other page's address and has no file
// extension. It does not say whether such an article exists.
func ArticleSlug(path string) (slug string, ok bool) {
	if !strings.HasPrefix(path, "/") {
		return "", false
	}
	slug = strings.Trim(path, "/")
	if notArticle[slug] || strings.ContainsAny(slug, "/.") {
		return "", false
	}
	return slug, true
}
