// Package seo holds what Dateline does for search engines and feed readers:
// the data behind the head tags and JSON-LD of each page, the RSS, Atom and
// JSON feeds, the sitemaps and robots.txt. It builds documents from
// articles and addresses it is given, or (the feeds' own) takes from
// package urls; it knows nothing of HTTP or the store, and web/public
// serves what it makes.
package seo
