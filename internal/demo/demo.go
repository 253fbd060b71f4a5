// Package demo holds the sample newsroom that `dateline serve --demo` loads
// into an empty database: articles written for Dateline, about an invented
// city, so that a newcomer sees a living site at once.
package demo

import "embed"

// Articles holds the demo articles as Markdown files with YAML front matter,
// in the directory "articles".
//
//go:embed articles/*.md
var Articles embed.FS
