// Package demo holds the sample newsroom that `dateline serve --demo` loads
// into an empty database: articles written for Dateline, about an invented
// city, so that a newcomer sees a living site at once.
package demo

import (
	"embed"

	"github.com/datelinehq/dateline/internal/article"
)

// Articles holds the demo articles as Markdown files with YAML front matter,
// in the directory "articles": the stories, and the pages of the site
// (kind: about, contact or page in their front matter).
//
//go:embed articles/*.md
var Articles embed.FS

// The slugs of the demo's pages of the site, which its footer menu links
// and its settings name as the publishing principles (the About page) and
// the corrections policy.
const (
	AboutPage       = "about"
	ContactPage     = "contact"
	CorrectionsPage = "corrections-policy"
)

// Sections are the demo newsroom's sections, in menu order; each demo
// article names one in its front matter.
var Sections = []article.Section{
	{Name: "Selvik", Description: "News from the city: its streets, trams, schools and hospital."},
	{Name: "Politics", Description: "The city and regional councils, elections and the money they spend."},
	{Name: "Business", Description: "The port, energy and the companies that keep the Ems valley working."},
	{Name: "Environment", Description: "The river, the harbour, the sea and the weather that tests them."},
	{Name: "Analysis", Description: "Longer reads that explain what lies behind the news."},
}
